using System.Diagnostics;
using System.Net;
using System.Text;

namespace CoordinationPortal.Web.Kernel.Errors;

/// <summary>
/// A plain page for when the portal cannot draw its own: the database is down (the layout reads it), or the request
/// could not even be read. No layout, no database, no script: a title and a sentence in both languages (the request's
/// first), a link back and a reference to quote.
/// </summary>
public static class StatusPage
{
    public static bool IsApi(HttpContext http) => IsApi(http.Request.Path);

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static Task WriteAsync(HttpContext http, int status, string titleKey, string bodyKey)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        var titles = RequestLanguage.BothLanguages(http, titleKey);
        var bodies = RequestLanguage.BothLanguages(http, bodyKey);
        var home = RequestLanguage.BothLanguages(http, "Errors.Page.Home");
        var reference = Activity.Current?.Id ?? http.TraceIdentifier;
        var first = titles[0].Culture.TwoLetterISOLanguageName;

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(first).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(titles[0].Text)).Append("</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}")
            .Append("section{margin-bottom:2rem}h1{font-size:1.5rem;color:#1f4e79}small{color:#555}</style></head><body><main>");
        for (var i = 0; i < titles.Count; i++)
        {
            var lang = titles[i].Culture.TwoLetterISOLanguageName;
            html.Append("<section lang=\"").Append(lang).Append("\">")
                .Append(i == 0 ? "<h1>" : "<h2>").Append(Encode(titles[i].Text)).Append(i == 0 ? "</h1>" : "</h2>")
                .Append("<p>").Append(Encode(bodies[i].Text)).Append("</p>")
                .Append("<p><a href=\"/\">").Append(Encode(home[i].Text)).Append("</a></p></section>");
        }

        html.Append("<p><small>").Append(Encode(reference)).Append("</small></p></main></body></html>");
        return http.Response.WriteAsync(html.ToString(), Encoding.UTF8);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
