using System.Net;
using System.Net.Http.Json;
using CoordinationPortal.Integration.Tests.Hardening;
using CoordinationPortal.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>
/// Who may do what on every working-group route, as each kind of person: the admin, the group's chair, secretary, member
/// and observer, a lead of a member agency, a lead of an agency outside the group, a viewer, and no one (401). A refusal
/// is a 403 ProblemDetails; every allowed write is made for real, each on a subject of its own.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class WorkingGroupApiRoleTests(PortalFixture portal)
{
    private static readonly string[] Managers = ["admin", "chair", "secretary"];
    private static readonly string[] Readers = ["admin", "chair", "secretary", "member", "observer", "member-lead"];
    private static readonly string[] Everyone = ["admin", "chair", "secretary", "member", "observer", "member-lead", "outside-lead", "viewer"];

    private sealed record Call(HttpMethod Method, string Url, object? Body = null);

    /// <summary>Every route this suite checks; the test below fails when the API maps one that is not here.</summary>
    private static readonly string[] Covered =
    [
        "GET /api/v1/working-groups", "POST /api/v1/working-groups", "GET /api/v1/working-groups/{id:guid}",
        "POST /api/v1/working-groups/{id:guid}/members", "DELETE /api/v1/working-groups/{id:guid}/members/{agencyId:guid}",
        "POST /api/v1/working-groups/{id:guid}/people", "DELETE /api/v1/working-groups/{id:guid}/people/{person}",
        "POST /api/v1/working-groups/{id:guid}/sessions", "GET /api/v1/sessions/{id:guid}", "GET /api/v1/sessions/{id:guid}/calendar.ics",
        "PUT /api/v1/sessions/{id:guid}/agenda", "POST /api/v1/sessions/{id:guid}/start", "POST /api/v1/sessions/{id:guid}/cancel",
        "POST /api/v1/sessions/{id:guid}/attendance", "PUT /api/v1/sessions/{id:guid}/minutes", "POST /api/v1/sessions/{id:guid}/minutes/approve",
        "POST /api/v1/sessions/{id:guid}/minutes/amendments", "GET /api/v1/working-groups/{id:guid}/decisions",
        "POST /api/v1/working-groups/{id:guid}/decisions", "GET /api/v1/working-groups/{id:guid}/action-items",
        "POST /api/v1/working-groups/{id:guid}/action-items", "GET /api/v1/action-items/{id:guid}", "POST /api/v1/action-items/{id:guid}/status",
        "POST /api/v1/working-groups/{id:guid}/decisions/{number:int}/review", "POST /api/v1/working-groups/{id:guid}/initiatives",
        "POST /api/v1/action-items/{id:guid}/due-date", "POST /api/v1/action-items/{id:guid}/proposal/dismiss",
        "GET /api/v1/working-groups/{id:guid}/action-items.xlsx", "GET /api/v1/working-groups/{id:guid}/action-items.csv",
    ];

    [Fact]
    public void the_suite_covers_every_working_group_route()
    {
        var mapped = portal.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw
                && (raw.StartsWith("/api/v1/working-groups", StringComparison.Ordinal) || raw.StartsWith("/api/v1/sessions", StringComparison.Ordinal)
                    || raw.StartsWith("/api/v1/action-items", StringComparison.Ordinal))
                // A session's polls and screen links belong to the forum, whose own role tests cover them.
                && !raw.Contains("/polls", StringComparison.Ordinal) && !raw.Contains("/screen", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order()
            .ToList();
        Assert.Equal(Covered.Order().ToList(), mapped);
    }

    [Fact]
    public async Task reads_answer_each_role_with_what_it_may_see()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var (session, _) = await cast.FutureSessionAsync(group);
        var item = await cast.NewActionItemAsync(group, cast.AgencyA);

        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, "/api/v1/working-groups")), Everyone, HttpStatusCode.OK);
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/working-groups/{group}")), Everyone, HttpStatusCode.OK);
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/working-groups/{group}/decisions")), Everyone, HttpStatusCode.OK);
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/sessions/{session}")), Everyone, HttpStatusCode.OK);
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/sessions/{session}/calendar.ics")), Everyone, HttpStatusCode.OK);
        // Action items are for the group: its people and the leads of its member agencies.
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/working-groups/{group}/action-items")), Readers, HttpStatusCode.OK);
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/action-items/{item}")), Readers, HttpStatusCode.OK);
        // The spreadsheet exports of the action items follow the same rule.
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/working-groups/{group}/action-items.xlsx")), Readers, HttpStatusCode.OK);
        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Get, $"/api/v1/working-groups/{group}/action-items.csv")), Readers, HttpStatusCode.OK);
    }

    [Fact]
    public async Task group_changes_are_for_admins_and_the_groups_chair_and_secretary()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();

        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Post, "/api/v1/working-groups", new
        {
            name = new { en = "Data sharing group", hi = "डेटा साझाकरण समूह" },
            purpose = new { en = "Share health data safely.", hi = "स्वास्थ्य डेटा सुरक्षित रूप से साझा करना।" },
            kind = "sector",
            memberAgencyIds = new[] { cast.AgencyA },
        })), ["admin"], HttpStatusCode.Created);

        await CheckAsync(cast, async () =>
        {
            using var _ = await cast.Admin.DeleteAsync($"/api/v1/working-groups/{group}/members/{cast.AgencyD}");
            return new Call(HttpMethod.Post, $"/api/v1/working-groups/{group}/members", new { agencyId = cast.AgencyD });
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            await ExpectAsync(cast.Admin.PostAsJsonAsync($"/api/v1/working-groups/{group}/members", new { agencyId = cast.AgencyD }), HttpStatusCode.OK);
            return new Call(HttpMethod.Delete, $"/api/v1/working-groups/{group}/members/{cast.AgencyD}");
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            using var _ = await cast.Admin.DeleteAsync($"/api/v1/working-groups/{group}/people/{cast.ExtraName}");
            return new Call(HttpMethod.Post, $"/api/v1/working-groups/{group}/people", new { person = cast.ExtraName, role = "member" });
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            await ExpectAsync(cast.Admin.PostAsJsonAsync($"/api/v1/working-groups/{group}/people", new { person = cast.ExtraName, role = "observer" }), HttpStatusCode.OK);
            return new Call(HttpMethod.Delete, $"/api/v1/working-groups/{group}/people/{cast.ExtraName}");
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Post, $"/api/v1/working-groups/{group}/decisions", new
        {
            text = new { en = "Agencies publish compute plans quarterly.", hi = "एजेंसियाँ हर तिमाही कंप्यूट योजनाएँ प्रकाशित करेंगी।" },
            basis = "consensus",
        })), Managers, HttpStatusCode.Created);

        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Post, $"/api/v1/working-groups/{group}/action-items", new
        {
            agencyId = cast.AgencyA, layer = "data", title = "Name a data steward", dueDate = cast.Today.AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        })), Managers, HttpStatusCode.Created);
    }

    [Fact]
    public async Task session_changes_are_for_admins_and_the_groups_chair_and_secretary()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();

        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Post, $"/api/v1/working-groups/{group}/sessions", new
        {
            title = "Monthly review", startsAt = DateTimeOffset.UtcNow.AddDays(3), endsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(1),
        })), Managers, HttpStatusCode.Created);

        await CheckAsync(cast, async () =>
        {
            var (id, version) = await cast.FutureSessionAsync(group);
            return new Call(HttpMethod.Put, $"/api/v1/sessions/{id}/agenda", new
            {
                agenda = new[] { new { title = "Data layer gaps", durationMinutes = 20 } }, expectedVersion = version,
            });
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            var (id, version) = await cast.FutureSessionAsync(group);
            return new Call(HttpMethod.Post, $"/api/v1/sessions/{id}/start", new { expectedVersion = version });
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            var (id, _) = await cast.FutureSessionAsync(group);
            return new Call(HttpMethod.Post, $"/api/v1/sessions/{id}/cancel", new { reason = "The minister is travelling." });
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            var (id, _) = await cast.PastSessionAsync(group);
            return new Call(HttpMethod.Post, $"/api/v1/sessions/{id}/attendance", new { attendees = new[] { new { name = "Dr. Rao", agencyId = cast.AgencyA } } });
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            var (id, version) = await cast.PastSessionAsync(group);
            return new Call(HttpMethod.Put, $"/api/v1/sessions/{id}/minutes", new { markdown = "Minutes of the meeting.", expectedVersion = version });
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            var (id, version) = await cast.DraftedSessionAsync(group);
            return new Call(HttpMethod.Post, $"/api/v1/sessions/{id}/minutes/approve", new { expectedVersion = version });
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            var (id, _) = await cast.ApprovedSessionAsync(group);
            return new Call(HttpMethod.Post, $"/api/v1/sessions/{id}/minutes/amendments", new { markdown = "Dr. Rao presented, not Dr. Rai.", reason = "A name was wrong." });
        }, Managers, HttpStatusCode.Created);
    }

    [Fact]
    public async Task an_action_items_status_is_for_the_managers_and_the_owner_agencys_leads()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();

        await CheckAsync(cast, async () =>
        {
            var item = await cast.NewActionItemAsync(group, cast.AgencyA);
            return new Call(HttpMethod.Post, $"/api/v1/action-items/{item}/status", new { status = "in-progress", expectedVersion = 1 });
        }, [.. Managers, "member-lead"], HttpStatusCode.OK);
    }

    [Fact]
    public async Task reviewing_a_decision_and_launching_an_initiative_are_for_the_groups_managers()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();

        await CheckAsync(cast, async () =>
        {
            var recorded = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/decisions", new
            {
                text = new { en = "Pool GPU capacity across ministries.", hi = "मंत्रालयों में जीपीयू क्षमता साझा करें।" },
                basis = "consensus",
                reviewOn = cast.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            }), HttpStatusCode.Created);
            var number = recorded.GetProperty("number").GetInt32();
            return new Call(HttpMethod.Post, $"/api/v1/working-groups/{group}/decisions/{number}/review", new { note = "Still right; the pool is in use." });
        }, Managers, HttpStatusCode.OK);

        await CheckAsync(cast, () => Task.FromResult(new Call(HttpMethod.Post, $"/api/v1/working-groups/{group}/initiatives", new
        {
            title = new { en = "Data at level 3 by next year", hi = "अगले वर्ष तक डेटा स्तर 3 पर" },
            layers = (string[])["data"],
            targetLevel = 3,
            deadline = cast.Today.AddDays(365).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        })), Managers, HttpStatusCode.Created);
    }

    [Fact]
    public async Task a_new_due_date_and_dismissing_a_proposal_are_for_the_managers_and_the_owner_agencys_leads()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();

        await CheckAsync(cast, async () =>
        {
            var item = await cast.NewActionItemAsync(group, cast.AgencyA);
            return new Call(HttpMethod.Post, $"/api/v1/action-items/{item}/due-date", new
            {
                dueDate = cast.Today.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                reason = "The vendor needs another month.",
                expectedVersion = 1,
            });
        }, [.. Managers, "member-lead"], HttpStatusCode.OK);

        await CheckAsync(cast, async () =>
        {
            // An item with a target, which the portal has proposed as done (as it does when the target level is reached).
            var created = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/action-items", new
            {
                agencyId = cast.AgencyA,
                layer = "data",
                title = "Reach level 3 on data quality",
                dueDate = cast.Today.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                indicatorId = "data.quality-management",
                targetLevel = 3,
            }), HttpStatusCode.Created);
            var item = created.GetProperty("id").GetGuid();
            await using var scope = portal.Factory.Services.CreateAsyncScope();
            var proposed = await scope.ServiceProvider.GetRequiredService<CoordinationPortal.Web.WorkingGroups.WorkingGroupHandler>()
                .ProposeDoneAsync(item, CoordinationPortal.Domain.WorkingGroups.ProposalReason.TargetReached, DateTimeOffset.UtcNow, CancellationToken.None);
            Assert.IsType<CoordinationPortal.Web.Kernel.Commands.CommandOutcome.Accepted>(proposed);
            return new Call(HttpMethod.Post, $"/api/v1/action-items/{item}/proposal/dismiss", new { note = "The new level is not reviewed yet." });
        }, [.. Managers, "member-lead"], HttpStatusCode.OK);
    }

    /// <summary>
    /// Anonymous → 401; each signed-in person not in <paramref name="allowed"/> → 403 ProblemDetails (on one subject, which a
    /// refusal leaves as it was); each allowed person → <paramref name="success"/>, each on a subject <paramref name="arrange"/> makes anew.
    /// </summary>
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
