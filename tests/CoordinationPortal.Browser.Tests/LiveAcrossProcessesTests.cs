using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Seeding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// Pages update by push through the change feed: a page open on one portal process shows a change saved on another
/// process (same database) without a reload.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class LiveAcrossProcessesTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");

    [Fact]
    public async Task an_assessment_saved_on_one_process_appears_on_the_agency_page_open_on_another()
    {
        var (second, secondUrl) = fixture.StartSecondPortal();
        await using var _ = second;

        // An agency of its own, with one indicator at level 2, made through the first process.
        var agency = Guid.NewGuid();
        var indicator = fixture.IndicatorIds("skills.")[0];
        await using var scope = fixture.Services.CreateAsyncScope();
        var commands = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await commands.HandleAsSystemAsync(
            new RegisterAgency(agency, "Live page test agency", AgencyKind.Regulator, "health", "national", "", DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.IsType<CommandOutcome.Accepted>(await commands.HandleAsSystemAsync(
            new AssessIndicator(agency, indicator, 2, "Skills survey of the regulator's staff.", null, null, null, "", DateTimeOffset.UtcNow), CancellationToken.None));

        // A viewer opens the agency page on the second process and waits for it to become interactive.
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password, secondUrl);
        await page.GotoAsync($"/agencies/{agency}");
        var level = page.Locator($"tr[data-indicator='{indicator}'] td.level-cell strong");
        await Assertions.Expect(level).ToHaveTextAsync("2");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined && document.querySelector('[data-indicator]') !== null");
        await Task.Delay(1000); // the circuit attaches after the first paint; the feed subscription starts then

        // The first process records a new level: the page on the second shows it with no reload.
        var navigations = 0;
        page.FrameNavigated += (_, _) => navigations++;
        Assert.IsType<CommandOutcome.Accepted>(await commands.HandleAsSystemAsync(
            new AssessIndicator(agency, indicator, 4, "Skills programme completed by 80% of staff.", "https://evidence.example.gov.in/skills", null, null, "", DateTimeOffset.UtcNow),
            CancellationToken.None));

        await Assertions.Expect(level).ToHaveTextAsync("4");
        Assert.Equal(0, navigations);
    }
}
