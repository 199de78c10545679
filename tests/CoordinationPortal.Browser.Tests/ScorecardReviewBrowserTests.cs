using System.Globalization;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Seeding;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// Issue 14, items 3 and 4: the scorecard review mode and the assess form's confirmation, error summary, previous
/// evidence, untouched target and focus. Each test works on an agency of its own, led by the demo lead and assessed last
/// quarter, so nothing depends on the demo history or on the order the collection's tests run in.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ScorecardReviewBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");
    private const string OldNote = "Capacity plan signed off by the board last quarter.";
    private const string OldLink = "https://records.example.gov.in/review/plan.pdf";

    [Fact]
    public async Task a_lead_confirms_an_indicator_unchanged_in_one_click_changes_another_and_submits()
    {
        var (agency, assessed) = await AgencyAssessedLastQuarterAsync(levels: 3);
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.GotoAsync($"/agencies/{agency}");
        await page.GetByTestId("review-link").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/agencies/{agency}/review$"));
        await ReadyAsync(page);
        var total = fixture.IndicatorIds("").Count;
        await Assertions.Expect(page.GetByTestId("review-progress")).ToContainTextAsync($"0 of {total} reviewed this quarter");

        // One click: the same level again, with a note, announced, and focus on the next indicator needing attention.
        var first = assessed[0];
        var item = page.Locator($"article[data-indicator='{first}']");
        await Assertions.Expect(item.Locator("[data-fact=last-quarter]")).ToContainTextAsync("3");
        await item.Locator("button[data-action=unchanged]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "confirmed unchanged" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("review-progress")).ToContainTextAsync($"1 of {total} reviewed this quarter");
        await Assertions.Expect(item.Locator("button[data-action=unchanged]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"article[data-indicator='{assessed[1]}'] h3")).ToBeFocusedAsync();

        // Change another on the assess form, and come back to the review at that indicator.
        await page.Locator($"article[data-indicator='{assessed[1]}'] a[data-action=change]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/assess/{Regex.Escape(assessed[1])}\\?from=review$"));
        await page.Locator("#level-4").CheckAsync();
        await page.GetByLabel("Evidence note").FillAsync("Raised in the quarterly review.");
        await page.Locator("#url").FillAsync(OldLink);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/agencies/{agency}/review\\?saved="));
        await ReadyAsync(page);
        await Assertions.Expect(page.GetByTestId("review-status")).ToContainTextAsync("saved as a draft — submit for review");
        await Assertions.Expect(page.GetByTestId("review-progress")).ToContainTextAsync($"2 of {total} reviewed this quarter");

        // Submit: announced, focus on the submit section's heading (never the page body).
        await page.Locator("button[data-action=submit]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Drafts submitted for review: 2." })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#review-submit-heading")).ToBeFocusedAsync();

        // The history shows the confirmation as an assessment at the same level, with its note.
        await page.GotoAsync($"/agencies/{agency}");
        var confirmed = page.GetByTestId("history").Locator("tr").Filter(new() { HasText = "Confirmed unchanged in the" });
        await Assertions.Expect(confirmed).ToHaveCountAsync(1);
        await Assertions.Expect(confirmed).ToContainTextAsync("→ 3");
        await Assertions.Expect(confirmed).ToContainTextAsync(new Regex($"\\[Confirmed unchanged in the \\d{{4}}-Q\\d review\\] {Regex.Escape(OldNote)}"));
        var state = await StateAsync(agency);
        Assert.Equal(3, state.Indicators[first].Level);
        Assert.Equal(OldLink, state.Indicators[first].EvidenceUrl);
        Assert.Equal(ReviewStatus.Submitted, state.Indicators[first].Status);
        Assert.Equal(4, state.Indicators[assessed[1]].Level);
    }

    [Theory]
    [InlineData("en-IN", "Scorecard review")]
    [InlineData("hi-IN", "स्कोरकार्ड समीक्षा")]
    public async Task the_review_page_fits_a_phone_works_from_the_keyboard_and_passes_axe(string culture, string heading)
    {
        var (agency, assessed) = await AgencyAssessedLastQuarterAsync(levels: 2);
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/culture?culture={culture}&returnUrl=/agencies/{agency}/review");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(heading);
        await ReadyAsync(page);

        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));

        var wider = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)" +
            ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.getAttribute('class'))");
        Assert.True(wider.Length == 0, "Wider than 390 px: " + string.Join(", ", wider));

        // The keyboard alone: a layer collapses and opens again from its heading's button, and Enter confirms.
        var toggle = page.Locator("section[data-layer] button.review-toggle").First;
        await toggle.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        var confirm = page.Locator($"article[data-indicator='{assessed[0]}'] button[data-action=unchanged]");
        await confirm.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("review-progress")).ToContainTextAsync(culture == "hi-IN" ? "में से 1" : "1 of");
        // Focus moves on after the render that shows the progress; it must not fall to the page's body.
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.tagName !== 'BODY'", null, new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task someone_who_may_not_edit_the_agency_gets_a_worded_403()
    {
        var (agency, _) = await AgencyAssessedLastQuarterAsync(levels: 1);
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        var response = await page.GotoAsync($"/agencies/{agency}/review");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByTestId("forbidden")).ToContainTextAsync("Only the leads of this agency");
        Assert.Equal(0, await page.Locator("button[data-action=unchanged]").CountAsync());
    }

    [Fact]
    public async Task a_save_is_confirmed_in_a_status_message_that_takes_focus_and_shows_the_previous_evidence()
    {
        var (agency, assessed) = await AgencyAssessedLastQuarterAsync(levels: 1);
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.GotoAsync($"/agencies/{agency}/assess/{assessed[0]}");
        await Assertions.Expect(page.GetByTestId("previous-evidence")).ToContainTextAsync(OldNote);
        await page.Locator("#level-2").CheckAsync();
        await page.GetByLabel("Evidence note").FillAsync("Second data centre contracted.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/agencies/{agency}\\?saved="));
        var message = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "saved as a draft — submit for review" });
        await Assertions.Expect(message).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("agency-message")).ToBeFocusedAsync();

        // Submit drafts for review: the button goes, and focus goes to the message that says so, not to the body.
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit drafts for review" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("agency-message")).ToContainTextAsync("Drafts submitted for review.");
        await Assertions.Expect(page.GetByTestId("agency-message")).ToHaveAttributeAsync("role", "status");
        await Assertions.Expect(page.GetByTestId("agency-message")).ToBeFocusedAsync();
        Assert.NotEqual("BODY", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));
    }

    [Fact]
    public async Task a_failed_save_focuses_an_error_summary_whose_links_lead_to_the_invalid_fields()
    {
        var (agency, assessed) = await AgencyAssessedLastQuarterAsync(levels: 1);
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.GotoAsync($"/agencies/{agency}/assess/{assessed[0]}");
        await page.Locator("#level-2").CheckAsync();
        await page.GetByLabel("Evidence note").FillAsync("");
        await page.Locator("#url").FillAsync("ftp://records.example.gov.in/plan.pdf"); // a URL to the browser, not a web link to the portal
        await page.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();

        var summary = page.GetByTestId("errors");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("There is a problem");
        var noteLink = summary.GetByRole(AriaRole.Link, new() { Name = "Write an evidence note." });
        Assert.EndsWith("#note", await noteLink.GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.EndsWith("#url", await summary.GetByRole(AriaRole.Link, new() { Name = "The evidence link must be" }).GetAttributeAsync("href"), StringComparison.Ordinal);

        var note = page.Locator("#note");
        await Assertions.Expect(note).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(note).ToHaveAttributeAsync("aria-describedby", new Regex("\\bnote-error\\b"));
        await Assertions.Expect(page.Locator("#note-error")).ToHaveTextAsync("Write an evidence note.");
        await Assertions.Expect(page.Locator("#url")).ToHaveAttributeAsync("aria-invalid", "true");

        // The link stays on this page and brings the field into view.
        await noteLink.ClickAsync();
        Assert.Contains($"/assess/{assessed[0]}", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(note).ToBeInViewportAsync();
        Assert.Equal(1, (await StateAsync(agency)).Indicators[assessed[0]].Level);
    }

    [Fact]
    public async Task raising_the_level_past_a_prefilled_target_the_lead_did_not_touch_saves_and_says_the_target_went()
    {
        var (agency, assessed) = await AgencyAssessedLastQuarterAsync(levels: 2, target: 3);
        var indicator = assessed[0];
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.GotoAsync($"/agencies/{agency}/assess/{indicator}");
        await Assertions.Expect(page.Locator("#target-level")).ToHaveValueAsync("3");

        await page.Locator("#level-4").CheckAsync();
        await page.GetByLabel("Evidence note").FillAsync("Two levels up after the new platform went live.");
        await page.Locator("#url").FillAsync(OldLink);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/agencies/{agency}\\?saved=.*target=dropped"));
        await Assertions.Expect(page.GetByTestId("agency-message")).ToContainTextAsync("The earlier target is reached at this level, so it was removed");
        var state = (await StateAsync(agency)).Indicators[indicator];
        Assert.Equal(4, state.Level);
        Assert.Null(state.TargetLevel);
        Assert.Null(state.TargetDate);

        // A target the lead sets below the level is still refused: only the untouched one gives way.
        await page.GotoAsync($"/agencies/{agency}/assess/{indicator}");
        await page.Locator("#level-4").CheckAsync();
        await page.GetByLabel("Evidence note").FillAsync("Typed target below the level.");
        await page.Locator("#url").FillAsync(OldLink);
        await page.Locator("#target-level").SelectOptionAsync("2");
        await page.Locator("#target-date").FillAsync(DateTime.Today.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("errors")).ToContainTextAsync("The target level must be at least the current level");
        await Assertions.Expect(page.Locator("#target-level")).ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Theory]
    [InlineData("en-IN")]
    [InlineData("hi-IN")]
    public async Task the_assess_form_with_errors_passes_axe(string culture)
    {
        var (agency, assessed) = await AgencyAssessedLastQuarterAsync(levels: 1);
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/culture?culture={culture}&returnUrl=/agencies/{agency}/assess/{assessed[0]}");
        await page.Locator("#level-2").CheckAsync();
        await page.Locator("#note").FillAsync("");
        await page.Locator("button.primary-button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("errors")).ToBeVisibleAsync();

        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));
    }

    /// <summary>
    /// Waits for the review page's interactive connection (its buttons act only then). A circuit can take longer than the
    /// default 15 s to start on a busy shared machine, so this waits up to a minute.
    /// </summary>
    private static Task ReadyAsync(IPage page) =>
        Assertions.Expect(page.Locator(".scorecard-review[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 60_000 });

    /// <summary>
    /// A fresh agency led by the demo lead whose first three Compute indicators were assessed at <paramref name="levels"/>
    /// (with evidence and a link) and submitted 100 days ago, so they need this quarter's review; optionally with a target
    /// still ahead.
    /// </summary>
    private async Task<(Guid Agency, IReadOnlyList<string> Assessed)> AgencyAssessedLastQuarterAsync(int levels, int? target = null)
    {
        var agency = Guid.NewGuid();
        var indicators = fixture.IndicatorIds("compute.").Take(3).ToList();
        await using var scope = fixture.Services.CreateAsyncScope();
        var commands = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        var then = DateTimeOffset.Now.AddDays(-100);
        Assert.IsType<CommandOutcome.Accepted>(await commands.HandleAsSystemAsync(
            new RegisterAgency(agency, $"Review test agency {agency:N}"[..30], AgencyKind.Ministry, "health", "national", "", then.AddDays(-1)), CancellationToken.None));
        Assert.IsType<CommandOutcome.Accepted>(await commands.HandleAsSystemAsync(new AssignLead(agency, Lead.Email, "", then.AddDays(-1)), CancellationToken.None));
        foreach (var indicator in indicators)
        {
            var outcome = await commands.HandleAsSystemAsync(new AssessIndicator(
                agency, indicator, levels, OldNote, OldLink, target, target is null ? null : DateOnly.FromDateTime(DateTime.Today.AddYears(1)), Lead.Email, then), CancellationToken.None);
            Assert.IsType<CommandOutcome.Accepted>(outcome);
        }

        // Last quarter's work was submitted then; only what is confirmed or changed now is a draft again.
        Assert.IsType<CommandOutcome.Accepted>(await commands.HandleAsSystemAsync(new SubmitForReview(agency, Lead.Email, then.AddHours(1)), CancellationToken.None));

        Assert.Equal(3, fixture.Services.GetRequiredService<ReadinessFramework>().Indicators.Count(i => indicators.Contains(i.Id)));
        return (agency, indicators);
    }

    private async Task<Agency> StateAsync(Guid agency)
    {
        await using var session = fixture.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        return await session.LoadAsync<Agency>(agency) ?? throw new InvalidOperationException("The agency should exist.");
    }
}
