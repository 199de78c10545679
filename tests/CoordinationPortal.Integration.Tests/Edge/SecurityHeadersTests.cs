using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;

namespace CoordinationPortal.Integration.Tests.Edge;

/// <summary>Every kind of response carries the security headers: pages, the API, the Hangfire dashboard, static files and errors.</summary>
[Collection(PortalTests.Name)]
public sealed class SecurityHeadersTests(PortalFixture portal)
{
    [Theory]
    [InlineData("/account/login", HttpStatusCode.OK)] // a page
    [InlineData("/api/v1/agencies", HttpStatusCode.Unauthorized)] // the API, not signed in
    [InlineData("/app.css", HttpStatusCode.OK)] // a static file
    [InlineData("/_content/MudBlazor/MudBlazor.min.js", HttpStatusCode.OK)] // a package's static file
    public async Task anonymous_responses_carry_the_security_headers(string path, HttpStatusCode status)
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData("/", HttpStatusCode.OK)] // the portfolio
    [InlineData("/api/v1/agencies", HttpStatusCode.OK)]
    [InlineData("/hangfire", HttpStatusCode.OK)] // the job dashboard, which could be framed before
    [InlineData("/hangfire/recurring", HttpStatusCode.OK)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)] // the not-found page
    public async Task signed_in_responses_carry_them_too(string path, HttpStatusCode status)
    {
        using var client = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task the_policy_allows_only_the_portals_own_scripts_and_its_own_circuit()
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync("/account/login");

        var policy = Directives(response);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'self'", policy["default-src"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Equal("'self'", policy["form-action"]);
        Assert.Equal("'self' ws://localhost wss://localhost", policy["connect-src"]);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var policy = Directives(response);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "", StringComparer.Ordinal);

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} is missing from {response.RequestMessage?.RequestUri} ({(int)response.StatusCode}).");
}
