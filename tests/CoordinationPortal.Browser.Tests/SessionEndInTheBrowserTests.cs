using System.Text.RegularExpressions;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// An interactive page left open stops acting once its session ends: signing out in another tab, or an admin disabling
/// the account, sends the open page to the sign-in form within the revalidation interval (two seconds in these tests),
/// and nothing more is done from it.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class SessionEndInTheBrowserTests(BrowserFixture fixture)
{
    private const string Password = "harbour signal copper fern";

    [Fact]
    public async Task an_admin_page_left_open_goes_to_sign_in_when_the_admin_signs_out_in_another_tab()
    {
        var email = await CreateAccountAsync(Roles.Admin);
        var (agency, indicator) = await AgencyAwaitingReviewAsync();

        var page = await fixture.SignedInPageAsync(email, Password);
        await OpenInteractiveAsync(page, agency, indicator);

        // Another tab of the same browser signs out.
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync("/");
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(other).ToHaveURLAsync(new Regex("/account/login"));

        // The page left open notices at its next revalidation and leaves for the sign-in form.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
        Assert.Equal(ReviewStatus.Submitted, await StatusAsync(agency, indicator));
    }

    [Fact]
    public async Task a_page_open_in_a_browser_whose_account_is_disabled_goes_to_sign_in()
    {
        var email = await CreateAccountAsync(Roles.Admin);
        var (agency, indicator) = await AgencyAwaitingReviewAsync();
        var page = await fixture.SignedInPageAsync(email, Password);
        await OpenInteractiveAsync(page, agency, indicator);

        // The cookie in this browser is untouched; the account is disabled elsewhere (another admin, another process).
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "asha@portal.local")], "test"));
            var change = await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetDisabledAsync(admin, email, disabled: true);
            Assert.True(change.Succeeded, change.MessageKey);
        }

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        Assert.Equal(ReviewStatus.Submitted, await StatusAsync(agency, indicator));
    }

    private static async Task OpenInteractiveAsync(IPage page, Guid agency, string indicator)
    {
        await page.GotoAsync($"/agencies/{agency}");
        await Assertions.Expect(page.Locator($"tr[data-indicator='{indicator}']").GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeVisibleAsync();
        // Wait for the circuit: the page is prerendered first, and acts (and revalidates) only once connected.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await Task.Delay(1000);
    }

    private async Task<string> CreateAccountAsync(string role)
    {
        var email = $"session-{Guid.NewGuid():N}@portal.local";
        await using var scope = fixture.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Session test" };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return email;
    }

    /// <summary>An agency of its own with one indicator assessed and submitted for review, so an admin sees Approve.</summary>
    private async Task<(Guid Agency, string Indicator)> AgencyAwaitingReviewAsync()
    {
        var agency = Guid.NewGuid();
        var indicator = fixture.IndicatorIds("skills.")[0];
        await using var scope = fixture.Services.CreateAsyncScope();
        var commands = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await commands.HandleAsSystemAsync(
            new RegisterAgency(agency, $"Session test agency {agency:N}"[..30], AgencyKind.Regulator, "health", "national", "", DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.IsType<CommandOutcome.Accepted>(await commands.HandleAsSystemAsync(
            new AssessIndicator(agency, indicator, 2, "Skills survey of the regulator's staff.", null, null, null, "", DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.IsType<CommandOutcome.Accepted>(await commands.HandleAsSystemAsync(new SubmitForReview(agency, "", DateTimeOffset.UtcNow), CancellationToken.None));
        return (agency, indicator);
    }

    private async Task<ReviewStatus?> StatusAsync(Guid agency, string indicator)
    {
        await using var session = fixture.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var state = await session.LoadAsync<Agency>(agency);
        return state?.Indicators.TryGetValue(indicator, out var a) == true ? a.Status : null;
    }
}
