using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupPageData;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>
/// The working-group pages over HTTP, as the real host renders them: who sees what (a viewer never sees action items or
/// draft minutes, even by typing their address), the group page's filters and pages, and the forms a chair and a lead post.
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class WorkingGroupPageTests(PortalFixture portal)
{
    /// <summary>The portal's today (its time zone, not the test machine's): what "overdue" is counted from.</summary>
    private DateOnly Today => portal.Factory.Services.GetRequiredService<PortalClock>().Today;

    private static string Unique(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task a_viewer_sees_the_group_and_its_decisions_but_no_action_items_or_draft_minutes_even_by_address()
    {
        var name = Unique("Viewer group");
        var group = await GroupAsync(portal, name);
        var drafted = await SessionAsync(portal, group, "Drafted session", DateTimeOffset.Now.AddDays(-3));
        Assert.IsType<CommandOutcome.Accepted>(await ActAsync(portal, Chair, new DraftMinutes(drafted, "Secret draft minutes text.", "", default)));
        var approved = await SessionAsync(portal, group, "Approved session", DateTimeOffset.Now.AddDays(-10));
        Assert.IsType<CommandOutcome.Accepted>(await ActAsync(portal, Chair, new DraftMinutes(approved, "Agreed: **pool GPUs**.", "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await ActAsync(portal, Chair, new ApproveMinutes(approved, "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await ActAsync(portal, Chair, new RecordDecision(
            group, new LocalizedText("Pool GPU capacity across ministries.", "मंत्रालयों में जीपीयू क्षमता साझा करें।"), approved, false, DecisionBasis.Consensus,
            [], [], [Layer.Compute], [], Today.AddDays(-1), Today.AddDays(-10), "", default)));
        var item = await ItemAsync(portal, group, "Secret action item title", Demo.LedAgency, Today.AddDays(-5), approved);

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var page = await PageAsync(viewer, $"/working-groups/{group}");
        Assert.Contains(name, page, StringComparison.Ordinal);
        Assert.Contains("Pool GPU capacity across ministries.", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"due-for-review\"", page, StringComparison.Ordinal);
        Assert.Contains("Approved session", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Drafted session", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret action item title", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"action-items\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"manager-actions\"", page, StringComparison.Ordinal);

        // Typing the addresses gives 403 and nothing of what is behind them.
        var itemPage = await PageAsync(viewer, $"/action-items/{item}", HttpStatusCode.Forbidden);
        Assert.DoesNotContain("Secret action item title", itemPage, StringComparison.Ordinal);
        var draftPage = await PageAsync(viewer, $"/sessions/{drafted}", HttpStatusCode.Forbidden);
        Assert.DoesNotContain("Secret draft minutes text.", draftPage, StringComparison.Ordinal);
        var approvedPage = await PageAsync(viewer, $"/sessions/{approved}");
        Assert.Contains("<strong>pool GPUs</strong>", approvedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret action item title", approvedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"minutes-form\"", approvedPage, StringComparison.Ordinal);

        // The forms of the group's managers are refused to a viewer as well.
        await PageAsync(viewer, $"/working-groups/{group}/action-items/new", HttpStatusCode.Forbidden);
        await PageAsync(viewer, $"/working-groups/{group}/sessions/new", HttpStatusCode.Forbidden);
        await PageAsync(viewer, $"/working-groups/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await PageAsync(viewer, $"/action-items/{Guid.NewGuid()}", HttpStatusCode.NotFound);

        // On the list, the group is there; its action-item counts are not.
        var list = await PageAsync(viewer, "/working-groups");
        var row = RowOf(list, group);
        Assert.Contains(name, row, StringComparison.Ordinal);
        Assert.DoesNotContain("data-open=", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_member_filters_the_groups_action_items_and_pages_through_them()
    {
        var group = await GroupAsync(portal, Unique("Paged group"));
        for (var i = 0; i < 55; i++)
        {
            await ItemAsync(portal, group, $"Routine item {i:00}", Demo.OtherAgency, Today.AddDays(30 + i), layer: Layer.Governance);
        }

        var overdue = await ItemAsync(portal, group, "Overdue data catalogue", Demo.LedAgency, Today.AddDays(-12));
        var done = await ItemAsync(portal, group, "Finished skills plan", Demo.LedAgency, Today.AddDays(-40), layer: Layer.Skills);
        Assert.IsType<CommandOutcome.Accepted>(await StatusAsync(portal, Chair, done, ActionStatus.Done));

        using var member = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);
        var page = await PageAsync(member, $"/working-groups/{group}");
        Assert.Contains("56 open, 0 in progress, 1 done (1 after their due date), 0 dropped; 1 overdue.", page, StringComparison.Ordinal);
        Assert.Contains("Action items 1–50 of 57", page, StringComparison.Ordinal);
        Assert.Equal(50, ItemRow().Count(Part(page, "item-table", "table")));
        Assert.Contains("Overdue data catalogue", page, StringComparison.Ordinal); // open first, earliest due first
        Assert.Contains("12 days overdue", page, StringComparison.Ordinal);
        Assert.Contains($"/working-groups/{group}?page=2#action-items", page, StringComparison.Ordinal);

        var second = await PageAsync(member, $"/working-groups/{group}?page=2");
        Assert.Contains("Action items 51–57 of 57", second, StringComparison.Ordinal);
        Assert.Contains("Finished skills plan", second, StringComparison.Ordinal); // closed items last

        var filtered = await PageAsync(member, $"/working-groups/{group}?overdue=true");
        var table = Part(filtered, "item-table", "table");
        Assert.Equal(1, ItemRow().Count(table));
        Assert.Contains($"data-item=\"{overdue}\"", table, StringComparison.Ordinal);

        var byLayer = Part(await PageAsync(member, $"/working-groups/{group}?layer=skills&status=done"), "item-table", "table");
        Assert.Equal(1, ItemRow().Count(byLayer));
        Assert.Contains($"data-item=\"{done}\"", byLayer, StringComparison.Ordinal);

        var byAgency = await PageAsync(member, $"/working-groups/{group}?agency={Demo.OtherAgency}&status=open");
        Assert.Contains("Action items 1–50 of 55", byAgency, StringComparison.Ordinal);
        Assert.Contains($"/working-groups/{group}?status=open&agency={Demo.OtherAgency}&page=2#action-items", byAgency, StringComparison.Ordinal);

        // Nonsense in the address filters nothing and never fails the page.
        var nonsense = await PageAsync(member, $"/working-groups/{group}?status=7&layer=x&agency=nope&page=-3");
        Assert.Contains("Action items 1–50 of 57", nonsense, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_admin_forms_a_group_with_its_member_agencies_through_the_form()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var list = await PageAsync(admin, "/working-groups");
        Assert.Contains("href=\"/working-groups/new\"", list, StringComparison.Ordinal);

        var name = Unique("Formed group");
        var posted = await PostAsync(admin, "/working-groups/new", "new-group",
        [
            F("Input.NameEn", name), F("Input.NameHi", "गठित समूह"), F("Input.PurposeEn", "Share compute."), F("Input.PurposeHi", "कंप्यूट साझा करना।"),
            F("Input.Kind", nameof(ForumKind.Sector)), F("Input.MemberAgencyIds", Demo.LedAgency.ToString()), F("Input.MemberAgencyIds", Demo.OtherAgency.ToString()),
        ]);
        Assert.True(posted.Status == HttpStatusCode.Redirect, $"{posted.Status}: {posted.Html[..Math.Min(600, posted.Html.Length)]}");
        var id = Guid.Parse(posted.Location!["/working-groups/".Length..]);

        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var group = await session.LoadAsync<WorkingGroup>(id);
        Assert.NotNull(group);
        Assert.Equal(ForumKind.Sector, group.Kind);
        Assert.Equal(new[] { Demo.LedAgency, Demo.OtherAgency }.Order(), group.MemberAgencies.Order());

        var page = await PageAsync(admin, $"/working-groups/{id}");
        Assert.Contains(name, page, StringComparison.Ordinal);
        Assert.Contains($"data-agency=\"{Demo.LedAgency}\"", Part(page, "member-heatmap", "table"), StringComparison.Ordinal);

        // Half a name is refused with the field named, and nothing is formed.
        var refused = await PostAsync(admin, "/working-groups/new", "new-group", [F("Input.NameEn", "Only English"), F("Input.Kind", "National")]);
        Assert.True(refused.Status == HttpStatusCode.OK, $"{refused.Status}: {refused.Html[..Math.Min(3000, refused.Html.Length)]}");
        Assert.Contains("data-testid=\"errors\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"working-groups/new#name-hi\"", refused.Html, StringComparison.Ordinal);

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        Assert.DoesNotContain("href=\"/working-groups/new\"", await PageAsync(viewer, "/working-groups"), StringComparison.Ordinal);
        using var denied = await viewer.GetAsync(new Uri("/working-groups/new", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
    }

    [Fact]
    public async Task a_lead_changes_the_status_of_an_item_their_agency_owns_and_a_stale_form_is_a_conflict()
    {
        var group = await GroupAsync(portal, Unique("Status group"));
        var item = await ItemAsync(portal, group, "Publish the data catalogue", Demo.LedAgency, Today.AddDays(-3));
        var other = await ItemAsync(portal, group, "Other agency's item", Demo.OtherAgency, Today.AddDays(3));

        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var page = await PageAsync(lead, $"/action-items/{item}");
        Assert.Contains("data-testid=\"status-form\"", page, StringComparison.Ordinal);
        Assert.Contains("3 days overdue", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"status-form\"", await PageAsync(lead, $"/action-items/{other}"), StringComparison.Ordinal);

        var saved = await PostAsync(lead, $"/action-items/{item}", "status",
            [F("StatusInput.Status", nameof(ActionStatus.InProgress)), F("StatusInput.Note", "Vendor engaged."), F("StatusInput.ExpectedVersion", "1")]);
        Assert.Contains("Saved: the item is now In progress.", saved.Html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"InProgress\"", Part(saved.Html, "item-status", "dd"), StringComparison.Ordinal);

        // A form loaded before that change, sent afterwards: a conflict that says what the item is now, the choice kept.
        var stale = await PostAsync(lead, $"/action-items/{item}", "status",
            [F("StatusInput.Status", nameof(ActionStatus.Dropped)), F("StatusInput.Note", "No budget."), F("StatusInput.ExpectedVersion", "1")]);
        Assert.Contains("data-testid=\"conflict\"", stale.Html, StringComparison.Ordinal);
        Assert.Contains("it is now In progress", stale.Html, StringComparison.Ordinal);
        Assert.Contains("No budget.", stale.Html, StringComparison.Ordinal);

        // Dropping needs a reason; the error is next to the note.
        var noReason = await PostAsync(lead, $"/action-items/{item}", "status",
            [F("StatusInput.Status", nameof(ActionStatus.Dropped)), F("StatusInput.Note", ""), F("StatusInput.ExpectedVersion", "2")]);
        Assert.Contains("data-field-error=\"note\"", noReason.Html, StringComparison.Ordinal);

        var done = await PostAsync(lead, $"/action-items/{item}", "status",
            [F("StatusInput.Status", nameof(ActionStatus.Done)), F("StatusInput.Note", ""), F("StatusInput.ExpectedVersion", "2")]);
        Assert.Contains("data-status=\"Done\"", Part(done.Html, "item-status", "dd"), StringComparison.Ordinal);
        Assert.DoesNotContain("days overdue", Part(done.Html, "item-due", "dd"), StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(Part(done.Html, "item-history", "table"), "<tr data-status="));
    }

    [Fact]
    public async Task a_proposal_is_confirmed_with_one_click()
    {
        var group = await GroupAsync(portal, Unique("Proposal group"));
        var item = await ItemAsync(portal, group, "Reach level 4 on data quality", Demo.LedAgency, Today.AddDays(10), target: new ActionTarget("data.quality-management", 4));
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredService<CoordinationPortal.Web.WorkingGroups.WorkingGroupHandler>();
            Assert.IsType<CommandOutcome.Accepted>(await handler.ProposeDoneAsync(item, ProposalReason.TargetReached, DateTimeOffset.Now, default));
        }

        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var page = await PageAsync(lead, $"/action-items/{item}");
        Assert.Contains("The target was reached — mark as done?", Part(page, "proposal", "div"), StringComparison.Ordinal);

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        await PageAsync(viewer, $"/action-items/{item}", HttpStatusCode.Forbidden);

        var confirmed = await PostAsync(lead, $"/action-items/{item}", "confirm-proposal", [F("ConfirmInput.ExpectedVersion", "2")]);
        Assert.Contains("data-status=\"Done\"", Part(confirmed.Html, "item-status", "dd"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"proposal\"", confirmed.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_chair_schedules_a_session_drafts_safe_minutes_approves_them_and_amends()
    {
        var group = await GroupAsync(portal, Unique("Minutes group"));
        var open = await ItemAsync(portal, group, "Carried compute audit", Demo.LedAgency, Today.AddDays(-2));
        using var chair = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);

        var start = portal.Factory.Services.GetRequiredService<PortalClock>().Now.DateTime.AddHours(-1);
        var more = await PostAsync(chair, $"/working-groups/{group}/sessions/new", "new-session",
        [
            F("Input.Title", "Quarterly review"), F("Input.StartsAt", start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)),
            F("Input.EndsAt", start.AddHours(2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)), F("Input.Rows", "3"),
            F("Input.Agenda[0].Title", "Compute pooling"), F("Input.Agenda[0].DurationMinutes", "30"), F("Input.MoreRows", "true"),
        ]);
        Assert.True(more.Status == HttpStatusCode.OK, $"{more.Status} {more.Location}"); // more rows: nothing saved, what was typed kept
        Assert.Contains("id=\"agenda-5-title\"", more.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"Compute pooling\"", more.Html, StringComparison.Ordinal);

        var posted = await PostAsync(chair, $"/working-groups/{group}/sessions/new", "new-session",
        [
            F("Input.Title", "Quarterly review"), F("Input.StartsAt", start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)),
            F("Input.EndsAt", start.AddHours(2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)), F("Input.Rows", "6"),
            F("Input.Agenda[0].Title", "Compute pooling"), F("Input.Agenda[0].DurationMinutes", "30"),
            .. EmptyRows(1, 3), F("Input.Agenda[4].Title", "Data sharing"), F("Input.Agenda[4].DurationMinutes", "0"), .. EmptyRows(5, 5),
        ]);
        Assert.Equal(HttpStatusCode.OK, posted.Status); // the fifth row's duration is wrong, and said to be
        Assert.Contains("id=\"agenda-4-minutes-error\"", posted.Html, StringComparison.Ordinal);

        posted = await PostAsync(chair, $"/working-groups/{group}/sessions/new", "new-session",
        [
            F("Input.Title", "Quarterly review"), F("Input.StartsAt", start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)),
            F("Input.EndsAt", start.AddHours(2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)), F("Input.Rows", "6"),
            F("Input.Agenda[0].Title", "Compute pooling"), F("Input.Agenda[0].DurationMinutes", "30"), F("Input.Agenda[0].Presenter", "Dr. Rao"),
            F("Input.Agenda[0].AgencyId", Demo.LedAgency.ToString()), F("Input.Agenda[0].Layer", nameof(Layer.Compute)),
            .. EmptyRows(1, 3), F("Input.Agenda[4].Title", "Data sharing"), F("Input.Agenda[4].DurationMinutes", "20"), F("Input.Agenda[4].Presenter", ""),
            F("Input.Agenda[4].AgencyId", ""), F("Input.Agenda[4].Layer", ""), .. EmptyRows(5, 5),
        ]);
        Assert.True(posted.Status == HttpStatusCode.Redirect, $"{posted.Status}: {posted.Html[..Math.Min(800, posted.Html.Length)]}");
        var path = posted.Location!;
        var page = await PageAsync(chair, path);
        var agenda = Part(page, "agenda", "ol");
        Assert.Contains("Compute pooling", agenda, StringComparison.Ordinal);
        Assert.Contains("> · Ministry of Health and Family Welfare</span>", agenda, StringComparison.Ordinal); // chosen in the row
        Assert.Contains("> · Compute</span>", agenda, StringComparison.Ordinal);
        Assert.Contains("Data sharing", agenda, StringComparison.Ordinal);
        Assert.Contains($"href=\"/action-items/{open}\"", agenda, StringComparison.Ordinal); // carried forward, linked
        Assert.Contains("Carried forward", agenda, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/v1{path}/calendar.ics\"", page, StringComparison.Ordinal);

        const string unsafeMinutes = "# Decisions\n\nAgreed.<script>alert(1)</script> [click](javascript:alert(2)) ![tracker](https://evil.example/t.png) [doc](https://docs.example.gov.in/a)";
        var drafted = await PostAsync(chair, path, "minutes", [F("MinutesInput.Markdown", unsafeMinutes), F("MinutesInput.ExpectedVersion", "2")]);
        var minutes = Part(drafted.Raw, "minutes-text", "div");
        Assert.DoesNotContain("<script", minutes, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Agreed.&lt;script&gt;alert(1)&lt;/script&gt;", minutes, StringComparison.Ordinal); // shown as text
        Assert.DoesNotContain("javascript:", minutes, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", minutes, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<h3>Decisions</h3>", minutes, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://docs.example.gov.in/a\" rel=\"nofollow noopener noreferrer\">doc</a>", minutes, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://evil.example/t.png\" rel=\"nofollow noopener noreferrer\">tracker</a>", minutes, StringComparison.Ordinal);

        // A second draft from the version the first one was based on: a conflict, the text typed kept.
        var stale = await PostAsync(chair, path, "minutes", [F("MinutesInput.Markdown", "Late edit."), F("MinutesInput.ExpectedVersion", "2")]);
        Assert.Contains("data-testid=\"conflict\"", stale.Html, StringComparison.Ordinal);
        Assert.Contains("Late edit.", stale.Html, StringComparison.Ordinal);

        var approved = await PostAsync(chair, path, "approve-minutes", [F("ApproveInput.ExpectedVersion", "3")]);
        Assert.Contains("The minutes are approved.", approved.Html, StringComparison.Ordinal);
        Assert.Contains("data-state=\"MinutesApproved\"", approved.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"minutes-form\"", approved.Html, StringComparison.Ordinal);

        // Approved minutes do not change: a draft posted now is refused; corrections are amendments.
        var late = await PostAsync(chair, path, "minutes", [F("MinutesInput.Markdown", "Rewritten."), F("MinutesInput.ExpectedVersion", "4")]);
        Assert.NotEqual(HttpStatusCode.Redirect, late.Status);
        var after = await PageAsync(chair, path);
        Assert.DoesNotContain("Rewritten.", after, StringComparison.Ordinal);
        Assert.Contains("<h3>Decisions</h3>", after, StringComparison.Ordinal);
        Assert.IsType<CommandOutcome.Invalid>(await ActAsync(portal, Chair, new DraftMinutes(Guid.Parse(path["/sessions/".Length..]), "Rewritten.", "", default)));
        var amended = await PostAsync(chair, path, "amend", [F("AmendInput.Markdown", "Item 2 read *Data* sharing."), F("AmendInput.Reason", "Typo in the agenda title."), F("AmendInput.ExpectedVersion", "4")]);
        var amendments = Part(amended.Html, "amendments", "ol");
        Assert.Contains("Typo in the agenda title.", amendments, StringComparison.Ordinal);
        Assert.Contains("<em>Data</em>", amendments, StringComparison.Ordinal);
        Assert.Contains(Demo.Member.Email, amendments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_chair_records_a_decision_with_its_layers_and_the_session_it_was_taken_in()
    {
        var group = await GroupAsync(portal, Unique("Decision group"));
        var session = await SessionAsync(portal, group, "Decision session", DateTimeOffset.Now.AddDays(-1));
        using var chair = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);

        var form = await PageAsync(chair, $"/working-groups/{group}/decisions/new?session={session}");
        Assert.Contains($"<option value=\"{session}\" selected", form, StringComparison.Ordinal);
        var posted = await PostAsync(chair, $"/working-groups/{group}/decisions/new?session={session}", "decision",
        [
            F("Input.TextEn", "Adopt the shared data catalogue."), F("Input.TextHi", "साझा डेटा कैटलॉग अपनाएँ।"), F("Input.SessionId", session.ToString()),
            F("Input.Basis", nameof(DecisionBasis.Vote)), F("Input.Counts[0].Option", "For"), F("Input.Counts[0].Count", "7"),
            F("Input.Counts[1].Option", "Against"), F("Input.Counts[1].Count", "1"),
            F("Input.Layers", nameof(Layer.Data)), F("Input.Layers", nameof(Layer.Governance)), F("Input.ReviewOn", Today.AddMonths(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ]);
        Assert.True(posted.Status == HttpStatusCode.Redirect, $"{posted.Status}: {posted.Html[..Math.Min(800, posted.Html.Length)]}");
        Assert.Equal($"/sessions/{session}", posted.Location);

        await using var documents = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var decision = (await documents.LoadAsync<WorkingGroup>(group))!.Decisions.Single();
        Assert.Equal(new[] { Layer.Data, Layer.Governance }, decision.Layers);
        Assert.Equal(session, decision.SessionId);
        Assert.Equal(new[] { new VoteCount("For", 7), new VoteCount("Against", 1) }, decision.Counts);

        var page = await PageAsync(chair, $"/sessions/{session}");
        Assert.Contains("Adopt the shared data catalogue.", Part(page, "taken", "section"), StringComparison.Ordinal);
        Assert.Contains("For: 7, Against: 1", page, StringComparison.Ordinal);

        // In Hindi, the decision is in Hindi, and so are the page's own words.
        var hindi = await HindiAsync(chair, $"/working-groups/{group}");
        Assert.Contains("साझा डेटा कैटलॉग अपनाएँ।", hindi, StringComparison.Ordinal);
        Assert.Contains(">निर्णय</h2>", hindi, StringComparison.Ordinal);
        Assert.Contains("कार्य-बिंदु", hindi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_agency_page_lists_the_groups_it_belongs_to_and_the_items_it_owns_for_those_who_may_see_them()
    {
        var name = Unique("Agency page group");
        var group = await GroupAsync(portal, name);
        var title = Unique("Agency page item");
        var item = await ItemAsync(portal, group, title, Demo.LedAgency, Today.AddDays(-4));

        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var page = await PageAsync(lead, $"/agencies/{Demo.LedAgency}");
        var section = Part(page, "agency-working-groups", "section");
        Assert.Contains($"href=\"/working-groups/{group}\"", section, StringComparison.Ordinal);
        Assert.Contains($"href=\"/action-items/{item}\"", section, StringComparison.Ordinal);
        Assert.Contains("4 days overdue", section, StringComparison.Ordinal);

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var seen = Part(await PageAsync(viewer, $"/agencies/{Demo.LedAgency}"), "agency-working-groups", "section");
        Assert.Contains($"href=\"/working-groups/{group}\"", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(title, seen, StringComparison.Ordinal);
    }

    /// <summary>Agenda rows left empty, as a browser sends them (every row of the form, typed in or not).</summary>
    private static IEnumerable<KeyValuePair<string, string>> EmptyRows(int from, int to) =>
        Enumerable.Range(from, to - from + 1).SelectMany(i => new[]
        {
            F($"Input.Agenda[{i}].Title", ""), F($"Input.Agenda[{i}].DurationMinutes", ""), F($"Input.Agenda[{i}].Presenter", ""),
            F($"Input.Agenda[{i}].AgencyId", ""), F($"Input.Agenda[{i}].Layer", ""),
        });

    private static async Task<string> HindiAsync(HttpClient client, string path)
    {
        using var switched = await client.GetAsync(new Uri($"/culture?culture=hi-IN&returnUrl={Uri.EscapeDataString(path)}", UriKind.Relative));
        return await PageAsync(client, path);
    }

    private static string RowOf(string html, Guid groupId)
    {
        var start = html.IndexOf($"data-group=\"{groupId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No row for {groupId}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<tr data-item=")]
    private static partial Regex ItemRow();
}
