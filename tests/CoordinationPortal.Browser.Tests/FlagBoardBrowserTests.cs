using System.Text.RegularExpressions;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Seeding;
using Deque.AxeCore.Playwright;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

[Collection(BrowserTests.Name)]
public sealed class FlagBoardBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");
    private static readonly Guid HealthMinistry = SeedHistory.StableId("agency:health-ministry");
    private static readonly Guid ReserveBank = SeedHistory.StableId("agency:reserve-bank-of-india");

    [Fact]
    public async Task a_lead_filters_the_board_by_severity_and_acknowledges_a_flag_with_a_note()
    {
        var rule = "browser-" + Guid.NewGuid().ToString("N")[..8];
        var high = await RaiseAsync(HealthMinistry, rule, "compute-data", FlagSeverity.High, [Layer.Compute, Layer.Data],
            "Compute is at level 4 but Data is at level 2: compute is scaling faster than data quality.");
        var low = await RaiseAsync(HealthMinistry, rule, "skills", FlagSeverity.Low, [Layer.Skills],
            "Skills were last assessed on 1 March 2026 while the other layers were assessed since.");
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);

        await page.GetByRole(AriaRole.Link, new() { Name = "Out of step", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Out of step", Level = 1 })).ToBeVisibleAsync();

        // The lead looks at their agency's flags (as its page links to them): the whole demo has more than a page of them.
        await page.GotoAsync($"/flags?agency={HealthMinistry}");
        await Assertions.Expect(page.Locator($"tr[data-flag='{high}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"tr[data-flag='{low}']")).ToBeVisibleAsync();

        // The severity counts are the severity filter: pressing High shows only High, and says so.
        var highCount = page.Locator("button.filter-chip[data-severity='high']");
        await Assertions.Expect(highCount).ToHaveAttributeAsync("aria-pressed", "false");
        await highCount.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("severity=high"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"agency={HealthMinistry}")); // the other filters kept
        await Assertions.Expect(page.Locator("button.filter-chip[data-severity='high']")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("button.filter-chip[data-severity='all']")).ToHaveAttributeAsync("aria-pressed", "false");
        var row = page.Locator($"tr[data-flag='{high}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"tr[data-flag='{low}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("tr[data-flag]:not([data-severity='high'])")).ToHaveCountAsync(0);
        await Assertions.Expect(row).ToContainTextAsync("compute is scaling faster than data quality");
        await Assertions.Expect(row).ToContainTextAsync("High");

        const string note = "Data stewards hired; the quality audit reports in June.";
        await row.Locator("summary").ClickAsync();
        await row.GetByLabel("Note").FillAsync(note);
        await row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge flag" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("flag-message")).ToContainTextAsync("Acknowledged:");
        await Assertions.Expect(page.GetByTestId("flag-message")).ToContainTextAsync("Ministry of Health and Family Welfare");
        row = page.Locator($"tr[data-flag='{high}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "Acknowledged");
        await Assertions.Expect(row.GetByTestId("acknowledgement-note")).ToHaveTextAsync(note);
        await Assertions.Expect(row.GetByTestId("acknowledged-by")).ToContainTextAsync(Lead.Email);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("severity=high")); // the filters stay as they were

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator($"tr[data-flag='{high}']").GetByTestId("acknowledgement-note")).ToHaveTextAsync(note);
    }

    [Fact]
    public async Task the_board_has_no_serious_accessibility_violations()
    {
        var rule = "browser-axe-" + Guid.NewGuid().ToString("N")[..8];
        await RaiseAsync(HealthMinistry, rule, "", FlagSeverity.Medium, [Layer.Operations, Layer.Governance],
            "Operations is at level 4 but Governance is at level 2: use cases expand faster than governance matures.");
        await RaiseAsync(ReserveBank, rule, "", FlagSeverity.High, [Layer.Data, Layer.Governance],
            "Data is at level 4 but Governance is at level 2: a privacy risk.");
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);

        foreach (var path in new[] { "/flags?expand=all", $"/flags?rule={rule}&sort=agency-asc", $"/flags?rule={rule}&group=rule" })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            // With a form open, as a lead sees it while acknowledging.
            await page.Locator("details.acknowledge summary").First.ClickAsync();
            var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
            {
                RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            });
            var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            Assert.True(serious.Count == 0, path + ": " + string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));
        }
    }

    [Fact]
    public async Task groups_close_and_open_from_their_summary_with_the_keyboard()
    {
        var rule = "browser-group-" + Guid.NewGuid().ToString("N")[..8];
        var flag = await RaiseAsync(HealthMinistry, rule, "", FlagSeverity.Medium, [Layer.Operations, Layer.Governance],
            "Operations is at level 4 but Governance is at level 2: use cases expand faster than governance matures.");
        await RaiseAsync(ReserveBank, rule, "", FlagSeverity.High, [Layer.Data, Layer.Governance], "Data is at level 4 but Governance is at level 2.");
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);

        await page.GotoAsync($"/flags?rule={rule}");
        var summary = page.Locator($"details.flag-group[data-group-key='{HealthMinistry}'] > summary");
        var row = page.Locator($"tr[data-flag='{flag}']");
        await Assertions.Expect(summary).ToContainTextAsync("1 flag: 1 Medium");
        await Assertions.Expect(row).ToBeVisibleAsync();

        await summary.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(row).ToBeHiddenAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(row).ToBeVisibleAsync();

        // Collapse all, then the lead's own group can still be opened on its own.
        await page.GetByTestId("collapse-all").ClickAsync();
        await Assertions.Expect(page.Locator("details.flag-group[open]")).ToHaveCountAsync(0);
        await summary.ClickAsync();
        await Assertions.Expect(row).ToBeVisibleAsync();
    }

    [Fact]
    public async Task a_lead_acknowledges_a_flag_from_the_agency_page()
    {
        var rule = "browser-agency-" + Guid.NewGuid().ToString("N")[..8];
        var flag = await RaiseAsync(HealthMinistry, rule, "", FlagSeverity.Low, [Layer.Skills], "Skills were last assessed in March.");
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);

        await page.GotoAsync($"/agencies/{HealthMinistry}");
        await Assertions.Expect(page.Locator("[data-testid='agency-flags'][data-live='true']")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        var row = page.Locator($"[data-testid='open-flags'] tr[data-flag='{flag}']");
        await row.Locator("details.acknowledge summary").ClickAsync();
        const string note = "Skills survey under way; results in February.";
        await row.GetByLabel("Note").FillAsync(note);
        await row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge flag" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("agency-flag-message")).ToContainTextAsync("Acknowledged:");
        await Assertions.Expect(row).ToContainTextAsync(note);
        await Assertions.Expect(row).ToContainTextAsync($"Acknowledged by {Lead.Email}");
    }

    /// <summary>Raises a flag as the evaluation would: the first event of the flag's own stream.</summary>
    private async Task<Guid> RaiseAsync(Guid agencyId, string ruleId, string subject, FlagSeverity severity, Layer[] layers, string explanation)
    {
        var id = FlagIds.For(agencyId, ruleId, subject);
        await using var session = fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream<Flag>(id, new FlagRaised(
            id, agencyId, ruleId, "lead", subject, severity, layers, [new Figure("leadingLevel", 4), new Figure("laggingLevel", 2)],
            new LocalizedText(explanation, "कंप्यूट स्तर 4 पर है पर डेटा स्तर 2 पर है।"), 1, DateTimeOffset.UtcNow.AddDays(-1)));
        // With the change notice the evaluation stages, so cached pages of the agency and the board are evicted.
        fixture.Services.GetRequiredService<ChangeFeed>().Stage(session, new PortalChange(ChangeKinds.Flag, id, agencyId));
        await session.SaveChangesAsync();
        return id;
    }
}
