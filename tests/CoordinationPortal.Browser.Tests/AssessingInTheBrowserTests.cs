using System.Globalization;
using System.Text.RegularExpressions;
using CoordinationPortal.Web.Seeding;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

[Collection(BrowserTests.Name)]
public sealed class AssessingInTheBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");
    private static readonly Guid HealthMinistry = SeedHistory.StableId("agency:health-ministry");

    [Fact]
    public async Task a_lead_raises_an_indicator_and_the_portfolio_shows_the_new_score()
    {
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        var row = page.Locator($"tr[data-agency='{HealthMinistry}']");
        var dataCell = row.Locator("td.score-cell").Nth(1); // Compute, Data, ...
        var before = double.Parse(await dataCell.Locator("span[aria-hidden]").InnerTextAsync(), CultureInfo.InvariantCulture);

        await row.GetByRole(AriaRole.Link, new() { Name = "Ministry of Health and Family Welfare" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/agencies/{HealthMinistry}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ministry of Health and Family Welfare");

        // Raise every Data indicator to level 5, through the form a lead uses.
        var dataIndicators = fixture.IndicatorIds("data.");
        Assert.NotEmpty(dataIndicators);
        // The agency page lists them (waiting out the moment the interactive render replaces the prerendered one).
        await Assertions.Expect(page.Locator("tr[data-indicator^='data.']")).ToHaveCountAsync(dataIndicators.Count);
        foreach (var indicator in dataIndicators)
        {
            await page.GotoAsync($"/agencies/{HealthMinistry}/assess/{indicator}");
            await page.Locator("#level-5").CheckAsync();
            await page.GetByLabel("Evidence note").FillAsync("National health data platform catalogue audited in the browser test.");
            await page.Locator("#url").FillAsync("https://records.example.gov.in/health/data-audit");
            await page.Locator("#target-level").SelectOptionAsync("");
            await page.Locator("#target-date").FillAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/agencies/{HealthMinistry}\\?saved={Regex.Escape(indicator)}$"));
        }

        await page.GotoAsync("/");
        var after = double.Parse(await page.Locator($"tr[data-agency='{HealthMinistry}'] td.score-cell").Nth(1).Locator("span[aria-hidden]").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.Equal(100, after);
        Assert.True(after > before, $"Data went from {before} to {after}");
    }

    [Fact]
    public async Task a_conflicting_edit_gets_a_clear_message_and_keeps_the_users_text()
    {
        var first = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        var second = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        var form = $"/agencies/{HealthMinistry}/assess/skills.leadership-literacy";
        await first.GotoAsync(form);
        await second.GotoAsync(form);

        await first.Locator("#level-3").CheckAsync();
        await first.GetByLabel("Evidence note").FillAsync("First editor's note.");
        await first.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();
        await Assertions.Expect(first).ToHaveURLAsync(new Regex($"/agencies/{HealthMinistry}\\?saved=skills.leadership-literacy$"));

        await second.Locator("#level-2").CheckAsync();
        await second.GetByLabel("Evidence note").FillAsync("Second editor's note.");
        await second.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();

        await Assertions.Expect(second.GetByTestId("conflict")).ToContainTextAsync("Someone else changed this scorecard");
        await Assertions.Expect(second.GetByLabel("Evidence note")).ToHaveValueAsync("Second editor's note.");
    }

    [Fact]
    public async Task invalid_input_is_explained_and_nothing_is_saved()
    {
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.GotoAsync($"/agencies/{HealthMinistry}/assess/compute.capacity");
        await page.Locator("#level-4").CheckAsync();
        await page.GetByLabel("Evidence note").FillAsync("");
        await page.Locator("#url").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();

        var errors = page.GetByTestId("errors");
        await Assertions.Expect(errors).ToContainTextAsync("Write an evidence note.");
        await Assertions.Expect(errors).ToContainTextAsync("evidence link at level 3 and above");
        Assert.Contains("/assess/compute.capacity", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_viewer_sees_no_assess_links_and_cannot_open_the_form()
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        await page.GotoAsync($"/agencies/{HealthMinistry}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-indicator]")).ToHaveCountAsync(fixture.IndicatorIds("").Count);
        Assert.Equal(0, await page.Locator("a[href*='/assess/']").CountAsync());

        await page.GotoAsync($"/agencies/{HealthMinistry}/assess/compute.capacity");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only the leads of this agency");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).CountAsync());
    }

    [Fact]
    public async Task the_portal_speaks_hindi_after_switching_language()
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "हिन्दी", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "hi");
        var heading = await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync();
        Assert.Matches(new Regex("[\u0900-\u097F]"), heading);

        await page.GotoAsync("/framework");
        var layerHeading = await page.Locator("#fw-Compute").InnerTextAsync();
        Assert.Matches(new Regex("[\u0900-\u097F]"), layerHeading);
    }

    [Fact]
    public async Task an_anonymous_visitor_is_sent_to_sign_in()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/agencies/{HealthMinistry}");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
        await context.CloseAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/framework")]
    [InlineData("/agencies/{agency}")]
    [InlineData("/agencies/{agency}/assess/data.quality-management")]
    public async Task pages_have_no_serious_accessibility_violations(string path)
    {
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.GotoAsync(path.Replace("{agency}", HealthMinistry.ToString(), StringComparison.Ordinal));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));
    }

    [Fact]
    public async Task screenshot_of_the_portfolio_for_the_readme()
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        // At least 40 rows; waiting, since the interactive render briefly replaces the prerendered table.
        await Assertions.Expect(page.Locator("table.heatmap tbody tr").Nth(39)).ToBeVisibleAsync();
        var target = Environment.GetEnvironmentVariable("PORTAL_SCREENSHOT");
        if (!string.IsNullOrEmpty(target))
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = target, FullPage = false });
            await page.GotoAsync($"/agencies/{SeedHistory.StableId("agency:ntpc")}");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = target.Replace("portfolio", "agency", StringComparison.Ordinal), FullPage = true });
            await page.GotoAsync("/culture?culture=hi-IN&returnUrl=/");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = target.Replace("portfolio", "portfolio-hi", StringComparison.Ordinal), FullPage = false });
        }
    }
}
