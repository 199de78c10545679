using System.Globalization;
using CoordinationPortal.Web.Components.Common;
using CoordinationPortal.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CoordinationPortal.Web.Briefings.Content;

/// <summary>
/// Renders <see cref="BriefingDocument"/> to the HTML Chromium prints, outside any request, in the model's language
/// whatever the calling thread's culture (as the room screen's renderer fixes its culture).
/// </summary>
public sealed class BriefingHtml(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    /// <summary>Part of every cached PDF's key: bump it whenever the output changes, so no stale layout is served.</summary>
    public const string TemplateVersion = "1";

    public async Task<string> RenderAsync(BriefingModel model, Uri portalBase, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(portalBase);
        ct.ThrowIfCancellationRequested();
        var culture = LocalizationFeature.Supported.FirstOrDefault(c => c.TwoLetterISOLanguageName == model.Language) ?? LocalizationFeature.Supported[0];
        var annex = new Uri(portalBase, BriefingLinks.AnnexCsv(model.Target)).AbsoluteUri;
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
            try
            {
                var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
                {
                    [nameof(BriefingDocument.Model)] = model,
                    [nameof(BriefingDocument.AnnexUrl)] = annex,
                });
                var output = await renderer.RenderComponentAsync<BriefingDocument>(parameters);
                return output.ToHtmlString();
            }
            finally
            {
                (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
            }
        });
    }
}
