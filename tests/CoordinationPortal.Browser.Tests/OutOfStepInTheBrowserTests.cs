using System.Text.RegularExpressions;
using CoordinationPortal.Web.Seeding;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// The promise, end to end in Chromium: a lead lowers an agency's Data layer through the assessment form and
/// the out-of-step board shows "Compute ahead of data" within seconds; restoring Data resolves it.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class OutOfStepInTheBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");
    private static readonly Guid Maharashtra = SeedHistory.StableId("agency:maharashtra-health-services");
    private const string Board = "/flags?rule=compute-leads-data&q=Maharashtra+Health+Services&group=none";

    [Fact]
    public async Task lowering_data_raises_compute_ahead_of_data_on_the_board_and_restoring_it_resolves_it()
    {
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await SetLayerAsync(page, "compute.", 4);
        await SetLayerAsync(page, "data.", 4);
        await ExpectOnBoardAsync(page, present: false);

        await SetLayerAsync(page, "data.", 1);
        await ExpectOnBoardAsync(page, present: true);
        var row = page.Locator($"tr[data-flag]:has(a[href='/agencies/{Maharashtra}'])");
        await Assertions.Expect(row).ToContainTextAsync("Compute ahead of data");
        await Assertions.Expect(row).ToContainTextAsync("Compute is at level 4.0 but Data is at level 1.0");

        await SetLayerAsync(page, "data.", 4);
        await ExpectOnBoardAsync(page, present: false);
    }

    private async Task SetLayerAsync(IPage page, string layerPrefix, int level)
    {
        await page.GotoAsync($"/agencies/{Maharashtra}");
        var indicators = fixture.IndicatorIds(layerPrefix);
        Assert.NotEmpty(indicators);
        // The agency page lists them (waiting out the moment the interactive render replaces the prerendered one).
        await Assertions.Expect(page.Locator($"tr[data-indicator^='{layerPrefix}']")).ToHaveCountAsync(indicators.Count);
        foreach (var indicator in indicators)
        {
            await page.GotoAsync($"/agencies/{Maharashtra}/assess/{indicator}");
            await page.Locator($"#level-{level}").CheckAsync();
            await page.GetByLabel("Evidence note").FillAsync("Reassessed in the out-of-step browser test.");
            await page.Locator("#url").FillAsync("https://records.example.gov.in/maharashtra/health/review");
            await page.Locator("#target-level").SelectOptionAsync("");
            await page.Locator("#target-date").FillAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/agencies/{Maharashtra}\\?saved="));
        }
    }

    /// <summary>
    /// The board is a server-rendered page: reload it until the flag appears (or goes), for up to 30 seconds (the
    /// evaluation runs in the background, on a machine Chromium, PostgreSQL and Kestrel share).
    /// </summary>
    private static async Task ExpectOnBoardAsync(IPage page, bool present)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            await page.GotoAsync(Board);
            var count = await page.Locator($"tr[data-flag]:has(a[href='/agencies/{Maharashtra}'])").CountAsync();
            if ((count > 0) == present)
            {
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, present ? "The flag did not appear on the board within 30 s." : "The flag stayed on the board for 30 s.");
            await Task.Delay(250);
        }
    }
}
