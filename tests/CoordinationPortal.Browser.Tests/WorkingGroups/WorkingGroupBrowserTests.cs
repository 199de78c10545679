using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Seeding;
using CoordinationPortal.Web.WorkingGroups;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests.WorkingGroups;

/// <summary>
/// Working groups in a real browser: a chair runs a session (decision, action item, minutes), the owner agency's lead
/// moves the item on; a viewer sees the decisions and none of the items; the pages speak Hindi and pass axe.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class WorkingGroupBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Admin = DemoSeeder.Accounts.Single(a => a.Role == "Admin");
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");
    private static readonly DemoAccount Member = DemoSeeder.Accounts.Single(a => a.Role == "Member");
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");
    private static readonly Guid HealthMinistry = SeedHistory.StableId("agency:health-ministry");
    private static readonly Guid ReserveBank = SeedHistory.StableId("agency:reserve-bank-of-india");

    private PortalClock Clock => fixture.Services.GetRequiredService<PortalClock>();

    private static string Unique(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 7)];

    /// <summary>A group of the lead's agency and another, formed by the admin, with the demo member as its chair.</summary>
    private async Task<Guid> GroupAsync(string name)
    {
        var id = Guid.NewGuid();
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, Admin.Email), new Claim(ClaimTypes.Role, Roles.Admin)], "test"));
        await using var scope = fixture.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<WorkingGroupHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await handler.FormAsync(
            admin, id, new LocalizedText(name, "स्वास्थ्य डेटा समूह " + name[^6..]), new LocalizedText("Health data and compute.", "स्वास्थ्य डेटा और कंप्यूट।"),
            ForumKind.Sector, [HealthMinistry, ReserveBank], default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnGroupAsync(admin, new AddPerson(id, Member.Email, GroupRole.Chair, null, Clock.Today, "", default), null, default));
        return id;
    }

    [Fact]
    public async Task a_chair_records_a_session_with_a_decision_and_an_action_item_and_a_lead_marks_it_in_progress_then_done()
    {
        var name = Unique("Health data group");
        var groupId = await GroupAsync(name);
        var chair = await fixture.SignedInPageAsync(Member.Email, Member.Password);

        // The chair finds the group from the navigation and schedules a session that began an hour ago.
        await chair.GetByRole(AriaRole.Link, new() { Name = "Working groups", Exact = true }).First.ClickAsync();
        await Assertions.Expect(chair.GetByRole(AriaRole.Heading, new() { Name = "Working groups", Level = 1 })).ToBeVisibleAsync();
        await chair.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Assertions.Expect(chair.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        await chair.GetByRole(AriaRole.Link, new() { Name = "Schedule a session" }).ClickAsync();
        var start = Clock.Now.DateTime.AddHours(-1);
        await chair.GetByLabel("Title", new() { Exact = true }).FillAsync("Quarterly coordination");
        await chair.GetByLabel("Starts").FillAsync(start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await chair.GetByLabel("Ends").FillAsync(start.AddHours(2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await chair.GetByLabel("Agenda item 1: title").FillAsync("Hospital data catalogue");
        await chair.GetByLabel("Agenda item 1: minutes").FillAsync("30");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Schedule the session" }).ClickAsync();
        await Assertions.Expect(chair).ToHaveURLAsync(new Regex("/sessions/[0-9a-f-]{36}$"));
        var sessionUrl = chair.Url;
        await Assertions.Expect(chair.GetByTestId("agenda")).ToContainTextAsync("Hospital data catalogue");

        await chair.GetByRole(AriaRole.Button, new() { Name = "Start the session" }).ClickAsync();
        await Assertions.Expect(chair.GetByTestId("session-state")).ToHaveTextAsync("In progress");

        // A decision taken in the session.
        await chair.GetByRole(AriaRole.Link, new() { Name = "Record a decision" }).ClickAsync();
        await chair.Locator("#text-en").FillAsync("Publish a shared hospital data catalogue.");
        await chair.Locator("#text-hi").FillAsync("साझा अस्पताल डेटा कैटलॉग प्रकाशित करें।");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();
        await Assertions.Expect(chair).ToHaveURLAsync(sessionUrl);
        await Assertions.Expect(chair.GetByTestId("taken")).ToContainTextAsync("Publish a shared hospital data catalogue.");

        // An action item agreed in it, for the health ministry, already past its due date (minutes typed up late).
        await chair.GetByRole(AriaRole.Link, new() { Name = "Record an action item" }).ClickAsync();
        await chair.GetByLabel("Action item", new() { Exact = true }).FillAsync("Publish the catalogue's first release");
        await chair.GetByLabel("Owner agency").SelectOptionAsync(HealthMinistry.ToString());
        // On the ministry's weakest layer, so that an overdue item there is a slipping commitment.
        var weakest = await WeakestLayerAsync(HealthMinistry);
        await chair.GetByLabel("Layer", new() { Exact = true }).SelectOptionAsync(weakest.ToString());
        await chair.GetByLabel("Due date").FillAsync(Clock.Today.AddDays(-5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await chair.GetByRole(AriaRole.Button, new() { Name = "Record the action item" }).ClickAsync();
        await Assertions.Expect(chair).ToHaveURLAsync(new Regex("/action-items/[0-9a-f-]{36}$"));
        var itemUrl = chair.Url;
        var itemPath = new Uri(itemUrl).AbsolutePath;
        await Assertions.Expect(chair.GetByTestId("item-overdue")).ToHaveTextAsync("5 days overdue");
        await Assertions.Expect(chair.GetByTestId("item-status")).ToHaveTextAsync("Open");

        // Overdue on the weakest layer: the out-of-step board shows a slipping-commitment flag linked to the item.
        var board = $"/flags?agency={HealthMinistry}&rule=slipping-commitment";
        await UntilAsync(chair, board, p => p.Locator($"a[href='{itemPath}']"), present: true);
        var flagRow = chair.GetByTestId("flag-board").Locator("tbody tr", new() { Has = chair.Locator($"a[href='{itemPath}']") });
        await Assertions.Expect(flagRow).ToContainTextAsync("Publish the catalogue's first release");

        // Minutes drafted and approved (after a confirmation); the session lists what was taken in it.
        await chair.GotoAsync(sessionUrl);
        await chair.GetByLabel("Draft minutes (Markdown)").FillAsync("## Catalogue\n\nThe ministry **publishes** the catalogue.");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Assertions.Expect(chair.GetByTestId("minutes-text").Locator("strong")).ToHaveTextAsync("publishes");
        await chair.GetByTestId("approve").Locator("summary").ClickAsync();
        await chair.GetByRole(AriaRole.Button, new() { Name = "Yes, approve the minutes" }).ClickAsync();
        await Assertions.Expect(chair.GetByTestId("session-state")).ToHaveTextAsync("Minutes approved");
        await Assertions.Expect(chair.GetByTestId("session-items")).ToContainTextAsync("Publish the catalogue's first release");

        // The health ministry's lead marks it in progress...
        var lead = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await lead.GotoAsync(itemUrl);
        await lead.GetByLabel("New status").SelectOptionAsync(nameof(ActionStatus.InProgress));
        await lead.GetByLabel("Note (optional)").FillAsync("Vendor engaged; first release in two weeks.");
        await lead.GetByRole(AriaRole.Button, new() { Name = "Save the status" }).ClickAsync();
        await Assertions.Expect(lead.GetByTestId("wg-message")).ToHaveTextAsync("Saved: the item is now In progress.");
        await Assertions.Expect(lead.GetByTestId("item-status")).ToHaveTextAsync("In progress");
        await Assertions.Expect(lead.GetByTestId("item-history")).ToContainTextAsync("Vendor engaged; first release in two weeks.");

        // ...and the group page shows it in progress and still overdue.
        await lead.GotoAsync($"/working-groups/{groupId}?status=inprogress");
        var row = lead.GetByTestId("item-table").Locator("tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToHaveAttributeAsync("data-overdue", "true");
        await Assertions.Expect(row).ToContainTextAsync("In progress");
        await Assertions.Expect(row).ToContainTextAsync("5 days overdue");

        // Done: no longer overdue, on the item page and on the group page.
        await lead.GotoAsync(itemUrl);
        await lead.GetByLabel("New status").SelectOptionAsync(nameof(ActionStatus.Done));
        await lead.GetByRole(AriaRole.Button, new() { Name = "Save the status" }).ClickAsync();
        await Assertions.Expect(lead.GetByTestId("item-status")).ToHaveTextAsync("Done");
        await Assertions.Expect(lead.GetByTestId("item-overdue")).ToHaveCountAsync(0);
        await lead.GotoAsync($"/working-groups/{groupId}?overdue=true");
        await Assertions.Expect(lead.GetByTestId("no-items")).ToBeVisibleAsync();
        await lead.GotoAsync($"/working-groups/{groupId}?status=done");
        await Assertions.Expect(lead.GetByTestId("item-table").Locator("tbody tr")).ToHaveAttributeAsync("data-status", "Done");

        // Done resolves the slipping-commitment flag: it leaves the board of open flags.
        await UntilAsync(lead, board, p => p.Locator($"a[href='{itemPath}']"), present: false);
    }

    /// <summary>The agency's weakest layer now (the first in framework order on a tie), as the rule picks it.</summary>
    private async Task<Layer> WeakestLayerAsync(Guid agencyId)
    {
        await using var session = fixture.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        var agency = await session.LoadAsync<CoordinationPortal.Web.Agencies.AgencySummary>(agencyId) ?? throw new InvalidOperationException("No such agency.");
        var scores = agency.LayerScores();
        return Layers.All.Where(l => scores[l] is not null).MinBy(l => scores[l]!.Value);
    }

    /// <summary>
    /// Reloads <paramref name="path"/> until what <paramref name="find"/> locates is there (or gone): flags are evaluated
    /// in the background after the change that causes them commits. Fails after 30 s.
    /// </summary>
    private static async Task UntilAsync(IPage page, string path, Func<IPage, ILocator> find, bool present)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await page.GotoAsync(path);
            if (await find(page).CountAsync() > 0 == present)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path}: the element was {(present ? "never shown" : "still shown")} after 30 s.");
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task a_viewer_opening_the_group_page_sees_decisions_but_no_action_items()
    {
        var name = Unique("Viewer group");
        var groupId = await GroupAsync(name);
        var chair = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, Member.Email), new Claim(ClaimTypes.Role, Roles.Member)], "test"));
        Guid itemId;
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredService<WorkingGroupHandler>();
            Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnGroupAsync(chair, new RecordDecision(
                groupId, new LocalizedText("Adopt common data standards.", "साझा डेटा मानक अपनाएँ।"), null, false, DecisionBasis.Consensus,
                [], [], [Layer.Data], [], null, null, "", default), null, default));
            itemId = Guid.NewGuid();
            Assert.IsType<CommandOutcome.Accepted>(await handler.RecordActionItemAsync(
                chair, groupId, itemId, "Members-only item", HealthMinistry, null, Layer.Data, null, null, Clock.Today.AddDays(7), null, default));
        }

        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        await page.GotoAsync($"/working-groups/{groupId}");
        await Assertions.Expect(page.GetByTestId("decisions")).ToContainTextAsync("Adopt common data standards.");
        await Assertions.Expect(page.GetByTestId("viewer-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("action-items")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Members-only item")).ToHaveCountAsync(0);

        await page.GotoAsync($"/action-items/{itemId}");
        await Assertions.Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Members-only item")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task the_group_page_speaks_hindi()
    {
        var groupId = await GroupAsync(Unique("Hindi group"));
        var page = await fixture.SignedInPageAsync(Member.Email, Member.Password);
        await page.GotoAsync($"/culture?culture=hi-IN&returnUrl={Uri.EscapeDataString($"/working-groups/{groupId}")}");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "hi");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("स्वास्थ्य डेटा समूह");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "सत्र", Level = 2, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "निर्णय", Level = 2, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "कार्य-बिंदु", Level = 2, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "सत्र निर्धारित करें" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "कार्य समूह", Exact = true }).First).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("/working-groups", 1400)]
    [InlineData("/working-groups/new", 1400)]
    [InlineData("/working-groups/{group}", 1400)]
    [InlineData("/working-groups/{group}", 390)]
    [InlineData("/working-groups/{group}/sessions/new", 390)]
    [InlineData("/working-groups/{group}/decisions/new", 1400)]
    [InlineData("/working-groups/{group}/action-items/new", 1400)]
    [InlineData("/working-groups/{group}/people", 1400)]
    [InlineData("/sessions/{session}", 1400)]
    [InlineData("/sessions/{session}", 390)]
    [InlineData("/action-items/{item}", 1400)]
    [InlineData("/agencies/{agency}", 1400)]
    public async Task working_group_pages_have_no_serious_accessibility_violations(string path, int width)
    {
        var (groupId, sessionId, itemId) = await GroupWithEverythingAsync();
        var page = await fixture.SignedInPageAsync(Admin.Email, Admin.Password);
        await page.SetViewportSizeAsync(width, 900);
        await page.GotoAsync(path.Replace("{group}", groupId.ToString(), StringComparison.Ordinal)
            .Replace("{session}", sessionId.ToString(), StringComparison.Ordinal)
            .Replace("{item}", itemId.ToString(), StringComparison.Ordinal)
            .Replace("{agency}", HealthMinistry.ToString(), StringComparison.Ordinal));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveCountAsync(1);
        // With the folded forms open, as a secretary sees them while typing.
        // All at once: opening them one by one through a ":not([open])" list would shift the list under the loop.
        await page.Locator("main details:not([open])").EvaluateAllAsync<int>("els => { els.forEach(e => e.open = true); return els.length; }");

        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, path + ": " + string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));
        if (width < 600)
        {
            // Usable on a phone: the page's content does not scroll sideways (wide tables scroll in their own region).
            var overflow = await page.EvaluateAsync<int>("() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth; }");
            Assert.True(overflow <= 1, $"{path} is {overflow}px wider than a {width}px screen");
        }
    }

    /// <summary>A group with a person, a decision due for review, a session with approved minutes and an amendment, and an overdue item.</summary>
    private async Task<(Guid Group, Guid Session, Guid Item)> GroupWithEverythingAsync()
    {
        var groupId = await GroupAsync(Unique("Axe group"));
        var chair = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, Member.Email), new Claim(ClaimTypes.Role, Roles.Member)], "test"));
        await using var scope = fixture.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<WorkingGroupHandler>();
        var sessionId = Guid.NewGuid();
        var start = Clock.Now.AddDays(-2);
        Assert.IsType<CommandOutcome.Accepted>(await handler.ScheduleSessionAsync(
            chair, groupId, sessionId, "Axe session", start, start.AddHours(2), "Room 4", "https://meet.example.gov.in/axe",
            [new AgendaEntry(null, "Compute pooling", 30, "Chair", HealthMinistry, Layer.Compute, null)], default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnSessionAsync(chair, new RecordAttendance(sessionId, [new Attendee("Dr. Rao", HealthMinistry)], new HashSet<Guid>(), "", default), null, default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnSessionAsync(chair, new DraftMinutes(sessionId, "## Outcome\n\n| Agency | Action |\n| --- | --- |\n| MoHFW | Catalogue |", "", default), null, default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnSessionAsync(chair, new ApproveMinutes(sessionId, "", default), null, default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnSessionAsync(chair, new AmendMinutes(sessionId, "Read *catalogue* as plural.", "Typo.", "", default), null, default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnGroupAsync(chair, new RecordDecision(
            groupId, new LocalizedText("Pool compute.", "कंप्यूट साझा करें।"), sessionId, false, DecisionBasis.Vote, [new VoteCount("For", 5), new VoteCount("Against", 1)],
            [HealthMinistry], [Layer.Compute], [], Clock.Today.AddDays(-1), Clock.Today.AddDays(-2), "", default), null, default));
        var itemId = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await handler.RecordActionItemAsync(
            chair, groupId, itemId, "Publish the catalogue", HealthMinistry, "Dr. Rao", Layer.Data, null, new ActionTarget("data.quality-management", 4), Clock.Today.AddDays(-3), sessionId, default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ProposeDoneAsync(itemId, ProposalReason.TargetReached, DateTimeOffset.Now, default));
        return (groupId, sessionId, itemId);
    }
}
