using System.Globalization;
using Microsoft.AspNetCore.Localization;
using CoordinationPortal.Web.Kernel.Features;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Localization;

/// <summary>English and Hindi: the strings, the request culture, and the language switch.</summary>
public sealed class LocalizationFeature : IPortalFeature
{
    public static readonly CultureInfo[] Supported = [new("en-IN"), new("hi-IN")];

    public void AddServices(FeatureSetup setup)
    {
        var builder = setup.Builder;
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
                new LanguageAcceptLanguageProvider(),
            ];
        });
    }

    /// <summary>Switches language: stores the choice in the culture cookie and returns to the page the user was on.</summary>
    public void MapRoutes(WebApplication app)
    {
        app.MapGet("/culture", (HttpContext http, string culture, string? returnUrl) =>
        {
            var chosen = Supported.FirstOrDefault(c => c.Name.Equals(culture, StringComparison.OrdinalIgnoreCase)
                || c.TwoLetterISOLanguageName.Equals(culture, StringComparison.OrdinalIgnoreCase)) ?? Supported[0];
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(Kernel.LocalUrl.OrHome(returnUrl));
        }).AllowAnonymous();
    }
}

/// <summary>
/// The Accept-Language header, read like ASP.NET Core's own provider (by quality, the first three languages), except
/// that a language the portal speaks is taken whatever its region: <c>hi</c> (or <c>hi-XX</c>) is hi-IN and <c>en</c>
/// (or <c>en-GB</c>) en-IN. The built-in provider matches cultures exactly, and its fallback goes from a region to its
/// parent language only, so <c>hi</c> alone would get the default, English.
/// </summary>
internal sealed class LanguageAcceptLanguageProvider : RequestCultureProvider
{
    private const int MaximumValuesToTry = 3;

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var values = httpContext.Request.GetTypedHeaders().AcceptLanguage;
        if (values is not { Count: > 0 })
        {
            return NullProviderCultureResult;
        }

        var chosen = values
            .Where(v => v.Quality is null or > 0) // q=0: "not this one"
            .OrderByDescending(v => v.Quality ?? 1) // stable: equal qualities keep the header's order
            .Take(MaximumValuesToTry)
            .Select(v => Supported(v.Value.Value))
            .FirstOrDefault(c => c is not null);
        return chosen is null ? NullProviderCultureResult : Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(chosen.Name));
    }

    private static CultureInfo? Supported(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var language = tag.Split('-', 2)[0];
        return LocalizationFeature.Supported.FirstOrDefault(c => c.Name.Equals(tag, StringComparison.OrdinalIgnoreCase))
            ?? LocalizationFeature.Supported.FirstOrDefault(c => c.TwoLetterISOLanguageName.Equals(language, StringComparison.OrdinalIgnoreCase));
    }
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
