using System.Text.Encodings.Web;
using CoordinationPortal.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Hosting.Edge;

/// <summary>
/// A signed-in user's POST, PUT, PATCH or DELETE must come from the portal's own pages. SameSite=Lax keeps the cookie off
/// requests from other sites, but not from a page on another port of the same host, and the API's body-less POSTs and
/// sign-out have no antiforgery token to check. So every cookie-authenticated state change is checked here, before any
/// endpoint runs: the API answers 403 with a ProblemDetails body, a page gets a short page that says why.
/// </summary>
internal sealed partial class SameOriginStateChanges(RequestDelegate next, ILogger<SameOriginStateChanges> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!IsStateChange(context.Request.Method) || context.User.Identity?.IsAuthenticated != true
            || !RequestOrigin.IsCrossSite(context.Request))
        {
            return next(context);
        }

        LogRefused(logger, context.Request.Method, context.Request.Path, context.Request.Headers.Origin.ToString(),
            context.Request.Headers["Sec-Fetch-Site"].ToString());
        return RefuseAsync(context);
    }

    private static bool IsStateChange(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    private static Task RefuseAsync(HttpContext context)
    {
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        string title = text["Edge.CrossSite.Title"], detail = text["Edge.CrossSite.Detail"];
        var wantsPage = !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (!wantsPage)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: title, detail: detail).ExecuteAsync(context);
        }

        var html = HtmlEncoder.Default;
        var language = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            $"<!DOCTYPE html>\n<html lang=\"{html.Encode(language)}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n" +
            $"<title>{html.Encode(title)}</title>\n</head>\n<body>\n<main>\n<h1>{html.Encode(title)}</h1>\n<p>{html.Encode(detail)}</p>\n" +
            $"<p><a href=\"/\">{html.Encode(text["Edge.CrossSite.Home"])}</a></p>\n</main>\n</body>\n</html>\n");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a cross-site {Method} {Path} by a signed-in user (Origin '{Origin}', Sec-Fetch-Site '{FetchSite}')")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string origin, string fetchSite);
}

/// <summary>Whether a request was started by a page of another origin, as far as the browser tells.</summary>
internal static class RequestOrigin
{
    /// <summary>
    /// <c>Sec-Fetch-Site</c> first: the browser sets it and no page can forge it; only <c>same-origin</c> (or <c>none</c>,
    /// the user's own navigation) passes. Without it, <c>Origin</c>, else <c>Referer</c>, must be this request's own
    /// scheme, host and port (after the forwarded headers of a trusted proxy). A request with none of the three comes
    /// from no browser page (browsers send <c>Origin</c> on every cross-origin POST), e.g. a curl script with a cookie
    /// jar, and passes.
    /// </summary>
    public static bool IsCrossSite(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return !(fetchSite.Equals("same-origin", StringComparison.OrdinalIgnoreCase) || fetchSite.Equals("none", StringComparison.OrdinalIgnoreCase));
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return !IsOwnOrigin(origin, request);
        }

        var referer = request.Headers.Referer.ToString();
        return referer.Length > 0 && !IsOwnOrigin(referer, request);
    }

    /// <summary>Whether <paramref name="url"/> (an origin or a full URL) has the request's scheme, host and port.</summary>
    public static bool IsOwnOrigin(string url, HttpRequest request)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var given) || given.Scheme is not ("http" or "https")
            || !Uri.TryCreate($"{request.Scheme}://{request.Host.Value}/", UriKind.Absolute, out var own))
        {
            return false; // "null", a file: page, a host that is no host
        }

        return string.Equals(given.Scheme, own.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(given.IdnHost, own.IdnHost, StringComparison.OrdinalIgnoreCase)
            && given.Port == own.Port;
    }
}
