using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;

namespace CoordinationPortal.Integration.Tests.Edge;

/// <summary>
/// A signed-in user's state changes must come from the portal's own pages: a page on another origin (another port of the
/// same host included) cannot pause an endpoint or sign the user out through the cookie, while the portal's own pages and
/// the README's curl script (no Origin at all) still can.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class CrossSiteStateChangeTests(PortalFixture portal)
{
    // The test server's own origin is http://localhost (port 80).
    private const string OwnOrigin = "http://localhost";

    [Theory]
    [InlineData("http://localhost:5001", null)] // another port of the same host
    [InlineData("https://evil.example", null)]
    [InlineData("null", null)] // a sandboxed frame or a page with no-referrer
    [InlineData("http://localhost:5001", "same-site")]
    public async Task a_cross_origin_body_less_api_post_with_the_cookie_is_refused_and_changes_nothing(string origin, string? fetchSite)
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var id = await RegisterAsync(client);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/endpoints/{id}/pause");
        request.Headers.Add("Origin", origin);
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(await PausedAsync(client, id));
    }

    [Fact]
    public async Task a_post_the_browser_marks_as_cross_site_is_refused_whatever_its_origin_says()
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var id = await RegisterAsync(client);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/endpoints/{id}/pause");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        request.Headers.Add("Origin", OwnOrigin);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await PausedAsync(client, id));
    }

    [Theory]
    [InlineData(OwnOrigin, null, null)]
    [InlineData(null, "same-origin", null)]
    [InlineData(null, null, OwnOrigin + "/endpoints")]
    [InlineData(null, null, null)] // a script with a cookie jar, as in the README
    public async Task the_same_post_from_the_portals_own_pages_or_a_script_pauses_the_endpoint(string? origin, string? fetchSite, string? referer)
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var id = await RegisterAsync(client);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/endpoints/{id}/pause");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (referer is not null)
        {
            request.Headers.Add("Referer", referer);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await PausedAsync(client, id));
    }

    [Fact]
    public async Task a_cross_origin_sign_out_is_refused_with_a_page_and_the_user_stays_signed_in()
    {
        using var client = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout");
        request.Headers.Add("Origin", "http://localhost:5001");
        request.Headers.Add("Accept", "text/html");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Request refused", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/agencies")).StatusCode);
    }

    [Fact]
    public async Task a_same_origin_sign_out_signs_the_user_out()
    {
        using var client = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout");
        request.Headers.Add("Origin", OwnOrigin);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/agencies")).StatusCode);
    }

    [Fact]
    public async Task the_refusal_is_worded_in_the_users_language()
    {
        using var client = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications/read");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Accept-Language", "hi-IN");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("अनुरोध अस्वीकार किया गया", problem.GetProperty("title").GetString());
    }

    private static async Task<Guid> RegisterAsync(HttpClient client)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/endpoints", new
        {
            agencyId = Demo.LedAgency,
            name = "Cross-site test endpoint",
            baseUrl = "https://gpu.example.org",
            kind = "Vllm",
            model = "sim-llama-3-8b",
            intervalSeconds = 3600,
            availabilityPercent = 99.5,
            p95TtftMs = 800,
            minOutputTokensPerSecond = 5,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<bool> PausedAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints/{id}")).GetProperty("paused").GetBoolean();
}
