using CoordinationPortal.Web.Seeding;
using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace CoordinationPortal.Browser.Tests.Briefings;

/// <summary>
/// The portfolio and the agency page on paper, in a real Chromium with print media at A4 width (794 px): no app bar,
/// navigation, language switch, filters or buttons; nothing wider than the page; the heatmap's shading kept; and the
/// portfolio of the demo's agencies on at most three A4 pages (it printed on five, cut off, before the print stylesheet).
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class PrintTests(BrowserFixture fixture)
{
    private const int A4Width = 794;
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");

    private async Task<IPage> PrintedAsync(string address)
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        await page.SetViewportSizeAsync(A4Width, 1123);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.GotoAsync(address);
        return page;
    }

    /// <summary>What the print stylesheet hides, and what it must leave: nothing of the portal's furniture on paper.</summary>
    private static async Task AssertNoFurnitureAsync(IPage page)
    {
        foreach (var selector in new[] { ".mud-appbar", ".main-nav", ".language-switch", ".skip-link", "form.filters", ".briefing-downloads" })
        {
            var count = await page.Locator(selector).CountAsync();
            Assert.True(count > 0, $"{selector} should be on the page (the test would prove nothing otherwise)");
            Assert.True(await page.Locator(selector).First.IsHiddenAsync(), $"{selector} is printed");
        }

        Assert.Equal(0, await page.Locator("button:visible").CountAsync());
    }

    private static async Task AssertFitsThePageAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, viewport) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= viewport, $"The printed page is {scrollWidth} px wide on a {viewport} px page");
        var wider = await page.EvaluateAsync<string[]>(
            // A chart's own marks are clipped to its box; the box itself is checked.
            "w => [...document.querySelectorAll('main *:not(svg *)')].filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5).map(e => e.tagName + '.' + e.getAttribute('class'))",
            A4Width);
        Assert.True(wider.Length == 0, "Wider than the page: " + string.Join(", ", wider));
    }

    [Fact]
    public async Task the_portfolio_prints_without_the_portals_furniture_at_the_pages_width_with_the_heatmaps_shading()
    {
        var page = await PrintedAsync("/");
        await Assertions.Expect(page.GetByTestId("heatmap")).ToBeVisibleAsync();

        await AssertNoFurnitureAsync(page);
        await AssertFitsThePageAsync(page);

        // Every shaded band keeps its background on paper, and the browser is told to print it exactly.
        var shading = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('table.heatmap td.band-3, table.heatmap td.band-4, table.heatmap td.band-5')].slice(0, 20).map(td => { const s = getComputedStyle(td); return s.backgroundColor + '|' + (s.printColorAdjust || s.webkitPrintColorAdjust); })");
        Assert.NotEmpty(shading);
        Assert.All(shading, s =>
        {
            var parts = s.Split('|');
            Assert.NotEqual("rgba(0, 0, 0, 0)", parts[0]);
            Assert.NotEqual("rgb(255, 255, 255)", parts[0]);
            Assert.Equal("exact", parts[1]);
        });

        // Table headers repeat on every printed page.
        Assert.Equal("table-header-group", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('table.heatmap thead')).display"));
    }

    [Fact]
    public async Task the_portfolio_of_the_demo_agencies_prints_on_at_most_three_a4_pages()
    {
        var page = await PrintedAsync("/");
        await Assertions.Expect(page.GetByTestId("heatmap")).ToBeVisibleAsync();
        var rows = await page.Locator("table.heatmap tbody tr").CountAsync();
        Assert.True(rows >= 46, $"The demo seeds 46 agencies; the portfolio shows {rows}");

        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true, PreferCSSPageSize = true });
        using var document = PdfDocument.Open(pdf);
        Assert.True(document.NumberOfPages <= 3, $"{rows} agencies printed on {document.NumberOfPages} pages");

        // Every agency made it onto paper: no column or row was cut off.
        var text = string.Join("\n", document.GetPages().Select(p => p.Text));
        foreach (var name in await page.Locator("table.heatmap tbody th.agency-name a").AllInnerTextsAsync())
        {
            Assert.Contains(name.Replace(" ", "", StringComparison.Ordinal), text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task the_agency_page_prints_without_the_portals_furniture_at_the_pages_width()
    {
        var agency = SeedHistory.StableId("agency:health-ministry");
        var page = await PrintedAsync($"/agencies/{agency}");
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".layer-card").First).ToBeVisibleAsync();

        foreach (var selector in new[] { ".mud-appbar", ".main-nav", ".language-switch", ".skip-link", "form.filters", ".briefing-downloads" })
        {
            Assert.True(await page.Locator(selector).First.IsHiddenAsync(), $"{selector} is printed");
        }

        Assert.Equal(0, await page.Locator("button:visible").CountAsync());
        await AssertFitsThePageAsync(page);

        // The layer cards keep their shading.
        var card = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.layer-card[class*=band-]:not(.band-0)') ?? document.querySelector('.layer-card')).backgroundColor");
        Assert.NotEqual("rgba(0, 0, 0, 0)", card);
    }
}
