using System.Net;

namespace CoordinationPortal.Web.Outbound;

/// <summary>
/// The one way the portal calls a URL someone typed (an inference endpoint, a webhook receiver): a pooled client whose
/// every connection goes through the connect-time SSRF guard (<see cref="ProbeConnector"/>, with the admins' allowlist),
/// no proxy, no cookies, no client-wide timeout (each caller limits its own requests).
/// </summary>
public static class OutboundHttp
{
    /// <summary>
    /// The guarded handler: connections stay warm between requests to one server (so a probe can tell cold from warm
    /// timings), every connection — redirects included — passes the connect-time SSRF check, no proxy, no cookies, no
    /// decompression (a byte cap counts what came over the wire).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(ProbeConnector connector) => new()
    {
        ConnectCallback = connector.ConnectAsync,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        AutomaticDecompression = DecompressionMethods.None,
        MaxResponseHeadersLength = 64,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = 16,
    };

    /// <summary>
    /// Registers a typed client <typeparamref name="TClient"/> named <paramref name="name"/> on the guarded handler.
    /// <paramref name="connectTimeout"/> reads the caller's own connect limit; <paramref name="adjust"/> tightens the
    /// handler further (e.g. no redirects for webhooks).
    /// </summary>
    public static IHttpClientBuilder AddGuardedHttpClient<TClient>(
        this IServiceCollection services, string name, Func<IServiceProvider, TimeSpan> connectTimeout, Action<SocketsHttpHandler>? adjust = null)
        where TClient : class =>
        services.AddHttpClient<TClient>(name)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowlist = sp.GetRequiredService<ProbeAllowlistCache>();
                var handler = CreateHandler(new ProbeConnector(allowlist.CurrentAsync, connectTimeout(sp)));
                adjust?.Invoke(handler);
                return handler;
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);

    /// <summary>The outbound room's own services (the allowlist and its admin), registered once by the host.</summary>
    public static IServiceCollection AddOutboundHttp(this IServiceCollection services)
    {
        services.AddSingleton<ProbeAllowlistCache>();
        services.AddScoped<ProbeAllowlistAdmin>();
        return services;
    }
}
