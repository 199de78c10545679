using System.Security.Claims;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Forum.Polls;
using CoordinationPortal.Web.Seeding;
using CoordinationPortal.Web.WorkingGroups;
using Deque.AxeCore.Playwright;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests.Forum;

/// <summary>
/// Voting on a phone in a real browser: by keyboard alone (Tab into the choices, Space and the arrow keys to choose,
/// Enter to send) with the confirmation a screen reader announces; the code page and the poll page pass axe in English
/// and Hindi.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class PollBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Admin = DemoSeeder.Accounts.Single(a => a.Role == "Admin");
    private static readonly DemoAccount Member = DemoSeeder.Accounts.Single(a => a.Role == "Member");
    private static readonly Guid HealthMinistry = SeedHistory.StableId("agency:health-ministry");
    private static readonly Guid ReserveBank = SeedHistory.StableId("agency:reserve-bank-of-india");

    private static ClaimsPrincipal AdminUser => new(new ClaimsIdentity([new Claim(ClaimTypes.Name, Admin.Email), new Claim(ClaimTypes.Role, Roles.Admin)], "test"));

    /// <summary>A group with the demo member in it, a session in progress, and an open yes/no/abstain poll; the poll's code.</summary>
    private async Task<string> OpenPollAsync()
    {
        var groupId = Guid.NewGuid();
        var sessionId = Guid.NewGuid();
        var pollId = Guid.NewGuid();
        var clock = fixture.Services.GetRequiredService<PortalClock>();
        await using var scope = fixture.Services.CreateAsyncScope();
        var groups = scope.ServiceProvider.GetRequiredService<WorkingGroupHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await groups.FormAsync(
            AdminUser, groupId, new LocalizedText("Poll group", "मतदान समूह"), new LocalizedText("Quick polls.", "त्वरित मतदान।"),
            ForumKind.Sector, [HealthMinistry, ReserveBank], default));
        Assert.IsType<CommandOutcome.Accepted>(await groups.ActOnGroupAsync(AdminUser, new AddPerson(groupId, Member.Email, GroupRole.Member, HealthMinistry, clock.Today, "", default), null, default));
        Assert.IsType<CommandOutcome.Accepted>(await groups.ScheduleSessionAsync(
            AdminUser, groupId, sessionId, "Live session", clock.Now.AddMinutes(-30), clock.Now.AddHours(1), "Room 4", null, [], default));
        var polls = scope.ServiceProvider.GetRequiredService<PollHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await polls.OpenAsync(
            AdminUser, sessionId, pollId, "Adopt the shared GPU booking policy?", PollKind.YesNoAbstain, [], VoteBasis.Person, null, default));
        var poll = await scope.ServiceProvider.GetRequiredService<IQuerySession>().LoadAsync<Poll>(pollId);
        return poll!.ShortCode;
    }

    [Fact]
    public async Task a_member_votes_by_keyboard_alone_and_hears_the_confirmation()
    {
        var code = await OpenPollAsync();
        var page = await fixture.SignedInPageAsync(Member.Email, Member.Password);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/vote/{code}");
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Adopt the shared GPU booking policy?" })).ToBeVisibleAsync();

        // Tab until the choices are reached: the first radio button of the group takes the focus.
        for (var i = 0; i < 80 && !await page.EvaluateAsync<bool>("() => document.activeElement?.type === 'radio'"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Yes" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Yes" })).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.GetByRole(AriaRole.Radio, new() { Name = "No", Exact = true })).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Vote" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        var confirmation = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(confirmation).ToContainTextAsync("Your vote is recorded. You can change it until the poll closes.");
        await Assertions.Expect(confirmation).ToContainTextAsync("Your current vote: No");
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Vote recorded"));
        // The current vote is preselected, ready to be changed.
        await Assertions.Expect(page.GetByRole(AriaRole.Radio, new() { Name = "No", Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Change my vote" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("/vote", "en-IN")]
    [InlineData("/vote", "hi-IN")]
    [InlineData("/vote/{code}", "en-IN")]
    [InlineData("/vote/{code}", "hi-IN")]
    [InlineData("/vote?code=O0O0O0", "en-IN")]
    public async Task the_voting_pages_have_no_serious_accessibility_violations(string path, string culture)
    {
        var code = await OpenPollAsync();
        var page = await fixture.SignedInPageAsync(Member.Email, Member.Password);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/culture?culture={culture}&returnUrl={Uri.EscapeDataString(path.Replace("{code}", code, StringComparison.Ordinal))}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture[..2]);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveCountAsync(1);
        if (culture == "hi-IN")
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("मतदान");
        }

        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, path + ": " + string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));
        var overflow = await page.EvaluateAsync<int>("() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth; }");
        Assert.True(overflow <= 1, $"{path} is {overflow}px wider than a 390px screen");
    }
}
