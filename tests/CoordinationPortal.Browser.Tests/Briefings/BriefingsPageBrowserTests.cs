using CoordinationPortal.Web.Seeding;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests.Briefings;

/// <summary>
/// The Briefings page in a real Chromium: no accessibility violations on a desktop and a phone, and a policymaker's
/// journey (national, हिन्दी → progress → the download → a PDF). Both need the feature's <c>BriefingService</c>, and the
/// journey the download API and a Chromium to print with.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class BriefingsPageBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");

    [Theory]
    [InlineData(1280, "en-IN", "Briefings")]
    [InlineData(390, "en-IN", "Briefings")]
    [InlineData(1280, "hi-IN", "ब्रीफ़िंग")]
    [InlineData(390, "hi-IN", "ब्रीफ़िंग")]
    public async Task the_briefings_page_has_no_accessibility_violations(int width, string culture, string heading)
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        await page.SetViewportSizeAsync(width, 900);
        await page.GotoAsync($"/culture?culture={culture}&returnUrl=/briefings");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("briefing-form")).ToBeVisibleAsync();

        // With a scope chosen its drop-down shows, and the page still passes.
        await page.Locator("#scope-sector").CheckAsync();
        await Assertions.Expect(page.Locator("#briefing-sector")).ToBeVisibleAsync();

        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(results.Violations.Length == 0, string.Join("\n", results.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));

        // Nothing of the page is wider than a phone's screen (the app bar's own reflow is the layout's, on every page). A
        // data table may scroll inside its own keyboard-focusable region (WCAG 1.4.10 exempts two-dimensional tables);
        // the region itself must fit.
        var wider = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main *')].filter(e => !e.parentElement.closest('.table-scroll[role=region][tabindex]'))" +
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.getAttribute('class'))");
        Assert.True(wider.Length == 0, $"Wider than {width} px: " + string.Join(", ", wider));
    }

    [Fact]
    public async Task a_policymaker_chooses_the_national_briefing_in_hindi_waits_for_it_and_downloads_a_pdf()
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Briefings" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Briefings", Level = 1 })).ToBeVisibleAsync();

        await page.Locator("#scope-national").CheckAsync();
        await page.Locator("#lang-hi").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Prepare briefing" }).ClickAsync();

        // The page refreshes itself while the briefing is prepared; the download link appears when it is ready.
        await page.WaitForURLAsync(url => url.Contains("/briefings?scope=national&subject=all&lang=hi", StringComparison.Ordinal));
        var link = page.GetByTestId("briefing-download-link");
        await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 90_000 });
        Assert.Equal("/api/v1/briefings/national/all?lang=hi", await link.GetAttributeAsync("href"));

        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.StartsWith("briefing-national-all-hi-", download.SuggestedFilename, StringComparison.Ordinal);
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 1000, $"The PDF is {bytes.Length} bytes");
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
    }
}
