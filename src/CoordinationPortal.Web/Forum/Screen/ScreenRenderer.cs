using System.Globalization;
using CoordinationPortal.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CoordinationPortal.Web.Forum.Screen;

/// <summary>
/// Renders <see cref="ScreenBody"/> to HTML outside any request, for the event stream's pushes: the same component the
/// page renders, so a pushed screen and a loaded one are the same markup. Both languages are in one render (the body
/// looks every text up per language); the ambient culture is fixed to English around it so nothing else depends on
/// whichever thread the render runs on.
/// </summary>
public sealed class ScreenRenderer(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    public async Task<string> RenderAsync(ScreenView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        ct.ThrowIfCancellationRequested();
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = LocalizationFeature.Supported[0];
            try
            {
                var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(ScreenBody.View)] = view });
                var output = await renderer.RenderComponentAsync<ScreenBody>(parameters);
                return output.ToHtmlString();
            }
            finally
            {
                (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
            }
        });
    }
}
