using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.WorkingGroups;
using CoordinationPortal.Web.Forum.Links;
using CoordinationPortal.Web.Identity;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>
/// Screen links: who may create, list and revoke them, and whom a screen opens for — a reader of the group, a signed
/// link for that session, but not an expired, revoked, altered or other session's link, and not an outsider.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ScreenLinkTests(PortalFixture portal)
{
    private static readonly string[] Managers = ["admin", "chair", "secretary"];

    private static readonly string[] Routes =
    [
        "POST /api/v1/sessions/{id:guid}/screen-links", "GET /api/v1/sessions/{id:guid}/screen-links",
        "DELETE /api/v1/sessions/{id:guid}/screen-links/{linkId:guid}",
    ];

    [Fact]
    public void the_suite_covers_every_screen_link_route()
    {
        var mapped = portal.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.Contains("/screen-links", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order();
        Assert.Equal(Routes.Order(), mapped);
    }

    [Fact]
    public async Task managers_create_list_and_revoke_and_no_one_else_may()
    {
        var cast = await WorkingGroupApiCast.ForAsync(portal);
        var (session, _) = await cast.FutureSessionAsync(await cast.NewGroupAsync());
        foreach (var (who, client) in cast.SignedIn)
        {
            var created = await client.PostAsJsonAsync($"/api/v1/sessions/{session}/screen-links", new { label = $"TV of {who}", expiresInHours = 4 });
            var listed = await client.GetAsync($"/api/v1/sessions/{session}/screen-links");
            if (Managers.Contains(who))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var body = await created.Content.ReadFromJsonAsync<JsonElement>();
                var id = body.GetProperty("link").GetProperty("id").GetGuid();
                Assert.Contains($"/forum/{session}/screen?link=", body.GetProperty("url").GetString(), StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
                var revoked = await client.DeleteAsync($"/api/v1/sessions/{session}/screen-links/{id}");
                Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
            }
            else
            {
                Assert.True(created.StatusCode == HttpStatusCode.Forbidden, $"{who} created a link: {created.StatusCode}");
                Assert.True(listed.StatusCode == HttpStatusCode.Forbidden, $"{who} listed links: {listed.StatusCode}");
            }
        }

        var anyLink = (await ListAsync(cast.Chair, session)).First().GetProperty("id").GetGuid();
        foreach (var (who, client) in cast.SignedIn.Where(c => !Managers.Contains(c.Who)))
        {
            var revoke = await client.DeleteAsync($"/api/v1/sessions/{session}/screen-links/{anyLink}");
            Assert.True(revoke.StatusCode == HttpStatusCode.Forbidden, $"{who} revoked a link: {revoke.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await cast.Anonymous.PostAsJsonAsync($"/api/v1/sessions/{session}/screen-links", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{Guid.NewGuid()}/screen-links", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cast.Chair.DeleteAsync($"/api/v1/sessions/{session}/screen-links/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task the_list_never_carries_a_token_and_shows_who_revoked()
    {
        var cast = await WorkingGroupApiCast.ForAsync(portal);
        var (session, _) = await cast.FutureSessionAsync(await cast.NewGroupAsync());
        var created = await (await cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/screen-links", new { label = "Hall B" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var token = Token(created);
        Assert.Equal(HttpStatusCode.NoContent,
            (await cast.Secretary.DeleteAsync($"/api/v1/sessions/{session}/screen-links/{created.GetProperty("link").GetProperty("id").GetGuid()}")).StatusCode);

        var raw = await cast.Chair.GetStringAsync($"/api/v1/sessions/{session}/screen-links");
        Assert.DoesNotContain(token, raw, StringComparison.Ordinal);
        var listed = Assert.Single(JsonSerializer.Deserialize<JsonElement>(raw).EnumerateArray());
        Assert.False(listed.GetProperty("live").GetBoolean());
        Assert.Equal(cast.SecretaryName, listed.GetProperty("revokedBy").GetString());
        Assert.Equal("Hall B", listed.GetProperty("label").GetString());
    }

    [Fact]
    public async Task bad_requests_are_named_and_refused_without_a_link()
    {
        var cast = await WorkingGroupApiCast.ForAsync(portal);
        var (session, _) = await cast.FutureSessionAsync(await cast.NewGroupAsync());
        var tooLong = await cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/screen-links", new { expiresInHours = 24 * 8, label = new string('x', 81) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var errors = (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("expiresInHours", out _));
        Assert.True(errors.TryGetProperty("label", out _));

        using var malformed = new StringContent("{\"expiresInHours\": \"soon\"}", System.Text.Encoding.UTF8, "application/json");
        var bad = await cast.Chair.PostAsync($"/api/v1/sessions/{session}/screen-links", malformed);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Empty(await ListAsync(cast.Chair, session));
    }

    [Fact]
    public async Task a_screen_opens_for_readers_and_live_links_of_that_session_only()
    {
        var cast = await WorkingGroupApiCast.ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var (session, _) = await cast.FutureSessionAsync(group);
        var (other, _) = await cast.FutureSessionAsync(group, "Another review");
        var token = Token(await (await cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/screen-links", new { })).Content.ReadFromJsonAsync<JsonElement>());
        var otherToken = Token(await (await cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{other}/screen-links", new { })).Content.ReadFromJsonAsync<JsonElement>());

        var nobody = new ClaimsPrincipal(new ClaimsIdentity());
        var member = Person(cast.MemberName, Roles.Member);
        var viewer = Person(Demo.Viewer.Email, Roles.Viewer);

        Assert.True((await CheckAsync(member, session, null)).Allowed);
        Assert.False((await CheckAsync(member, session, null)).ThroughLink);
        Assert.Equal(ScreenDenial.Forbidden, (await CheckAsync(viewer, session, null)).Denial);
        Assert.Equal(ScreenDenial.SignInRequired, (await CheckAsync(nobody, session, null)).Denial);
        Assert.Equal(ScreenDenial.NotFound, (await CheckAsync(member, Guid.NewGuid(), token)).Denial);

        var byLink = await CheckAsync(nobody, session, token);
        Assert.True(byLink.Allowed);
        Assert.True(byLink.ThroughLink);
        Assert.True((await CheckAsync(viewer, session, token)).Allowed);
        Assert.Equal(ScreenDenial.LinkInvalid, (await CheckAsync(nobody, session, otherToken)).Denial);
        Assert.Equal(ScreenDenial.LinkInvalid, (await CheckAsync(nobody, session, token[..^4] + "AAAA")).Denial);
        Assert.Equal(ScreenDenial.LinkInvalid, (await CheckAsync(nobody, session, "not-a-token")).Denial);
    }

    [Fact]
    public async Task a_revoked_link_closes_and_an_expired_one_too()
    {
        var cast = await WorkingGroupApiCast.ForAsync(portal);
        var (session, _) = await cast.FutureSessionAsync(await cast.NewGroupAsync());
        var nobody = new ClaimsPrincipal(new ClaimsIdentity());

        var revokedLink = await (await cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/screen-links", new { })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await CheckAsync(nobody, session, Token(revokedLink))).Allowed);
        await cast.Chair.DeleteAsync($"/api/v1/sessions/{session}/screen-links/{revokedLink.GetProperty("link").GetProperty("id").GetGuid()}");
        Assert.Equal(ScreenDenial.LinkRevoked, (await CheckAsync(nobody, session, Token(revokedLink))).Denial);

        // Time passing: the stored link's expiry moves into the past, as it would after its hours ran out.
        var expiring = await (await cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/screen-links", new { expiresInHours = 1 })).Content.ReadFromJsonAsync<JsonElement>();
        var id = expiring.GetProperty("link").GetProperty("id").GetGuid();
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            var documents = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
            var stored = (await documents.LoadAsync<ScreenLink>(id))!;
            documents.Store(stored with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });
            await documents.SaveChangesAsync();
        }

        Assert.Equal(ScreenDenial.LinkExpired, (await CheckAsync(nobody, session, Token(expiring))).Denial);

        // A token signed with an expiry already past does not open a link that is still live.
        var live = await (await cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/screen-links", new { })).Content.ReadFromJsonAsync<JsonElement>();
        var tokens = portal.Factory.Services.GetRequiredService<ScreenLinkTokens>();
        var stale = tokens.Issue(live.GetProperty("link").GetProperty("id").GetGuid(), session, DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(ScreenDenial.LinkExpired, (await CheckAsync(nobody, session, stale)).Denial);
        Assert.True((await CheckAsync(nobody, session, Token(live))).Allowed);
    }

    private async Task<ScreenAccessResult> CheckAsync(ClaimsPrincipal user, Guid session, string? link)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ScreenAccess>().CheckAsync(user, session, link, default);
    }

    private static ClaimsPrincipal Person(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    private static string Token(JsonElement created)
    {
        var url = new Uri(created.GetProperty("url").GetString()!);
        return Uri.UnescapeDataString(url.Query.Split("link=")[1]);
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, Guid session) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}/screen-links")).EnumerateArray()];
}
