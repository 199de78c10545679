using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Identity;

/// <summary>
/// A session ends for good: after signing out, a password or role change or disabling the account, a cookie issued
/// before (kept by an attacker, another tab or another device) no longer answers. Each test uses accounts of its own.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class SessionEndTests(PortalFixture portal)
{
    private const string Password = "monsoon kettle ledger vine";
    private static readonly Uri Base = new("http://localhost");

    [Fact]
    public async Task an_old_cookie_no_longer_works_after_sign_out()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password);
        var (browser, cookies) = await SignedInAsync(email);

        using var copied = WithCookies(cookies);
        Assert.Equal(HttpStatusCode.OK, (await copied.GetAsync("/api/v1/agencies")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copied.GetAsync("/")).StatusCode);

        var home = await browser.GetStringAsync("/");
        using var signOut = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(home) });
        using var signedOut = await browser.PostAsync("/account/logout", signOut);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        // The copy of the cookie taken before signing out is refused: 401 from the API, the sign-in form for pages.
        using var api = await copied.GetAsync("/api/v1/agencies");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var page = await copied.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        browser.Dispose();
    }

    [Theory]
    [InlineData("role")]
    [InlineData("disable")]
    [InlineData("password")]
    public async Task an_old_cookie_no_longer_works_after_the_account_changes(string change)
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "AgencyLead", Password);
        var (browser, cookies) = await SignedInAsync(email);
        browser.Dispose();
        using var copied = WithCookies(cookies);
        Assert.Equal(HttpStatusCode.OK, (await copied.GetAsync("/api/v1/agencies")).StatusCode);

        if (change == "password")
        {
            await using var scope = portal.Factory.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var changed = await users.ChangePasswordAsync((await users.FindByEmailAsync(email))!, Password, "a brand new passphrase here");
            Assert.True(changed.Succeeded);
        }
        else
        {
            using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
            var page = await PostAccessAsync(admin, email, "Viewer", change);
            Assert.Contains(change == "role" ? $"The role of {email} is changed" : $"{email} is disabled", page, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await copied.GetAsync("/api/v1/agencies")).StatusCode);
    }

    [Fact]
    public async Task a_session_ended_in_another_portal_process_is_refused_here_once_its_notice_arrives()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password);
        var (browser, cookies) = await SignedInAsync(email);
        browser.Dispose();
        using var copied = WithCookies(cookies);
        // Read twice: the second answer comes from this process's cached stamp, not from the database.
        Assert.Equal(HttpStatusCode.OK, (await copied.GetAsync("/api/v1/agencies")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copied.GetAsync("/api/v1/agencies")).StatusCode);

        // The account is signed out on another portal process (its user manager renews the stamp and says so).
        await using (var second = portal.SecondProcess())
        {
            await using var scope = second.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.IsType<PortalUserManager>(users);
            await users.UpdateSecurityStampAsync((await users.FindByEmailAsync(email))!);
        }

        // Here, the cached stamp is forgotten when the notice arrives: well before the cache's 30 s would run out.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            using var response = await copied.GetAsync("/api/v1/agencies");
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task after_a_role_change_the_user_signs_in_again_with_the_new_role_only()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Admin", Password, "former-admin");
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        await PostAccessAsync(admin, email, "Viewer", "role");

        using var again = await portal.SignedInClientAsync(email, Password);
        using var refused = await again.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_disabled_account_cannot_sign_in_and_is_told_no_more_than_a_wrong_password_until_enabled()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var list = await PostAccessAsync(admin, email, "Viewer", "disable");
        Assert.Matches($"<tr data-user=\"{email}\">.*<td>Disabled</td></tr>", list);

        using var client = portal.AnonymousClient();
        var refused = await Accounts.PostSignInAsync(client, email, Password);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("The email or password is not correct.", refused.Error);

        await PostAccessAsync(admin, email, "Viewer", "enable");
        Assert.Equal(HttpStatusCode.Redirect, (await Accounts.PostSignInAsync(client, email, Password)).Status);
    }

    [Theory]
    [InlineData("role")]
    [InlineData("disable")]
    public async Task an_admin_cannot_change_or_disable_their_own_account(string change)
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Admin", Password, "self-admin");
        using var admin = await portal.SignedInClientAsync(email, Password);
        var page = await PostAccessAsync(admin, email, "Viewer", change);
        Assert.Contains("You cannot change the role of your own account or disable it.", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
    }

    /// <summary>Signs in through the form; returns the client and its cookie jar.</summary>
    private async Task<(HttpClient Client, CookieContainer Cookies)> SignedInAsync(string email)
    {
        var cookies = new CookieContainer();
        var client = portal.Factory.CreateDefaultClient(Base, new CookieContainerHandler(cookies));
        await PortalForms.SignInAsync(client, email, Password);
        Assert.Contains(cookies.GetCookies(Base), c => c.Name == "portal.auth");
        return (client, cookies);
    }

    /// <summary>Another client that sends a copy of the cookies as they were, and keeps no cookies of its own.</summary>
    private HttpClient WithCookies(CookieContainer cookies)
    {
        var client = portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookies.GetCookieHeader(Base));
        return client;
    }

    private static async Task<string> PostAccessAsync(HttpClient admin, string email, string role, string command)
    {
        var form = await admin.GetStringAsync("/admin/users");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "user-access",
            ["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(form),
            ["Access.Email"] = email,
            ["Access.Role"] = role,
            ["Access.Command"] = command,
        });
        using var response = await admin.PostAsync("/admin/users", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
