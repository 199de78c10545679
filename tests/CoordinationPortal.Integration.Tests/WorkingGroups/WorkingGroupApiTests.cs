using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Hardening;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>The working-groups API on the real portal: concurrency, input errors, minutes, carry-forward, decisions, action items.</summary>
[Collection(PortalTests.Name)]
public sealed class WorkingGroupApiTests(PortalFixture portal)
{
    private static readonly string[] ComputeLayer = ["compute"];

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string[] Codes(JsonElement problem, string field) =>
        [.. problem.GetProperty("codes").GetProperty(field).EnumerateArray().Select(c => c.GetString()!)];

    [Fact]
    public async Task a_stale_expected_version_is_a_409_with_the_current_version()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var (session, version) = await cast.PastSessionAsync(group);
        var drafted = await ExpectAsync(cast.Secretary.PutAsJsonAsync($"/api/v1/sessions/{session}/minutes", new { markdown = "First draft.", expectedVersion = version }), HttpStatusCode.OK);
        Assert.Equal(version + 1, drafted.GetProperty("version").GetInt64());

        // The chair drafts from the version they read, after the secretary's draft: nothing is overwritten.
        using var stale = await cast.Chair.PutAsJsonAsync($"/api/v1/sessions/{session}/minutes", new { markdown = "Another draft.", expectedVersion = version });
        var problem = await Problem.AssertAsync(stale, HttpStatusCode.Conflict);
        Assert.Equal(version + 1, problem.GetProperty("currentVersion").GetInt64());
        var read = await cast.Chair.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}");
        Assert.Equal("First draft.", read.GetProperty("minutes").GetProperty("markdown").GetString());

        // The same for an action item's status.
        var item = await cast.NewActionItemAsync(group, cast.AgencyA);
        await ExpectAsync(cast.MemberLead.PostAsJsonAsync($"/api/v1/action-items/{item}/status", new { status = "in-progress", expectedVersion = 1 }), HttpStatusCode.OK);
        using var again = await cast.Chair.PostAsJsonAsync($"/api/v1/action-items/{item}/status", new { status = "done", expectedVersion = 1 });
        Assert.Equal(2, (await Problem.AssertAsync(again, HttpStatusCode.Conflict)).GetProperty("currentVersion").GetInt64());

        // A change without the version it is based on is refused, naming the field.
        using var missing = await cast.Chair.PostAsJsonAsync($"/api/v1/action-items/{item}/status", new { status = "done" });
        Assert.NotEmpty(Problem.Message(await Problem.AssertAsync(missing, HttpStatusCode.BadRequest), "expectedVersion"));
    }

    [Fact]
    public async Task bad_input_is_a_400_problem_naming_each_field()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();

        // Not JSON at all, and JSON cut short: a 400 naming where the reader stopped.
        using var malformed = await cast.Admin.PostAsync("/api/v1/working-groups", Problem.Json("this is not json"));
        Assert.NotEmpty(Problem.Message(await Problem.AssertAsync(malformed, HttpStatusCode.BadRequest), "body"));
        using var truncated = await cast.Admin.PostAsync("/api/v1/working-groups", Problem.Json("{\"name\": {\"en\": \"x\""));
        Assert.NotEmpty((await Problem.AssertAsync(truncated, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject());

        // A value of the wrong type is named by its path.
        using var wrongType = await cast.Chair.PostAsync($"/api/v1/working-groups/{group}/sessions",
            Problem.Json("""{"title":"x","startsAt":"next tuesday","endsAt":"2026-01-01T10:00:00Z"}"""));
        Assert.NotEmpty(Problem.Message(await Problem.AssertAsync(wrongType, HttpStatusCode.BadRequest), "startsAt"));
        using var wrongAgenda = await cast.Chair.PostAsync($"/api/v1/working-groups/{group}/sessions",
            Problem.Json("""{"title":"x","startsAt":"2026-01-01T09:00:00Z","endsAt":"2026-01-01T10:00:00Z","agenda":[{"title":"a","durationMinutes":[]}]}"""));
        Assert.NotEmpty(Problem.Message(await Problem.AssertAsync(wrongAgenda, HttpStatusCode.BadRequest), "agenda[0].durationMinutes"));

        // An unknown enum value, with the values allowed.
        using var unknownKind = await cast.Admin.PostAsJsonAsync("/api/v1/working-groups", new
        {
            name = new { en = "Group", hi = "समूह" }, purpose = new { en = "Purpose", hi = "उद्देश्य" }, kind = "galactic",
        });
        var kindProblem = await Problem.AssertAsync(unknownKind, HttpStatusCode.BadRequest);
        Assert.Contains("galactic", Problem.Message(kindProblem, "kind"), StringComparison.Ordinal);
        Assert.Contains("multi-stakeholder", Problem.Message(kindProblem, "kind"), StringComparison.Ordinal);

        // The Hindi text missing (and the English too long) — both named, with the domain's codes.
        using var noHindi = await cast.Admin.PostAsJsonAsync("/api/v1/working-groups", new
        {
            name = new { en = "Health data group" }, purpose = new { en = new string('x', 2001), hi = "उद्देश्य" }, kind = "sector",
        });
        var hindiProblem = await Problem.AssertAsync(noHindi, HttpStatusCode.BadRequest);
        Assert.Equal(["WorkingGroup.TextRequired"], Codes(hindiProblem, "name.hi"));
        Assert.Equal(["WorkingGroup.TextTooLong"], Codes(hindiProblem, "purpose.en"));
        Assert.NotEmpty(Problem.Message(hindiProblem, "name.hi"));
        Assert.False(hindiProblem.GetProperty("errors").TryGetProperty("name.en", out _));

        // A session that ends before it starts, with a link no browser should open, and an agenda item of no length.
        var start = DateTimeOffset.UtcNow.AddDays(2);
        using var badSession = await cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/sessions", new
        {
            title = "Backwards", startsAt = start, endsAt = start.AddHours(-1), link = "javascript:alert(1)",
            agenda = new[] { new { title = "Nothing", durationMinutes = 0, layer = "compute" } },
        });
        var sessionProblem = await Problem.AssertAsync(badSession, HttpStatusCode.BadRequest);
        Assert.Equal(["Session.EndsBeforeStart"], Codes(sessionProblem, "endsAt"));
        Assert.Equal(["Session.LinkInvalid"], Codes(sessionProblem, "link"));
        Assert.Equal(["Session.DurationOutOfRange"], Codes(sessionProblem, "agenda[0].durationMinutes"));

        // Enums in the action-item routes, and a body that is not JSON.
        using var badLayer = await cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/action-items", new
        {
            agencyId = cast.AgencyA, layer = "cosmic", title = "x", dueDate = Day(cast.Today),
        });
        Assert.Contains("cosmic", Problem.Message(await Problem.AssertAsync(badLayer, HttpStatusCode.BadRequest), "layer"), StringComparison.Ordinal);
        var item = await cast.NewActionItemAsync(group, cast.AgencyA);
        using var badStatus = await cast.Chair.PostAsJsonAsync($"/api/v1/action-items/{item}/status", new { status = "finished", expectedVersion = 1 });
        Assert.NotEmpty(Problem.Message(await Problem.AssertAsync(badStatus, HttpStatusCode.BadRequest), "status"));
        using var text = await cast.Chair.PostAsync($"/api/v1/action-items/{item}/status", new StringContent("status=done"));
        await Problem.AssertAsync(text, HttpStatusCode.UnsupportedMediaType);

        // The same refusal in Hindi.
        using var hindi = await Problem.SendAsync(cast.Chair, HttpMethod.Post, $"/api/v1/action-items/{item}/status",
            Problem.Json("""{"status":"dropped","expectedVersion":1}"""), "hi-IN");
        var dropProblem = await Problem.AssertAsync(hindi, HttpStatusCode.BadRequest);
        Assert.Equal(["ActionItem.DropReasonRequired"], Codes(dropProblem, "note"));
        Assert.Equal("बताएँ कि कार्य-बिंदु क्यों छोड़ा जा रहा है।", Problem.Message(dropProblem, "note"));
    }

    [Fact]
    public async Task status_names_are_read_with_hyphens_or_as_the_enum_names_in_any_case()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var item = await cast.NewActionItemAsync(group, cast.AgencyA);

        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/action-items/{item}/status", new { status = "in-progress", expectedVersion = 1 }), HttpStatusCode.OK);
        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/action-items/{item}/status", new { status = "OPEN", expectedVersion = 2 }), HttpStatusCode.OK);
        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/action-items/{item}/status", new { status = "InProgress", expectedVersion = 3 }), HttpStatusCode.OK);
        var read = await cast.Chair.GetFromJsonAsync<JsonElement>($"/api/v1/action-items/{item}");
        Assert.Equal("InProgress", read.GetProperty("item").GetProperty("status").GetString());
        Assert.Equal(4, read.GetProperty("item").GetProperty("version").GetInt64());
        Assert.Equal(["Open", "InProgress", "Open", "InProgress"], read.GetProperty("item").GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task approved_minutes_never_change_and_amendments_say_who_and_why()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var (session, version) = await cast.DraftedSessionAsync(group);

        // A viewer does not see a draft: the session, without minutes.
        var draftForViewer = await cast.Viewer.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}");
        Assert.Equal("MinutesDrafted", draftForViewer.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, draftForViewer.GetProperty("minutes").ValueKind);
        Assert.Equal(JsonValueKind.Null, draftForViewer.GetProperty("actionItems").ValueKind);

        var approved = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/minutes/approve", new { expectedVersion = version }), HttpStatusCode.OK);
        var after = approved.GetProperty("version").GetInt64();

        using var overwrite = await cast.Chair.PutAsJsonAsync($"/api/v1/sessions/{session}/minutes", new { markdown = "Rewritten history.", expectedVersion = after });
        var problem = await Problem.AssertAsync(overwrite, HttpStatusCode.BadRequest);
        Assert.Equal(["Session.MinutesAlreadyApproved"], Codes(problem, "request"));
        using var twice = await cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/minutes/approve", new { expectedVersion = after });
        Assert.Equal(["Session.MinutesAlreadyApproved"], Codes(await Problem.AssertAsync(twice, HttpStatusCode.BadRequest), "request"));
        using var stale = await cast.Secretary.PutAsJsonAsync($"/api/v1/sessions/{session}/minutes", new { markdown = "Rewritten history.", expectedVersion = version });
        await Problem.AssertAsync(stale, HttpStatusCode.Conflict);

        using var noReason = await cast.Secretary.PostAsJsonAsync($"/api/v1/sessions/{session}/minutes/amendments", new { markdown = "Dr. Rao, not Dr. Rai." });
        Assert.Equal(["WorkingGroup.TextRequired"], Codes(await Problem.AssertAsync(noReason, HttpStatusCode.BadRequest), "reason"));
        var amended = await ExpectAsync(cast.Secretary.PostAsJsonAsync($"/api/v1/sessions/{session}/minutes/amendments", new
        {
            markdown = "Dr. Rao presented the plans, not Dr. Rai.", reason = "A presenter's name was wrong.",
        }), HttpStatusCode.Created);
        Assert.Equal(1, amended.GetProperty("number").GetInt32());
        var second = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/minutes/amendments", new
        {
            markdown = "The meeting ended at 11:30.", reason = "The end time was missing.",
        }), HttpStatusCode.Created);
        Assert.Equal(2, second.GetProperty("number").GetInt32());

        // Everyone signed in reads approved minutes and their amendments.
        var read = await cast.Viewer.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}");
        Assert.Equal("# Minutes\n\nThe group reviewed the compute plans.", read.GetProperty("minutes").GetProperty("markdown").GetString());
        Assert.True(read.GetProperty("minutes").GetProperty("approved").GetBoolean());
        Assert.Equal(cast.ChairName, read.GetProperty("minutes").GetProperty("approvedBy").GetString());
        var amendments = read.GetProperty("amendments").EnumerateArray().ToList();
        Assert.Equal(2, amendments.Count);
        Assert.Equal(1, amendments[0].GetProperty("number").GetInt32());
        Assert.Equal(cast.SecretaryName, amendments[0].GetProperty("by").GetString());
        Assert.Equal("A presenter's name was wrong.", amendments[0].GetProperty("reason").GetString());
        Assert.Equal("Dr. Rao presented the plans, not Dr. Rai.", amendments[0].GetProperty("markdown").GetString());
        Assert.Equal(cast.ChairName, amendments[1].GetProperty("by").GetString());
    }

    [Fact]
    public async Task open_action_items_carry_forward_onto_the_next_sessions_agenda_and_done_ones_do_not()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var open = await cast.NewActionItemAsync(group, cast.AgencyA, "compute", title: "Publish the GPU capacity plan");
        var inProgress = await cast.NewActionItemAsync(group, cast.AgencyC, "data", title: "Name a data steward");
        var done = await cast.NewActionItemAsync(group, cast.AgencyA, "skills", title: "Train the first cohort");
        var dropped = await cast.NewActionItemAsync(group, cast.AgencyC, "governance", title: "Draft a model policy");
        await ExpectAsync(cast.MemberLead.PostAsJsonAsync($"/api/v1/action-items/{done}/status", new { status = "done", expectedVersion = 1 }), HttpStatusCode.OK);
        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/action-items/{inProgress}/status", new { status = "in-progress", expectedVersion = 1 }), HttpStatusCode.OK);
        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/action-items/{dropped}/status", new { status = "dropped", note = "Overtaken by the national policy.", expectedVersion = 1 }), HttpStatusCode.OK);

        var (session, _) = await cast.FutureSessionAsync(group, agenda: new[] { new { title = "Opening", durationMinutes = 10, presenter = "Chair" } });
        var agenda = (await cast.Chair.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}")).GetProperty("agenda").EnumerateArray().ToList();
        Assert.Equal("Opening", agenda[0].GetProperty("title").GetString());
        var carried = agenda.Where(a => a.GetProperty("actionItemId").ValueKind == JsonValueKind.String).ToList();
        Assert.Equal(new[] { open, inProgress }.Order(), carried.Select(a => a.GetProperty("actionItemId").GetGuid()).Order());
        Assert.Contains(carried, a => a.GetProperty("title").GetString() == "Publish the GPU capacity plan" && a.GetProperty("layer").GetString() == "Compute");

        // An item recorded after scheduling joins the agenda when the session starts; nothing is carried twice.
        var later = await cast.NewActionItemAsync(group, cast.AgencyA, "operations", title: "Set up an on-call rota");
        var version = (await cast.Chair.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}")).GetProperty("version").GetInt64();
        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/start", new { expectedVersion = version }), HttpStatusCode.OK);
        var started = (await cast.Chair.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}")).GetProperty("agenda").EnumerateArray()
            .Where(a => a.GetProperty("actionItemId").ValueKind == JsonValueKind.String).Select(a => a.GetProperty("actionItemId").GetGuid()).Order().ToList();
        Assert.Equal(new[] { open, inProgress, later }.Order(), started);

        // A viewer sees the session's agenda without the group's action items.
        var forViewer = await cast.Viewer.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}");
        Assert.All(forViewer.GetProperty("agenda").EnumerateArray(), a => Assert.Equal(JsonValueKind.Null, a.GetProperty("actionItemId").ValueKind));
    }

    [Fact]
    public async Task decisions_are_numbered_in_their_group_and_readable_by_viewers()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var other = await cast.NewGroupAsync("Another group");
        var (session, _) = await cast.PastSessionAsync(group);

        async Task<int> DecideAsync(Guid groupId, object body) =>
            (await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{groupId}/decisions", body), HttpStatusCode.Created)).GetProperty("number").GetInt32();

        Assert.Equal(1, await DecideAsync(group, new
        {
            text = new { en = "Publish compute plans quarterly.", hi = "कंप्यूट योजनाएँ हर तिमाही प्रकाशित करें।" }, basis = "consensus", sessionId = session,
            layers = ComputeLayer, agencyIds = new[] { cast.AgencyA }, reviewOn = Day(cast.Today),
        }));
        Assert.Equal(1, await DecideAsync(other, new { text = new { en = "Meet monthly.", hi = "हर महीने मिलें।" }, basis = "consensus" }));
        Assert.Equal(2, await DecideAsync(group, new
        {
            text = new { en = "Adopt the shared data catalogue.", hi = "साझा डेटा सूची अपनाएँ।" }, basis = "vote",
            counts = new[] { new { option = "for", count = 9 }, new { option = "against", count = 2 } },
        }));
        Assert.Equal(3, await DecideAsync(group, new { text = new { en = "Invite industry observers.", hi = "उद्योग पर्यवेक्षकों को आमंत्रित करें।" }, basis = "Consensus" }));

        // A vote needs its counts; the numbering is not spent on a refusal.
        using var noCounts = await cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/decisions", new { text = new { en = "x", hi = "क" }, basis = "vote" });
        Assert.Equal(["Decision.CountsRequired"], Codes(await Problem.AssertAsync(noCounts, HttpStatusCode.BadRequest), "counts"));

        var log = (await cast.Viewer.GetFromJsonAsync<JsonElement>($"/api/v1/working-groups/{group}/decisions")).EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], log.Select(d => d.GetProperty("number").GetInt32()));
        Assert.Equal(session, log[0].GetProperty("sessionId").GetGuid());
        Assert.True(log[0].GetProperty("dueForReview").GetBoolean());
        Assert.False(log[1].GetProperty("dueForReview").GetBoolean());
        Assert.Equal("Vote", log[1].GetProperty("basis").GetString());
        Assert.Equal(9, log[1].GetProperty("counts")[0].GetProperty("count").GetInt32());
        Assert.Equal("साझा डेटा सूची अपनाएँ।", log[1].GetProperty("text").GetProperty("hi").GetString());
        Assert.Equal(cast.ChairName, log[2].GetProperty("by").GetString());

        // The session it was taken in lists it.
        var sessionView = await cast.Member.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}");
        Assert.Equal([1], sessionView.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("number").GetInt32()));
    }

    [Fact]
    public async Task an_action_items_status_is_changed_by_its_owner_agencys_lead_and_not_by_another_agencys()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var ownedByA = await cast.NewActionItemAsync(group, cast.AgencyA);
        var ownedByC = await cast.NewActionItemAsync(group, cast.AgencyC);

        var changed = await ExpectAsync(cast.MemberLead.PostAsJsonAsync($"/api/v1/action-items/{ownedByA}/status", new
        {
            status = "done", note = "Plan published on the ministry site.", expectedVersion = 1,
        }), HttpStatusCode.OK);
        Assert.Equal(2, changed.GetProperty("version").GetInt64());

        // A lead of another member agency may read the item but not change it; a lead outside the group may do neither.
        using var otherMember = await cast.MemberLead.PostAsJsonAsync($"/api/v1/action-items/{ownedByC}/status", new { status = "done", expectedVersion = 1 });
        await Problem.AssertAsync(otherMember, HttpStatusCode.Forbidden);
        using var outside = await cast.OutsideLead.PostAsJsonAsync($"/api/v1/action-items/{ownedByA}/status", new { status = "open", note = "Reopening.", expectedVersion = 2 });
        await Problem.AssertAsync(outside, HttpStatusCode.Forbidden);

        var read = await cast.MemberLead.GetFromJsonAsync<JsonElement>($"/api/v1/action-items/{ownedByA}");
        Assert.Equal("Done", read.GetProperty("item").GetProperty("status").GetString());
        Assert.True(read.GetProperty("mayUpdate").GetBoolean());
        var history = read.GetProperty("item").GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("Plan published on the ministry site.", history[^1].GetProperty("note").GetString());
        Assert.False((await cast.MemberLead.GetFromJsonAsync<JsonElement>($"/api/v1/action-items/{ownedByC}")).GetProperty("mayUpdate").GetBoolean());
    }

    [Fact]
    public async Task an_action_item_may_be_recorded_with_a_due_date_in_the_past()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var (session, _) = await cast.PastSessionAsync(group);
        var due = cast.Today.AddDays(-30);

        var created = await ExpectAsync(cast.Secretary.PostAsJsonAsync($"/api/v1/working-groups/{group}/action-items", new
        {
            agencyId = cast.AgencyA, layer = "compute", title = "Commission the shared cluster", dueDate = Day(due), owner = "Joint Secretary (IT)",
            sessionId = session, indicatorId = "compute.capacity", targetLevel = 3,
        }), HttpStatusCode.Created);
        var item = (await cast.Chair.GetFromJsonAsync<JsonElement>($"/api/v1/action-items/{created.GetProperty("id").GetGuid()}")).GetProperty("item");
        Assert.Equal(Day(due), item.GetProperty("dueDate").GetString());
        Assert.True(item.GetProperty("overdue").GetBoolean());
        Assert.Equal(30, item.GetProperty("daysOverdue").GetInt32());
        Assert.Equal("compute.capacity", item.GetProperty("indicatorId").GetString());
        Assert.Equal(3, item.GetProperty("targetLevel").GetInt32());
        Assert.Equal(session, item.GetProperty("sessionId").GetGuid());
        Assert.Equal(cast.SecretaryName, item.GetProperty("recordedBy").GetString());

        // But not for an agency outside the group, nor with half a target.
        using var outsider = await cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/action-items", new
        {
            agencyId = cast.AgencyB, layer = "compute", title = "x", dueDate = Day(due), targetLevel = 3,
        });
        var problem = await Problem.AssertAsync(outsider, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Problem.Message(problem, "indicatorId"));
        using var notMember = await cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/action-items", new
        {
            agencyId = cast.AgencyB, layer = "compute", title = "x", dueDate = Day(due),
        });
        Assert.Equal(["WorkingGroup.AgencyNotMember"], Codes(await Problem.AssertAsync(notMember, HttpStatusCode.BadRequest), "agencyId"));
    }

    [Fact]
    public async Task a_groups_action_items_filter_and_page_with_the_total()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var overdueA = await cast.NewActionItemAsync(group, cast.AgencyA, "compute", cast.Today.AddDays(-5));
        var soonA = await cast.NewActionItemAsync(group, cast.AgencyA, "data", cast.Today.AddDays(5));
        var laterC = await cast.NewActionItemAsync(group, cast.AgencyC, "compute", cast.Today.AddDays(10));
        var doneC = await cast.NewActionItemAsync(group, cast.AgencyC, "data", cast.Today.AddDays(-10));
        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/action-items/{doneC}/status", new { status = "done", expectedVersion = 1 }), HttpStatusCode.OK);

        async Task ExpectPageAsync(string query, int total, params Guid[] ids)
        {
            var page = await cast.Observer.GetFromJsonAsync<JsonElement>($"/api/v1/working-groups/{group}/action-items?{query}");
            Assert.True(total == page.GetProperty("total").GetInt32(), query);
            Assert.Equal(ids, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        }

        await ExpectPageAsync("", 4, overdueA, soonA, laterC, doneC);
        await ExpectPageAsync("status=done", 1, doneC);
        await ExpectPageAsync($"agencyId={cast.AgencyA}", 2, overdueA, soonA);
        await ExpectPageAsync("layer=compute", 2, overdueA, laterC);
        await ExpectPageAsync("overdue=true", 1, overdueA);
        await ExpectPageAsync($"agencyId={cast.AgencyC}&status=open", 1, laterC);
        await ExpectPageAsync("limit=2&offset=2", 4, laterC, doneC);
        var page = await cast.Observer.GetFromJsonAsync<JsonElement>($"/api/v1/working-groups/{group}/action-items?limit=1");
        Assert.Equal(1, page.GetProperty("limit").GetInt32());
        Assert.Equal(200, (await cast.Observer.GetFromJsonAsync<JsonElement>($"/api/v1/working-groups/{group}/action-items")).GetProperty("limit").GetInt32());

        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=1001", "limit"), ("offset=-1", "offset"), ("status=late", "status"), ("layer=x", "layer"), ("agencyId=x", "agencyId"), ("overdue=maybe", "overdue") })
        {
            using var bad = await cast.Observer.GetAsync($"/api/v1/working-groups/{group}/action-items?{query}");
            Assert.NotEmpty(Problem.Message(await Problem.AssertAsync(bad, HttpStatusCode.BadRequest), field));
        }
    }

    [Fact]
    public async Task a_viewer_reads_a_group_without_its_action_items_people_or_unapproved_sessions()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        await cast.NewActionItemAsync(group, cast.AgencyA);
        var (approved, _) = await cast.ApprovedSessionAsync(group);
        var (planned, _) = await cast.FutureSessionAsync(group);

        var member = await cast.Member.GetFromJsonAsync<JsonElement>($"/api/v1/working-groups/{group}");
        Assert.True(member.GetProperty("readsAll").GetBoolean());
        Assert.False(member.GetProperty("manages").GetBoolean());
        Assert.Single(member.GetProperty("actionItems").EnumerateArray());
        Assert.Equal(4, member.GetProperty("people").GetArrayLength());
        Assert.Equal(new[] { approved, planned }.Order(), member.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).Order());

        var viewer = await cast.Viewer.GetFromJsonAsync<JsonElement>($"/api/v1/working-groups/{group}");
        Assert.False(viewer.GetProperty("readsAll").GetBoolean());
        Assert.Equal(JsonValueKind.Null, viewer.GetProperty("actionItems").ValueKind);
        Assert.Equal(JsonValueKind.Null, viewer.GetProperty("counts").ValueKind);
        Assert.Equal(JsonValueKind.Null, viewer.GetProperty("people").ValueKind);
        Assert.Equal(JsonValueKind.Null, viewer.GetProperty("flags").ValueKind);
        Assert.Equal([approved], viewer.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal(2, viewer.GetProperty("members").GetArrayLength());
        Assert.Equal("कंप्यूट समन्वय समूह", viewer.GetProperty("name").GetProperty("hi").GetString());

        var row = (await cast.Viewer.GetFromJsonAsync<JsonElement>("/api/v1/working-groups")).EnumerateArray().Single(g => g.GetProperty("id").GetGuid() == group);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("openItems").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("nextSession").ValueKind);
        var memberRow = (await cast.Member.GetFromJsonAsync<JsonElement>("/api/v1/working-groups")).EnumerateArray().Single(g => g.GetProperty("id").GetGuid() == group);
        Assert.Equal(1, memberRow.GetProperty("openItems").GetInt32());
        Assert.Equal(planned, memberRow.GetProperty("nextSession").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task what_does_not_exist_is_a_404_and_people_must_be_portal_users()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var missing = Guid.NewGuid();
        foreach (var url in new[]
        {
            $"/api/v1/working-groups/{missing}", $"/api/v1/working-groups/{missing}/decisions", $"/api/v1/working-groups/{missing}/action-items",
            $"/api/v1/sessions/{missing}", $"/api/v1/sessions/{missing}/calendar.ics", $"/api/v1/action-items/{missing}",
        })
        {
            using var response = await cast.Admin.GetAsync(url);
            await Problem.AssertAsync(response, HttpStatusCode.NotFound);
        }

        using var noGroup = await cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{missing}/decisions", new { text = new { en = "x", hi = "क" }, basis = "consensus" });
        await Problem.AssertAsync(noGroup, HttpStatusCode.NotFound);
        using var noSession = await cast.Chair.PutAsJsonAsync($"/api/v1/sessions/{missing}/minutes", new { markdown = "x", expectedVersion = 1 });
        await Problem.AssertAsync(noSession, HttpStatusCode.NotFound);

        using var stranger = await cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/people", new { person = "nobody-at-all@portal.local", role = "chair" });
        Assert.NotEmpty(Problem.Message(await Problem.AssertAsync(stranger, HttpStatusCode.BadRequest), "person"));
        // Input errors never tell a reader who may not act more than a refusal would.
        using var viewerBadInput = await cast.Viewer.PostAsJsonAsync($"/api/v1/working-groups/{group}/people", new { person = "nobody-at-all@portal.local", role = "emperor" });
        await Problem.AssertAsync(viewerBadInput, HttpStatusCode.Forbidden);
    }
}
