using System.Security.Claims;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Forum.Operator;
using CoordinationPortal.Web.Seeding;
using CoordinationPortal.Web.WorkingGroups;
using Deque.AxeCore.Playwright;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests.Forum;

/// <summary>
/// The operator's panel in a real browser: the chair opens it from the session page, shows a panel, starts a rotation and
/// a countdown and switches the language, and the stored screen state follows each click; another operator's change
/// shows without a reload; a group member who does not manage gets the refusal; axe passes in English and Hindi.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class OperatorBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Admin = DemoSeeder.Accounts.Single(a => a.Role == "Admin");
    private static readonly DemoAccount Member = DemoSeeder.Accounts.Single(a => a.Role == "Member");
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");
    private static readonly Guid HealthMinistry = SeedHistory.StableId("agency:health-ministry");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static ClaimsPrincipal As(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    private PortalClock Clock => fixture.Services.GetRequiredService<PortalClock>();

    /// <summary>
    /// A session in progress of a new group: the demo member chairs it, the demo viewer is a member of it; its agenda has
    /// "Compute pooling" (10 minutes) and "Data catalogue" (20).
    /// </summary>
    private async Task<(Guid Session, AgendaItem Pooling)> SessionInProgressAsync()
    {
        var groupId = Guid.NewGuid();
        var sessionId = Guid.NewGuid();
        var admin = As(Admin.Email, Roles.Admin);
        var chair = As(Member.Email, Roles.Member);
        await using var scope = fixture.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<WorkingGroupHandler>();
        var name = $"Operator group {groupId:N}"[..21];
        Assert.IsType<CommandOutcome.Accepted>(await handler.FormAsync(
            admin, groupId, new LocalizedText(name, "संचालक समूह " + name[^6..]), new LocalizedText("The room screen.", "कक्ष की स्क्रीन।"),
            ForumKind.Sector, [HealthMinistry], default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnGroupAsync(admin, new AddPerson(groupId, Member.Email, GroupRole.Chair, null, Clock.Today, "", default), null, default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnGroupAsync(admin, new AddPerson(groupId, Viewer.Email, GroupRole.Member, null, Clock.Today, "", default), null, default));
        var start = Clock.Now.AddMinutes(-20);
        Assert.IsType<CommandOutcome.Accepted>(await handler.ScheduleSessionAsync(
            chair, groupId, sessionId, "Screen rehearsal", start, start.AddHours(2), "Committee room 2", null,
            [new AgendaEntry(null, "Compute pooling", 10, "Chair", HealthMinistry, Layer.Compute, null), new AgendaEntry(null, "Data catalogue", 20, null, null, null, null)],
            default));
        Assert.IsType<CommandOutcome.Accepted>(await handler.ActOnSessionAsync(chair, new StartSession(sessionId, [], "", default), null, default));
        var session = await scope.ServiceProvider.GetRequiredService<IQuerySession>().LoadAsync<GroupSession>(sessionId);
        return (sessionId, session!.Agenda.Single(a => a.Title == "Compute pooling"));
    }

    /// <summary>Waits until the stored screen state of <paramref name="sessionId"/> satisfies <paramref name="expected"/>.</summary>
    private async Task<ScreenState> StoredAsync(Guid sessionId, Func<ScreenState, bool> expected, string what)
    {
        var store = fixture.Services.GetRequiredService<IDocumentStore>();
        var until = DateTime.UtcNow + Patience;
        ScreenState? state = null;
        while (DateTime.UtcNow < until)
        {
            await using (var query = store.QuerySession())
            {
                state = await query.LoadAsync<ScreenState>(sessionId);
            }

            if (state is not null && expected(state))
            {
                return state;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The stored screen state never showed {what}: {System.Text.Json.JsonSerializer.Serialize(state)}");
        return null!;
    }

    private static async Task InteractiveAsync(IPage page) =>
        await Assertions.Expect(page.GetByTestId("show-on-screen")).ToBeEnabledAsync(new() { Timeout = 15_000 });

    [Fact]
    public async Task the_chair_shows_a_panel_starts_a_rotation_and_a_countdown_and_the_screen_state_follows()
    {
        var (sessionId, pooling) = await SessionInProgressAsync();
        var chair = await fixture.SignedInPageAsync(Member.Email, Member.Password);

        // From the session page to the panel.
        await chair.GotoAsync($"/sessions/{sessionId}");
        await Assertions.Expect(chair.GetByRole(AriaRole.Link, new() { Name = "Room screen" })).ToHaveAttributeAsync("href", $"/forum/{sessionId}/screen");
        await chair.GetByRole(AriaRole.Link, new() { Name = "Operator panel" }).ClickAsync();
        await Assertions.Expect(chair.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Operator panel: Screen rehearsal");
        await InteractiveAsync(chair);
        await Assertions.Expect(chair.GetByTestId("now-panel")).ToHaveTextAsync("Readiness heatmap");

        // Preview, then show.
        await chair.GetByTestId("preview-choices").GetByRole(AriaRole.Button, new() { Name = "Open flags" }).ClickAsync();
        await Assertions.Expect(chair.GetByTestId("preview")).ToHaveAttributeAsync("data-panel", "Flags");
        await Assertions.Expect(chair.GetByTestId("now-panel")).ToHaveTextAsync("Readiness heatmap");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Show on screen" }).ClickAsync();
        await Assertions.Expect(chair.GetByTestId("operator-message")).ToHaveTextAsync("The screen now shows Open flags.");
        await Assertions.Expect(chair.GetByTestId("now-panel")).ToHaveTextAsync("Open flags");
        await StoredAsync(sessionId, s => s.Shown == ScreenPanel.Flags && !s.Rotating, "the flags panel");

        // Rotation through three panels every 30 seconds, then paused and resumed.
        await chair.GetByLabel("Changes since the session started", new() { Exact = true }).UncheckAsync();
        await chair.GetByLabel("Seconds per panel (5–600)").FillAsync("30");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Start rotation" }).ClickAsync();
        await Assertions.Expect(chair.GetByTestId("operator-message")).ToHaveTextAsync("Rotation started.");
        await StoredAsync(sessionId, s => s.Rotating && !s.Paused && s.RotationSeconds == 30
            && s.RotationPanels.SequenceEqual([ScreenPanel.Heatmap, ScreenPanel.Flags, ScreenPanel.ActionItems]), "the rotation");
        await Assertions.Expect(chair.GetByTestId("now-rotation")).ToContainTextAsync("On, 30 seconds per panel");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Pause rotation" }).ClickAsync();
        await StoredAsync(sessionId, s => s.Rotating && s.Paused, "a paused rotation");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Resume rotation" }).ClickAsync();
        await StoredAsync(sessionId, s => s.Rotating && !s.Paused, "a resumed rotation");

        // A countdown for the first agenda item, one more minute, by keyboard.
        var startCountdown = chair.GetByRole(AriaRole.Button, new() { Name = "Start countdown: Compute pooling (10 min)" });
        await startCountdown.FocusAsync();
        await chair.Keyboard.PressAsync("Enter");
        await Assertions.Expect(chair.GetByTestId("operator-message")).ToHaveTextAsync("Countdown started: Compute pooling.");
        var countdown = await StoredAsync(sessionId, s => s.Countdown?.AgendaItemId == pooling.Id, "the countdown");
        Assert.Equal(TimeSpan.FromMinutes(10), countdown.Countdown!.EndsAt - countdown.Countdown.StartedAt);
        await Assertions.Expect(chair.GetByTestId("countdown-running")).ToContainTextAsync("Compute pooling:");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Add one minute to the countdown" }).ClickAsync();
        await StoredAsync(sessionId, s => s.Countdown is { } c && c.EndsAt - c.StartedAt == TimeSpan.FromMinutes(11), "the extended countdown");

        // The language, and another operator's change arriving without a reload.
        await chair.GetByTestId("language").GetByRole(AriaRole.Button, new() { Name = "हिन्दी", Exact = true }).ClickAsync();
        await StoredAsync(sessionId, s => s.Language == ScreenLanguage.Hindi, "Hindi");
        await Assertions.Expect(chair.GetByTestId("now-language")).ToHaveAttributeAsync("data-language", "Hindi");
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ScreenStateHandler>()
                .ActAsync(As(Admin.Email, Roles.Admin), sessionId, new SetLanguage(ScreenLanguage.Alternate, "", default), default);
            Assert.IsType<CommandOutcome.Accepted>(result.Outcome);
        }

        await Assertions.Expect(chair.GetByTestId("now-language")).ToHaveAttributeAsync("data-language", "Alternate", new() { Timeout = 15_000 });
        await Assertions.Expect(chair.GetByTestId("language").GetByRole(AriaRole.Button, new() { Name = "Alternate (English and हिन्दी in turn)" }))
            .ToHaveAttributeAsync("aria-pressed", "true");
    }

    [Fact]
    public async Task a_group_member_who_does_not_manage_it_gets_a_refusal_and_no_screen_state()
    {
        var (sessionId, _) = await SessionInProgressAsync();
        var member = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);

        await member.GotoAsync($"/sessions/{sessionId}");
        await Assertions.Expect(member.GetByRole(AriaRole.Link, new() { Name = "Room screen" })).ToBeVisibleAsync();
        await Assertions.Expect(member.GetByRole(AriaRole.Link, new() { Name = "Operator panel" })).ToHaveCountAsync(0);

        var response = await member.GotoAsync($"/forum/{sessionId}/operate");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(member.GetByTestId("forbidden")).ToHaveTextAsync("Only the group's chair and secretary (and admins) may operate the room screen.");
        await member.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(member.GetByTestId("forbidden")).ToBeVisibleAsync();
        await Assertions.Expect(member.GetByTestId("now")).ToHaveCountAsync(0);
        await Assertions.Expect(member.GetByTestId("show-on-screen")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("en-IN", 1400)]
    [InlineData("hi-IN", 1400)]
    [InlineData("en-IN", 390)]
    [InlineData("hi-IN", 390)]
    public async Task the_operator_panel_has_no_serious_accessibility_violations(string culture, int width)
    {
        var (sessionId, _) = await SessionInProgressAsync();
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            // A rotation and a countdown running, so every control the panel has is on it.
            var handler = scope.ServiceProvider.GetRequiredService<ScreenStateHandler>();
            var session = await scope.ServiceProvider.GetRequiredService<IQuerySession>().LoadAsync<GroupSession>(sessionId);
            var result = await handler.ActAsync(As(Admin.Email, Roles.Admin), sessionId, _ =>
                [new StartRotation([ScreenPanel.Heatmap, ScreenPanel.Flags], 20, "", default), new StartCountdown(session!.Agenda[0].Id, null, "", default)], default);
            Assert.IsType<CommandOutcome.Accepted>(result.Outcome);
        }

        var page = await fixture.SignedInPageAsync(Member.Email, Member.Password);
        await page.SetViewportSizeAsync(width, 900);
        var path = $"/forum/{sessionId}/operate";
        await page.GotoAsync($"/culture?culture={culture}&returnUrl={Uri.EscapeDataString(path)}");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture[..2]);
        await InteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(culture == "hi-IN" ? "संचालक पैनल" : "Operator panel");
        await page.GetByTestId("preview-choices").GetByRole(AriaRole.Button).Nth(1).ClickAsync();
        await page.GetByTestId("show-on-screen").ClickAsync();
        await Assertions.Expect(page.GetByTestId("operator-message")).Not.ToBeEmptyAsync();

        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{culture} {width}: " + string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));
        if (width < 600)
        {
            var overflow = await page.EvaluateAsync<int>("() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth; }");
            Assert.True(overflow <= 1, $"The operator panel is {overflow}px wider than a {width}px screen");
        }
    }
}
