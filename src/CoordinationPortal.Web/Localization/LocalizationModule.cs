using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Localization;

public static class LocalizationModule
{
    public static readonly CultureInfo[] Supported = [new("en-IN"), new("hi-IN")];

    public static WebApplicationBuilder AddPortalLocalization(this WebApplicationBuilder builder)
    {
        var strings = PortalStrings.Load();
        builder.Services.AddSingleton(strings);
        builder.Services.AddSingleton<IStringLocalizerFactory>(new JsonStringLocalizerFactory(strings));
        builder.Services.AddSingleton(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
        builder.Services.AddSingleton<MudBlazor.MudLocalizer, PortalMudLocalizer>();
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Supported[0]);
            o.SupportedCultures = Supported;
            o.SupportedUICultures = Supported;
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>Switches language: stores the choice in the culture cookie and returns to the page the user was on.</summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/culture", (HttpContext http, string culture, string? returnUrl) =>
        {
            var chosen = Supported.FirstOrDefault(c => c.Name.Equals(culture, StringComparison.OrdinalIgnoreCase)
                || c.TwoLetterISOLanguageName.Equals(culture, StringComparison.OrdinalIgnoreCase)) ?? Supported[0];
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous();
        return app;
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}

/// <summary>Gives MudBlazor's own texts (pagination, date pickers) from the portal's strings, with a "Mud." prefix.</summary>
internal sealed class PortalMudLocalizer(IStringLocalizer<SharedResource> localizer) : MudBlazor.MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var found = localizer["Mud." + key];
            return found.ResourceNotFound ? base[key] : new LocalizedString(key, found.Value);
        }
    }
}
