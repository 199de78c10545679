using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace CoordinationPortal.Web.Kernel.Errors;

/// <summary>
/// A plain page for when the portal cannot draw its own: the database is down (the layout reads it), or the request
/// could not even be read. No layout, no database, no script: a title and a sentence in both languages (the request's
/// first), a link back and a reference to quote.
/// </summary>
public static class StatusPage
{
    public static bool IsApi(HttpContext http) => IsApi(http.Request.Path);

    /// <summary>The API's reference page: under <c>/api</c> by name, but a page for people (it redirects to sign in).</summary>
    public const string ApiReferencePath = "/api/docs";

    /// <summary>The API's description (<c>/openapi/v1.json</c>): machine-read, so answered as the API is.</summary>
    public const string ApiDocumentPrefix = "/openapi";

    public static bool IsApi(PathString path) =>
        (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments(ApiReferencePath, StringComparison.OrdinalIgnoreCase))
        || path.StartsWithSegments(ApiDocumentPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The one way an error is answered outside an endpoint: the API gets ProblemDetails in the request's language, a
    /// page gets the plain page. <paramref name="api"/> says which, for callers that run after the path was rewritten
    /// (the exception handler); by default it follows the request's path.
    /// </summary>
    public static async Task AnswerAsync(HttpContext http, int status, string titleKey, string detailKey, bool? api = null)
    {
        if (!(api ?? IsApi(http)))
        {
            await WriteAsync(http, status, titleKey, detailKey);
            return;
        }

        var detail = RequestLanguage.Text(http, detailKey);
        await ProblemAsync(http, new ProblemDetails { Status = status, Title = RequestLanguage.Text(http, titleKey), Detail = detail });
    }

    /// <summary>
    /// Writes <paramref name="problem"/> through the ProblemDetails service (which adds the trace id); when the client's
    /// Accept header rules out every writer, as plain problem JSON all the same rather than failing.
    /// </summary>
    public static async Task ProblemAsync(HttpContext http, ProblemDetails problem)
    {
        http.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
        {
            problem.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
            await http.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }

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
