namespace CoordinationPortal.Web.Hosting.Edge;

/// <summary>
/// The security headers of every response: pages, the API, static files, the Hangfire dashboard and error pages alike.
/// Added as the response starts, so the exception handler, which clears the headers before it renders the error page,
/// cannot drop them.
/// </summary>
/// <remarks>
/// The policy the portal's pages pass: scripts only from the portal itself (Blazor's and MudBlazor's files; no inline
/// script and no eval); styles from the portal and inline, because MudBlazor writes its theme as a <c>&lt;style&gt;</c>
/// element and sizes and colours components with <c>style</c> attributes, and Blazor's reconnect dialog adds a
/// <c>&lt;style&gt;</c> too; images from the portal and <c>data:</c> (the empty favicon); connections to the portal
/// (the circuit's WebSocket named explicitly); no plugins, no framing by anyone, forms posted to the portal only.
/// </remarks>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Policy =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            // Set, not added: Blazor's interactive render mode writes its own CSP (frame-ancestors 'self' only), which this
            // policy replaces with a complete and stricter one.
            // Scripts from the portal only; an endpoint that writes a library's inline script allows that script by its
            // hash, for its own response (Kernel/Security/InlineScripts).
            var scripts = string.Join(' ', ["'self'", .. Kernel.Security.InlineScripts.AllowedFor(http)]);
            headers.ContentSecurityPolicy = $"{Policy}; script-src {scripts}; connect-src {ConnectSources(http.Request)}";
            headers.TryAdd("X-Content-Type-Options", "nosniff");
            headers.XFrameOptions = "DENY"; // antiforgery writes SAMEORIGIN; no frame at all is wanted
            headers.TryAdd("Referrer-Policy", "same-origin");
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    /// <summary>
    /// <c>'self'</c>, plus the circuit's WebSocket on this host by name (older browsers do not count <c>ws:</c> and
    /// <c>wss:</c> as 'self'). A host with characters that have no place in a host name gets 'self' alone.
    /// </summary>
    internal static string ConnectSources(HttpRequest request)
    {
        var host = request.Host.Value;
        if (string.IsNullOrEmpty(host) || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']'))
        {
            return "'self'";
        }

        return request.IsHttps ? $"'self' wss://{host}" : $"'self' ws://{host} wss://{host}";
    }
}
