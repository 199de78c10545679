using CoordinationPortal.Web.Identity;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpNet;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// Two-factor authentication in Chromium: a demo-like user enrols (the key read from the page, the code computed as a
/// phone app would), signs in with password and code, then with a recovery code; with the requirement on (a second
/// portal process with <c>Security:RequireTwoFactorFor:0=Admin</c>) an admin without it is made to enrol first. The
/// pages pass axe at desktop width and at 390 px, in English and Hindi.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class TwoFactorBrowserTests(BrowserFixture fixture)
{
    private const string Password = "monsoon kettle ferry lantern";

    [Fact]
    public async Task a_member_enrols_then_signs_in_with_a_code_and_with_a_recovery_code()
    {
        var email = await CreateAccountAsync("Member");
        var page = await fixture.SignedInPageAsync(email, Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor authentication", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("twofa-qr").Locator("svg")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        var key = (await page.GetByTestId("authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        await page.GetByLabel("2. Code from the app").FillAsync(Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor authentication" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("twofa-message")).ToContainTextAsync("Two-factor authentication is on.");
        await Assertions.Expect(page.GetByTestId("recovery-code")).ToHaveCountAsync(10);
        var recovery = await page.GetByTestId("recovery-code").First.InnerTextAsync();

        // In Hindi, on a phone: the page (now with recovery codes and the "off" form) still passes axe.
        await page.GotoAsync("/account/two-factor?culture=hi-IN");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "दो-कारक प्रमाणीकरण", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("codes-left")).ToContainTextAsync("10");
        await page.SetViewportSizeAsync(390, 844);
        await AssertAccessibleAsync(page);
        await page.GotoAsync("/account/two-factor?culture=en-IN");
        await page.SetViewportSizeAsync(1400, 1000);

        await SignOutAsync(page);
        await SignInWithPasswordAsync(page, email);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor authentication", Level = 1 })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
        await page.GetByLabel("Authentication code").FillAsync(NextCode(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).First).ToBeAttachedAsync();

        await SignOutAsync(page);
        await SignInWithPasswordAsync(page, email);
        await page.GetByLabel("Authentication code").FillAsync(recovery);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync("/account/two-factor");
        await Assertions.Expect(page.GetByTestId("codes-left")).ToContainTextAsync("Recovery codes left: 9");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task with_the_requirement_on_an_admin_without_two_factor_must_enrol_before_anything_else()
    {
        var (second, baseUrl) = fixture.StartSecondPortal(new Dictionary<string, string> { ["Security:RequireTwoFactorFor:0"] = "Admin" });
        await using var _ = second;
        var admin = await CreateAccountAsync("Admin");

        var page = await fixture.SignedInPageAsync(admin, Password, baseUrl);
        await page.WaitForURLAsync(url => url.Contains("/account/two-factor", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("twofa-required")).ToContainTextAsync("Your role requires two-factor authentication.");
        await page.GotoAsync("/admin/users");
        Assert.EndsWith("/account/two-factor", page.Url, StringComparison.Ordinal);
        await page.SetViewportSizeAsync(390, 844);
        await AssertAccessibleAsync(page);

        var key = (await page.GetByTestId("authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        await page.GetByLabel("2. Code from the app").FillAsync(Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor authentication" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("recovery-code")).ToHaveCountAsync(10);
        await Assertions.Expect(page.GetByTestId("twofa-off-refused")).ToBeVisibleAsync();

        await page.GotoAsync("/admin/users");
        Assert.EndsWith("/admin/users", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    private async Task<string> CreateAccountAsync(string role)
    {
        var email = $"twofa-{role.ToLowerInvariant()}-{Guid.NewGuid():N}@portal.local";
        await using var scope = fixture.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = role };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return email;
    }

    private static string Code(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();

    /// <summary>The app's next code (still accepted now): the current one was spent on enrolment, and each code counts once.</summary>
    private static string NextCode(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(30));

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
    }

    private static async Task SignInWithPasswordAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/login/two-factor", StringComparison.Ordinal));
    }

    private static async Task AssertAccessibleAsync(IPage page)
    {
        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} e.g. {v.Nodes.FirstOrDefault()?.Html}")));
    }
}
