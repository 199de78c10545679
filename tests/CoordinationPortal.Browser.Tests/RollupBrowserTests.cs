using CoordinationPortal.Web.Seeding;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>The roll-ups page in a real browser: read by a viewer, in both languages, with no serious accessibility violation.</summary>
[Collection(BrowserTests.Name)]
public sealed class RollupBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");

    [Theory]
    [InlineData("en-IN", "Out-of-step roll-ups")]
    [InlineData("hi-IN", "तालमेल से बाहर: समेकित सारांश")]
    public async Task the_roll_ups_have_no_serious_accessibility_violations(string culture, string heading)
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        await page.GotoAsync($"/culture?culture={culture}&returnUrl=/flags/rollups");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("rollup-sector").Locator("tbody tr").First).ToBeVisibleAsync();

        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));
    }
}
