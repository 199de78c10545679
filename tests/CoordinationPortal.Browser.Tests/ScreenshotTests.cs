using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Seeding;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// The README's screenshots: the landing page, an agency page and the phone layout, in English and Hindi, taken from
/// the demo data. The suite checks they render (a PNG of the expected width, and the page's own heading in it); with
/// <c>SCREENSHOTS_DIR</c> set (<c>bash infra/screenshots.sh</c>) it writes them into the repository's
/// <c>docs/screenshots/</c> as well.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ScreenshotTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");

    public static TheoryData<string, string, int, int> Shots => new()
    {
        { "landing", "/", 1366, 900 },
        { "agency", "agency", 1366, 900 },
        { "phone", "/", 390, 844 },
        { "flags", "/flags", 1366, 900 },
        { "flags-phone", "/flags", 390, 844 },
    };

    [Theory]
    [MemberData(nameof(Shots))]
    public async Task the_readme_screenshots_render_in_both_languages(string name, string path, int width, int height)
    {
        if (path == "agency")
        {
            await using var session = fixture.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var agency = await session.Query<AgencySummary>().SingleAsync(a => a.Name == "Ministry of Health and Family Welfare");
            path = $"/agencies/{agency.Id}";
        }

        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.SetViewportSizeAsync(width, height);
        foreach (var (culture, suffix) in new[] { ("en-IN", ""), ("hi-IN", "-hi") })
        {
            await page.GotoAsync($"/culture?culture={culture}&returnUrl={Uri.EscapeDataString(path)}");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var heading = page.Locator("main h1").First;
            await Assertions.Expect(heading).ToBeVisibleAsync();
            Assert.Equal(culture[..2], await page.Locator("html").GetAttributeAsync("lang"));

            var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = false });
            Assert.True(png.Length > 10_000, $"{name}{suffix}: a {png.Length}-byte screenshot is too small to show a page.");
            Assert.Equal(width, PngWidth(png));

            if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
                await File.WriteAllBytesAsync(Path.Combine(directory, $"{name}{suffix}.png"), png);
            }
        }
    }

    /// <summary>The width in a PNG's header (bytes 16–19 of the IHDR chunk, big-endian).</summary>
    private static int PngWidth(byte[] png) => (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
}
