using CoordinationPortal.Web.Kernel.Errors;

namespace CoordinationPortal.Web.Hosting.Edge;

/// <summary>
/// A signed-in user's POST, PUT, PATCH or DELETE must come from the portal's own pages. SameSite=Lax keeps the cookie off
/// requests from other sites, but not from a page on another port of the same host, and the API's body-less POSTs and
/// sign-out have no antiforgery token to check. So every cookie-authenticated state change is checked here, before any
/// endpoint runs: the API answers 403 with a ProblemDetails body, a page gets the plain status page that says why.
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
        // The API gets ProblemDetails, a page the plain page, both in the request's language.
        return StatusPage.AnswerAsync(context, StatusCodes.Status403Forbidden, "Edge.CrossSite.Title", "Edge.CrossSite.Detail");
    }

    private static bool IsStateChange(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

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
