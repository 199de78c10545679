using System.Net;
using System.Net.Http.Json;
using CoordinationPortal.Integration.Tests.Hardening;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.WorkingGroups;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.Forum.PollApiCast;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>
/// Who may do what on every poll route, as each of the working-group cast: admin, chair, secretary, member, observer,
/// a lead of a member agency, a lead of an outside agency, a viewer, and no one (401). Refusals are 403 ProblemDetails;
/// every allowed call is made for real.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class PollRoleTests(PortalFixture portal)
{
    private static readonly string[] Managers = ["admin", "chair", "secretary"];
    private static readonly string[] Readers = ["admin", "chair", "secretary", "member", "observer", "member-lead"];

    /// <summary>The group's chair, secretary and members, and the leads of its member agencies: not observers, not admins as such.</summary>
    private static readonly string[] Voters = ["chair", "secretary", "member", "member-lead"];

    /// <summary>Every poll route; the test below fails when one is mapped that is not here.</summary>
    private static readonly string[] Covered =
    [
        "POST /api/v1/sessions/{id:guid}/polls", "GET /api/v1/sessions/{id:guid}/polls", "GET /api/v1/polls/{id:guid}",
        "POST /api/v1/polls/{id:guid}/votes", "POST /api/v1/polls/{id:guid}/close", "POST /api/v1/polls/{id:guid}/reveal",
        "POST /api/v1/polls/{id:guid}/decision",
    ];

    private sealed record Call(HttpMethod Method, string Url, object? Body = null);

    [Fact]
    public void the_suite_covers_every_poll_route()
    {
        var mapped = portal.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api/", StringComparison.Ordinal) && raw.Contains("/polls", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order()
            .ToList();
        Assert.Equal(Covered.Order().ToList(), mapped);
    }

    [Fact]
    public async Task the_groups_readers_see_its_polls()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (poll, _) = await OpenAsync(cast, session);

        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/sessions/{session}/polls")), Readers, HttpStatusCode.OK);
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/polls/{poll}")), Readers, HttpStatusCode.OK);
    }

    [Fact]
    public async Task eligible_people_vote_observers_admins_and_outsiders_do_not()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (poll, _) = await OpenAsync(cast, session);

        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Post, $"/api/v1/polls/{poll}/votes", new { choice = "yes" })), Voters, HttpStatusCode.OK);
        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/close", HttpStatusCode.OK);
        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/reveal", HttpStatusCode.OK);
        Assert.Equal(4, Results(await GetAsync(cast.Chair, $"/api/v1/polls/{poll}"))["yes"]);
    }

    [Fact]
    public async Task the_groups_chair_secretary_and_admins_open_close_reveal_and_record()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);

        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Post, $"/api/v1/sessions/{session}/polls", new { question = "Consent to the plan?", kind = "consent" })),
            Managers, HttpStatusCode.Created);

        var (open, _) = await OpenAsync(cast, session);
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Post, $"/api/v1/polls/{open}/close")), Managers, HttpStatusCode.OK);
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Post, $"/api/v1/polls/{open}/reveal")), Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            var (closed, _) = await OpenAsync(cast, session);
            await PostAsync(cast.Chair, $"/api/v1/polls/{closed}/close", HttpStatusCode.OK);
            return new Call(HttpMethod.Post, $"/api/v1/polls/{closed}/decision", new { text = "Recorded from a poll.", textHi = "मतदान से दर्ज।" });
        }, Managers, HttpStatusCode.Created);
    }

    private static async Task CheckAsync(WorkingGroupApiCast cast, Func<Task<Call>> arrange, IReadOnlyCollection<string> allowed, HttpStatusCode success)
    {
        var refused = await arrange();
        using (var anonymous = await SendAsync(cast.Anonymous, refused))
        {
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"anonymous {refused.Method} {refused.Url}: {(int)anonymous.StatusCode}");
        }

        foreach (var (who, client) in cast.SignedIn.Where(c => !allowed.Contains(c.Who)))
        {
            using var response = await SendAsync(client, refused);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden,
                $"{who} {refused.Method} {refused.Url}: expected 403, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
        }

        foreach (var (who, client) in cast.SignedIn.Where(c => allowed.Contains(c.Who)))
        {
            var call = await arrange();
            using var response = await SendAsync(client, call);
            Assert.True(response.StatusCode == success,
                $"{who} {call.Method} {call.Url}: expected {(int)success}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Call call)
    {
        using var request = new HttpRequestMessage(call.Method, call.Url) { Content = call.Body is null ? null : JsonContent.Create(call.Body) };
        return await client.SendAsync(request);
    }
}
