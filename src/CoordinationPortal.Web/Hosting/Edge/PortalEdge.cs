using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;

namespace CoordinationPortal.Web.Hosting.Edge;

/// <summary>
/// What the portal does at its HTTP edge, before any feature sees a request: trust <c>X-Forwarded-Proto</c> and
/// <c>X-Forwarded-For</c> from the configured proxies only (so a TLS-terminating proxy makes the request HTTPS: secure
/// cookies, HSTS), mark every cookie <c>Secure</c> on an HTTPS request, send the security headers on every response, and
/// refuse a cookie-authenticated state change that another site started (<see cref="SameOriginStateChanges"/>).
/// </summary>
public static class PortalEdge
{
    /// <summary>Configuration section: <c>KnownProxies</c> (addresses) and <c>KnownNetworks</c> (CIDR).</summary>
    public const string ForwardedHeadersSection = "ForwardedHeaders";

    public static void AddPortalEdge(this WebApplicationBuilder builder)
    {
        // Read from the built configuration (every source, the test host's too) and checked at start-up, so a mistyped
        // address stops the portal with a message rather than failing every request.
        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IConfiguration>((o, configuration) =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                // ASP.NET Core's defaults (the loopback network and ::1) stay: a proxy on the same machine is trusted.
                foreach (var proxy in ReadList(configuration, "KnownProxies", ParseAddress))
                {
                    o.KnownProxies.Add(proxy);
                }

                foreach (var network in ReadList(configuration, "KnownNetworks", ParseNetwork))
                {
                    o.KnownIPNetworks.Add(network);
                }
            })
            .ValidateOnStart();

        // Never downgrades a cookie that asks for Secure itself; upgrades every other one on an HTTPS request (the sign-in
        // cookie, the antiforgery cookie, the culture cookie).
        builder.Services.Configure<CookiePolicyOptions>(o => o.Secure = CookieSecurePolicy.SameAsRequest);
        builder.Services.Configure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
    }

    /// <summary>First in the pipeline: the forwarded headers, the cookie policy and the security headers.</summary>
    public static void UsePortalEdge(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseCookiePolicy();
        app.UseMiddleware<SecurityHeaders>();
    }

    /// <summary>After authentication: a cookie-authenticated POST, PUT, PATCH or DELETE must come from the portal's own pages.</summary>
    public static void UseSameOriginStateChanges(this WebApplication app) => app.UseMiddleware<SameOriginStateChanges>();

    /// <summary>A list setting, as an array (<c>KnownProxies__0</c>, <c>__1</c> …) or one comma-separated value.</summary>
    private static List<T> ReadList<T>(IConfiguration configuration, string key, Func<string, string, T> parse)
    {
        var section = configuration.GetSection(ForwardedHeadersSection).GetSection(key);
        // Some sources give a section with children an empty value of its own, so the children are read whenever there are any.
        var children = section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0).ToList();
        IEnumerable<string> values = children.Count > 0
            ? children
            : (section.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. values.Select(v => parse($"{ForwardedHeadersSection}:{key}", v))];
    }

    private static IPAddress ParseAddress(string setting, string value) =>
        IPAddress.TryParse(value, out var address)
            ? address
            : throw new InvalidOperationException($"{setting}: '{value}' is not an IP address.");

    private static System.Net.IPNetwork ParseNetwork(string setting, string value) =>
        System.Net.IPNetwork.TryParse(value, out var network)
            ? network
            : throw new InvalidOperationException($"{setting}: '{value}' is not a network in CIDR notation (e.g. 10.0.0.0/8).");
}
