using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Edge;

/// <summary>
/// Behind a TLS-terminating proxy: a request the configured proxy forwards as HTTPS gets HSTS and Secure cookies; the
/// same header from any other address is ignored. A second portal process on the fixture's database, configured with
/// one known proxy (10.20.30.40); the test server has no sockets, so each request names the peer it comes from.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ForwardedHeadersTests(PortalFixture portal)
{
    private const string Proxy = "10.20.30.40";
    private const string Stranger = "10.20.30.99";

    [Fact]
    public async Task https_forwarded_by_a_configured_proxy_gets_hsts_and_secure_antiforgery_and_sign_in_cookies()
    {
        await using var factory = PortalBehindProxy();
        using var client = Client(factory);

        var (form, antiforgery) = await GetLoginFormAsync(client, Proxy);
        Assert.True(form.Headers.Contains("Strict-Transport-Security"), "The sign-in page, forwarded as HTTPS, should send HSTS.");
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        using var signIn = await PostLoginAsync(client, Proxy, form, antiforgery);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.True(signIn.Headers.Contains("Strict-Transport-Security"));
        var auth = SetCookie(signIn, "portal.auth");
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);

        using var culture = await SendAsync(client, HttpMethod.Get, "/culture?culture=hi-IN&returnUrl=/", Proxy, https: true);
        Assert.Contains("; secure", SetCookie(culture, ".AspNetCore.Culture"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task the_same_header_from_an_address_that_is_not_a_configured_proxy_is_ignored()
    {
        await using var factory = PortalBehindProxy();
        using var client = Client(factory);

        var (form, antiforgery) = await GetLoginFormAsync(client, Stranger);
        Assert.False(form.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain("secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        using var signIn = await PostLoginAsync(client, Stranger, form, antiforgery);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.False(signIn.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain("; secure", SetCookie(signIn, "portal.auth"), StringComparison.OrdinalIgnoreCase);
    }

    private WebApplicationFactory<Program> PortalBehindProxy()
    {
        var settings = new Dictionary<string, string>(portal.ProbeSettings) { ["ForwardedHeaders:KnownProxies:0"] = Proxy };
        return new PortalHostFactory(portal.Database.ConnectionString, seedDemo: false, settings)
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new PeerFromHeader())));
    }

    /// <summary>A client for a public host name (HSTS is never sent for localhost), with no cookie jar: cookies are read and sent by hand.</summary>
    private static HttpClient Client(WebApplicationFactory<Program> factory) => factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("http://portal.example.test/"),
        AllowAutoRedirect = false,
        HandleCookies = false,
    });

    private static async Task<(HttpResponseMessage Form, string Antiforgery)> GetLoginFormAsync(HttpClient client, string peer)
    {
        var form = await SendAsync(client, HttpMethod.Get, "/account/login", peer, https: true);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        return (form, SetCookie(form, ".AspNetCore.Antiforgery."));
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string peer, HttpResponseMessage form, string antiforgery)
    {
        var html = await form.Content.ReadAsStringAsync();
        return await SendAsync(client, HttpMethod.Post, "/account/login", peer, https: true, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(html),
            ["Input.Email"] = Demo.Lead.Email,
            ["Input.Password"] = Demo.Lead.Password,
        }), cookie: antiforgery.Split(';')[0]);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string peer, bool https, HttpContent? content = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(PeerFromHeader.Header, peer);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        if (https)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The Set-Cookie header of the cookie whose name starts with <paramref name="prefix"/>.</summary>
    private static string SetCookie(HttpResponseMessage response, string prefix) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) && values.FirstOrDefault(v => v.StartsWith(prefix, StringComparison.Ordinal)) is { } value
            ? value
            : throw new Xunit.Sdk.XunitException($"No {prefix} cookie was set ({(int)response.StatusCode}).");

    /// <summary>Sets the connection's remote address from a test header, before anything else runs: the peer a socket would give.</summary>
    private sealed class PeerFromHeader : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public const string Header = "X-Test-Peer";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[Header].ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
