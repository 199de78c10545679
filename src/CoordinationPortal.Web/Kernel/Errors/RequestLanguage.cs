using System.Globalization;
using CoordinationPortal.Web.Localization;
using Microsoft.AspNetCore.Localization;

namespace CoordinationPortal.Web.Kernel.Errors;

/// <summary>
/// The language a request asked for, as the localization middleware decided it. Error answers are written after that
/// middleware has returned (the exception handler, status-code pages), when the thread's culture is no longer the
/// request's, so they look it up here and word their text with <see cref="Text"/>.
/// </summary>
public static class RequestLanguage
{
    public static CultureInfo Of(HttpContext http) =>
        http.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture ?? LocalizationFeature.Supported[0];

    /// <summary>The string <paramref name="key"/> in the request's language (English when the key has no Hindi).</summary>
    public static string Text(HttpContext http, string key, params object[] arguments)
    {
        var culture = Of(http);
        var strings = http.RequestServices.GetRequiredService<PortalStrings>();
        var text = strings.Find(key, culture) ?? key;
        return arguments.Length == 0 ? text : string.Format(culture, text, arguments);
    }

    /// <summary>The string <paramref name="key"/> in both languages, the request's first.</summary>
    public static IReadOnlyList<(CultureInfo Culture, string Text)> BothLanguages(HttpContext http, string key)
    {
        var first = Of(http);
        var strings = http.RequestServices.GetRequiredService<PortalStrings>();
        return LocalizationFeature.Supported
            .OrderBy(c => c.TwoLetterISOLanguageName == first.TwoLetterISOLanguageName ? 0 : 1)
            .Select(c => (c, strings.Find(key, c) ?? key))
            .ToList();
    }
}
