using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Hardening;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.WorkingGroups;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>
/// <c>GET</c> and <c>PUT /api/v1/sessions/{id}/screen</c> as each kind of person (the cast of the working-group API
/// tests), what a change does, and bad bodies: 400 naming the field (after 403/404), 415 for what is not JSON.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class OperatorApiTests(PortalFixture portal)
{
    private static readonly string[] Managers = ["admin", "chair", "secretary"];
    private static readonly string[] Readers = ["admin", "chair", "secretary", "member", "observer", "member-lead"];
    private static readonly string[] FlagsAndItems = ["flags", "action-items"];
    private static readonly string[] FlagsOnly = ["flags"];

    private static async Task<(Guid Group, Guid Session, Guid Item)> NewSessionAsync(WorkingGroupApiCast cast)
    {
        var group = await cast.NewGroupAsync("Screen API group");
        var (session, _) = await cast.FutureSessionAsync(group, "Screen API session", new[] { new { title = "Compute pooling", durationMinutes = 25 } });
        await using var query = cast.Portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var item = (await query.LoadAsync<GroupSession>(session))!.Agenda.Single().Id;
        return (group, session, item);
    }

    private static Task<HttpResponseMessage> PutJsonAsync(HttpClient client, string url, string json) =>
        client.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public void the_suite_covers_every_screen_state_route()
    {
        var mapped = portal.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is "/api/v1/sessions/{id:guid}/screen")
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            .Order()
            .ToList();
        Assert.Equal(["GET", "PUT"], mapped);
    }

    [Fact]
    public async Task the_groups_readers_read_the_screen_and_others_are_refused()
    {
        var cast = await ForAsync(portal);
        var (_, session, _) = await NewSessionAsync(cast);
        var url = $"/api/v1/sessions/{session}/screen";

        using (var anonymous = await cast.Anonymous.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        foreach (var (who, client) in cast.SignedIn)
        {
            using var response = await client.GetAsync(url);
            if (Readers.Contains(who))
            {
                var body = await ExpectAsync(Task.FromResult(response), HttpStatusCode.OK);
                Assert.Equal(session, body.GetProperty("sessionId").GetGuid());
                Assert.Equal("Heatmap", body.GetProperty("panelNow").GetString());
                Assert.Equal("English", body.GetProperty("language").GetString());
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{who}: {(int)response.StatusCode}");
                await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
            }
        }

        using var missing = await cast.Admin.GetAsync($"/api/v1/sessions/{Guid.NewGuid()}/screen");
        await Problem.AssertAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task only_managers_change_the_screen_and_a_refusal_leaves_it_as_it_was()
    {
        var cast = await ForAsync(portal);
        var (_, session, _) = await NewSessionAsync(cast);
        var url = $"/api/v1/sessions/{session}/screen";

        using (var anonymous = await cast.Anonymous.PutAsJsonAsync(url, new { language = "hindi" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        foreach (var (who, client) in cast.SignedIn.Where(c => !Managers.Contains(c.Who)))
        {
            using var response = await client.PutAsJsonAsync(url, new { language = "hindi" });
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{who}: {(int)response.StatusCode}");
            await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
            // Access is answered before the body is read: a broken body from an outsider is still a 403.
            using var broken = await PutJsonAsync(client, url, "{\"language\":");
            Assert.True(broken.StatusCode == HttpStatusCode.Forbidden, $"{who} (broken body): {(int)broken.StatusCode}");
        }

        var read = await ExpectAsync(cast.Admin.GetAsync(url), HttpStatusCode.OK);
        Assert.Equal("English", read.GetProperty("language").GetString());

        foreach (var (who, panel) in new[] { ("admin", "flags"), ("chair", "changes"), ("secretary", "action-items") })
        {
            var client = cast.SignedIn.Single(c => c.Who == who).Client;
            var changed = await ExpectAsync(client.PutAsJsonAsync(url, new { shown = panel }), HttpStatusCode.OK);
            Assert.Equal(panel.Replace("-", "", StringComparison.Ordinal), changed.GetProperty("shown").GetString()!.ToLowerInvariant());
        }
    }

    [Fact]
    public async Task a_change_sets_the_fields_it_names_as_one_change()
    {
        var cast = await ForAsync(portal);
        var (_, session, item) = await NewSessionAsync(cast);
        var url = $"/api/v1/sessions/{session}/screen";

        var body = await ExpectAsync(cast.Chair.PutAsJsonAsync(url, new
        {
            rotation = new { panels = FlagsAndItems, seconds = 15 },
            language = "alternate",
            countdown = new { agendaItemId = item },
        }), HttpStatusCode.OK);
        Assert.True(body.GetProperty("rotating").GetBoolean());
        Assert.Equal(["Flags", "ActionItems"], body.GetProperty("rotationPanels").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(15, body.GetProperty("rotationSeconds").GetInt32());
        Assert.Equal("Alternate", body.GetProperty("language").GetString());
        var countdown = body.GetProperty("countdown");
        Assert.Equal(item, countdown.GetProperty("agendaItemId").GetGuid());
        Assert.Equal(TimeSpan.FromMinutes(25), countdown.GetProperty("endsAt").GetDateTimeOffset() - countdown.GetProperty("startedAt").GetDateTimeOffset());

        body = await ExpectAsync(cast.Secretary.PutAsJsonAsync(url, new { paused = true, extendCountdownMinutes = 2 }), HttpStatusCode.OK);
        Assert.True(body.GetProperty("paused").GetBoolean());
        Assert.Equal(TimeSpan.FromMinutes(27), body.GetProperty("countdown").GetProperty("endsAt").GetDateTimeOffset()
            - body.GetProperty("countdown").GetProperty("startedAt").GetDateTimeOffset());

        body = await ExpectAsync(cast.Chair.PutAsJsonAsync(url, new { rotating = false, stopCountdown = true, shown = "agenda" }), HttpStatusCode.OK);
        Assert.False(body.GetProperty("rotating").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("countdown").ValueKind);
        Assert.Equal("Agenda", body.GetProperty("panelNow").GetString());

        // A refused part refuses the whole change: the language stays as it was.
        using var refused = await cast.Chair.PutAsJsonAsync(url, new { language = "hindi", rotation = new { panels = FlagsOnly, seconds = 2 } });
        var problem = await Problem.AssertAsync(refused, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("seconds", out _), problem.ToString());
        Assert.Equal("Alternate", (await ExpectAsync(cast.Chair.GetAsync(url), HttpStatusCode.OK)).GetProperty("language").GetString());
    }

    [Theory]
    [InlineData("{\"language\":", "language")]
    [InlineData("{\"shown\":\"wallpaper\"}", "shown")]
    [InlineData("{\"language\":\"french\"}", "language")]
    [InlineData("{\"rotation\":{\"panels\":[\"flags\",\"2\"],\"seconds\":20}}", "rotation.panels")]
    [InlineData("{\"rotation\":{\"panels\":[\"flags\"]}}", "rotation.seconds")]
    [InlineData("{\"countdown\":{\"minutes\":5}}", "countdown.agendaItemId")]
    [InlineData("{\"countdown\":{\"agendaItemId\":\"not-a-guid\"}}", "countdown.agendaItemId")]
    [InlineData("{\"paused\":\"yes\"}", "paused")]
    [InlineData("{\"countdown\":{\"agendaItemId\":\"11111111-2222-4333-8444-555555555555\"}}", "agendaItemId")]
    [InlineData("{\"extendCountdownMinutes\":1}", "countdown")]
    [InlineData("[1,2]", "body")]
    [InlineData("null", "body")]
    public async Task a_bad_body_is_a_400_naming_the_field(string json, string field)
    {
        var cast = await ForAsync(portal);
        var (_, session, _) = await NewSessionAsync(cast);

        using var response = await PutJsonAsync(cast.Secretary, $"/api/v1/sessions/{session}/screen", json);
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.Ordinal)), $"{json}: {problem}");
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_a_415()
    {
        var cast = await ForAsync(portal);
        var (_, session, _) = await NewSessionAsync(cast);
        using var response = await cast.Chair.PutAsync($"/api/v1/sessions/{session}/screen", new StringContent("language=hindi", Encoding.UTF8, "text/plain"));
        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
    }
}
