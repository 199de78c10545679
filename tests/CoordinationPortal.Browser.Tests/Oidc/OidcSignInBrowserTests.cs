using System.Security.Claims;
using System.Text.RegularExpressions;
using CoordinationPortal.Web.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using OtpNet;

namespace CoordinationPortal.Browser.Tests.Oidc;

/// <summary>
/// Sign-in with an organisation's OpenID provider, end to end: Chromium, the portal on Kestrel, and a real
/// <c>oidc-provider</c> on loopback (<see cref="OidcPortal"/>). The provider proves who someone is; the portal decides
/// what they may do.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class OidcSignInBrowserTests(BrowserFixture browser, OidcPortal oidc) : IClassFixture<OidcPortal>
{
    [Fact]
    public async Task an_email_an_admin_invited_is_linked_at_its_first_verified_sign_in_and_gets_the_portal_role()
    {
        var baseUrl = await oidc.StartAsync(browser);
        var (subject, email) = NewPerson("invited");
        await oidc.Provider.AddAccountAsync(subject, email, emailVerified: true, "Ira Invited", "pwd", "otp");

        // The admin invites the e-mail on the users page, choosing its role there.
        var admin = await browser.SignedInPageAsync("admin@portal.local", "Admin-demo-2026", baseUrl);
        await admin.GotoAsync("/admin/users");
        var section = admin.GetByTestId("single-sign-on");
        await section.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await section.GetByLabel("Display name").FillAsync("Ira Invited");
        await section.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync(Roles.AgencyLead);
        await section.GetByRole(AriaRole.Button, new() { Name = "Invite for single sign-on" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("admin-message")).ToContainTextAsync(email);
        await admin.Context.CloseAsync();

        var page = await NewPageAsync(baseUrl);
        await SignInWithProviderAsync(page, "Test provider", subject);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        Assert.DoesNotContain("/account/", page.Url, StringComparison.Ordinal);

        await using var scope = oidc.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var linked = await users.FindByLoginAsync("test", subject);
        Assert.NotNull(linked);
        Assert.Equal(email, linked.Email);
        Assert.False(linked.InvitedForSingleSignOn); // an invitation links once
        Assert.Equal([Roles.AgencyLead], await users.GetRolesAsync(linked));

        // The cookie is a password sign-in's (Identity's claims factory: id, role, security stamp) plus the provider and,
        // as the provider reported a password and a one-time code, amr=mfa for the second-factor requirement.
        var claims = await CookieClaimsAsync(page);
        Assert.Contains(claims, c => c.Type == "amr" && c.Value == "mfa");
        Assert.Contains(claims, c => c.Type == PortalClaims.ExternalProvider && c.Value == "test");
        Assert.Contains(claims, c => c.Type == "AspNet.Identity.SecurityStamp");
        Assert.Contains(claims, c => c.Type == ClaimTypes.Role && c.Value == Roles.AgencyLead);
    }

    [Fact]
    public async Task a_sign_in_nobody_invited_waits_for_an_admin_and_has_no_access_until_approved()
    {
        var baseUrl = await oidc.StartAsync(browser);
        var (subject, email) = NewPerson("uninvited");
        await oidc.Provider.AddAccountAsync(subject, email, emailVerified: true, "Uma Uninvited", "pwd");

        var page = await NewPageAsync(baseUrl);
        await SignInWithProviderAsync(page, "Test provider", subject);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/pending$"));
        await Assertions.Expect(page.GetByTestId("awaiting-approval")).ToContainTextAsync("waiting for an administrator's approval");
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));

        string pendingId;
        await using (var scope = oidc.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var pending = await users.FindByLoginAsync("test", subject);
            Assert.NotNull(pending);
            Assert.True(pending.AwaitingApproval);
            Assert.Empty(await users.GetRolesAsync(pending));
            pendingId = pending.Id;
        }

        // The admin sees the request on the users page and approves it with a role.
        var admin = await browser.SignedInPageAsync("admin@portal.local", "Admin-demo-2026", baseUrl);
        await admin.GotoAsync("/admin/users");
        var section = admin.GetByTestId("single-sign-on");
        await section.GetByLabel("Person").SelectOptionAsync(pendingId);
        await section.Locator("#pending-role").SelectOptionAsync(Roles.Member);
        await section.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("admin-message")).ToContainTextAsync("is approved");
        await admin.Context.CloseAsync();

        var again = await NewPageAsync(baseUrl);
        await SignInWithProviderAsync(again, "Test provider", subject);
        await Assertions.Expect(again.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        var claims = await CookieClaimsAsync(again);
        Assert.Contains(claims, c => c.Type == ClaimTypes.Role && c.Value == Roles.Member);
        Assert.DoesNotContain(claims, c => c.Type == "amr"); // one factor reported: no mfa
    }

    [Fact]
    public async Task a_provider_whose_discovery_document_names_another_issuer_is_refused_on_a_worded_page_in_hindi()
    {
        var baseUrl = await oidc.StartAsync(browser);
        var page = await NewPageAsync(baseUrl, "hi-IN");
        await page.GotoAsync("/account/login");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Link, new() { Name = "Mislabelled provider से साइन इन करें" }).ClickAsync(),
            r => r.Url.Contains("/account/external/failed", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("external-failure")).ToHaveAttributeAsync("data-reason", "issuer");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("आपके संगठन से साइन इन नहीं हो सका");
        await Assertions.Expect(page.GetByTestId("external-failure")).ToContainTextAsync("जारीकर्ता");
        Assert.Equal(200, response.Status);
        await AssertNotSignedInAsync(page);
    }

    [Fact]
    public async Task a_callback_whose_state_was_tampered_with_is_refused()
    {
        var baseUrl = await oidc.StartAsync(browser);
        var (subject, email) = NewPerson("tamper-state");
        await oidc.Provider.AddAccountAsync(subject, email, emailVerified: true, "Tara Tampered");
        await InviteAsync(email, Roles.Viewer); // it would sign in, but for the change
        var page = await NewPageAsync(baseUrl);

        // The provider's answer is changed on its way back: the request that ends the provider's sign-in is made
        // here, its redirects followed up to the portal's callback, and the browser sent there with another state.
        Exception? routeFailure = null;
        await page.RouteAsync(url => url.StartsWith(oidc.Provider.Issuer + "/interaction/", StringComparison.Ordinal) && url.EndsWith("/login", StringComparison.Ordinal), async route =>
        {
            try
            {
                var response = await route.FetchAsync(new() { MaxRedirects = 0 });
                var location = new Uri(new Uri(route.Request.Url), response.Headers["location"]).ToString();
                for (var hop = 0; hop < 10 && !location.StartsWith(baseUrl, StringComparison.Ordinal); hop++)
                {
                    var next = await page.Context.APIRequest.GetAsync(location, new() { MaxRedirects = 0 });
                    location = new Uri(new Uri(location), next.Headers["location"]).ToString();
                }

                await route.FulfillAsync(new() { Status = 302, Headers = [new("location", Tamper(location, "state"))] });
            }
            catch (Exception e) when (e is PlaywrightException or KeyNotFoundException or UriFormatException or Xunit.Sdk.XunitException)
            {
                routeFailure = e;
                await route.AbortAsync();
            }
        });

        await SignInWithProviderAsync(page, "Test provider", subject);
        Assert.Null(routeFailure);
        await Assertions.Expect(page.GetByTestId("external-failure")).ToHaveAttributeAsync("data-reason", "state");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign-in with your organisation did not work");
        await AssertNotSignedInAsync(page);
        await AssertNotLinkedAsync(subject);
    }

    [Fact]
    public async Task a_callback_that_does_not_match_the_browsers_nonce_is_refused()
    {
        var baseUrl = await oidc.StartAsync(browser);
        var (subject, email) = NewPerson("tamper-nonce");
        await oidc.Provider.AddAccountAsync(subject, email, emailVerified: true, "Nina Nonce");
        await InviteAsync(email, Roles.Viewer);
        var page = await NewPageAsync(baseUrl);

        // While the browser is at the provider, the nonce the portal bound to it is taken away: the id_token's nonce then
        // matches nothing this browser holds (as with an answer meant for another browser).
        await page.GotoAsync("/account/login");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Test provider" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Account")).ToBeVisibleAsync();
        await page.Context.ClearCookiesAsync(new() { NameRegex = new Regex("^\\.AspNetCore\\.OpenIdConnect\\.Nonce\\.") });
        await page.GetByLabel("Account").FillAsync(subject);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("external-failure")).ToHaveAttributeAsync("data-reason", "state");
        await AssertNotSignedInAsync(page);
        await AssertNotLinkedAsync(subject);
    }

    [Fact]
    public async Task an_expired_id_token_is_refused()
    {
        var baseUrl = await oidc.StartAsync(browser);
        var (subject, email) = NewPerson("late");
        await oidc.LateProvider.AddAccountAsync(subject, email, emailVerified: true, "Lalit Late");
        var page = await NewPageAsync(baseUrl);

        await SignInWithProviderAsync(page, "Late provider", subject);
        await Assertions.Expect(page.GetByTestId("external-failure")).ToHaveAttributeAsync("data-reason", "expired");
        await Assertions.Expect(page.GetByTestId("external-failure")).ToContainTextAsync("already expired");
        await AssertNotSignedInAsync(page);
    }

    [Fact]
    public async Task signing_out_ends_the_portal_session_and_offers_the_providers_sign_out_which_works()
    {
        var baseUrl = await oidc.StartAsync(browser);
        var (subject, email) = NewPerson("signout");
        await oidc.Provider.AddAccountAsync(subject, email, emailVerified: true, "Sita Signout");
        await InviteAsync(email, Roles.Viewer);
        var page = await NewPageAsync(baseUrl);
        await SignInWithProviderAsync(page, "Test provider", subject);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/signed-out\\?provider=test$"));
        await Assertions.Expect(page.GetByTestId("signed-out")).ToBeVisibleAsync();
        Assert.Empty(await CookieClaimsAsync(page));

        // The provider's own sign-out, offered on the signed-out page: the provider asks, then sends the browser back.
        await page.GetByRole(AriaRole.Link, new() { Name = "Also sign out of Test provider" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, sign me out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
        await AssertNotSignedInAsync(page);

        // The provider's session ended too: signing in again asks for the account at the provider.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Test provider" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Account")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task a_provider_that_reports_one_factor_leads_to_the_portals_own_second_step_when_the_person_enrolled_here()
    {
        var baseUrl = await oidc.StartAsync(browser);
        var (subject, email) = NewPerson("second-step");
        await oidc.Provider.AddAccountAsync(subject, email, emailVerified: true, "Sana Second", "pwd");
        await InviteAsync(email, Roles.Member);
        var first = await NewPageAsync(baseUrl);
        await SignInWithProviderAsync(first, "Test provider", subject);
        await Assertions.Expect(first.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await first.Context.CloseAsync();

        // The person turns on the portal's two-factor authentication (here directly, as the enrolment page would).
        string key;
        await using (var scope = oidc.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            Assert.True((await users.ResetAuthenticatorKeyAsync(user)).Succeeded);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
            Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        }

        // The provider vouches with a password only: the portal asks for its own code before any session exists.
        var page = await NewPageAsync(baseUrl);
        await SignInWithProviderAsync(page, "Test provider", subject);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login/two-factor$"));
        Assert.Empty(await CookieClaimsAsync(page));
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login/two-factor$"));
        await page.GetByLabel("Authentication code").FillAsync(new Totp(Base32Encoding.ToBytes(key)).ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        // The session has the second factor and still knows its provider (for the provider's sign-out).
        var claims = await CookieClaimsAsync(page);
        Assert.Contains(claims, c => c.Type == "amr" && c.Value == "mfa");
        Assert.Contains(claims, c => c.Type == PortalClaims.ExternalProvider && c.Value == "test");
        Assert.Contains(claims, c => c.Type == ClaimTypes.Role && c.Value == Roles.Member);
    }

    [Fact]
    public async Task a_disabled_account_cannot_sign_in_through_the_provider()
    {
        var baseUrl = await oidc.StartAsync(browser);
        var (subject, email) = NewPerson("disabled");
        await oidc.Provider.AddAccountAsync(subject, email, emailVerified: true, "Dev Disabled");
        await InviteAsync(email, Roles.Member);
        var first = await NewPageAsync(baseUrl);
        await SignInWithProviderAsync(first, "Test provider", subject);
        await Assertions.Expect(first.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        await using (var scope = oidc.Services.CreateAsyncScope())
        {
            var change = await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetDisabledAsync(AdminPrincipal(), email, disabled: true);
            Assert.True(change.Succeeded, change.MessageKey);
        }

        // The open session ends, and the provider (which still vouches for the person) does not let them back in.
        await first.GotoAsync("/");
        await Assertions.Expect(first).ToHaveURLAsync(new Regex("/account/login"));
        var page = await NewPageAsync(baseUrl);
        await SignInWithProviderAsync(page, "Test provider", subject);
        await Assertions.Expect(page.GetByTestId("external-failure")).ToHaveAttributeAsync("data-reason", "disabled");
        await AssertNotSignedInAsync(page);
    }

    private static (string Subject, string Email) NewPerson(string label)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        return ($"{label}-{id}", $"{label}-{id}@agency.example");
    }

    private async Task<IPage> NewPageAsync(string baseUrl, string locale = "en-IN")
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>From the portal's sign-in page through the provider's, until the browser is back at the portal to stay.</summary>
    private async Task SignInWithProviderAsync(IPage page, string provider, string subject)
    {
        await page.GotoAsync("/account/login");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Sign in with {provider}" }).ClickAsync();
        try
        {
            await page.GetByLabel("Account").FillAsync(subject, new() { Timeout = 15_000 });
        }
        catch (TimeoutException e)
        {
            // Say where the browser ended up instead of the provider's sign-in form.
            var text = await page.Locator("body").InnerTextAsync();
            throw new TimeoutException($"No provider sign-in form; the browser is at {page.Url}: {text[..Math.Min(text.Length, 600)]}", e);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        // Four redirects across two servers on a machine shared with the rest of the suite: more than the default 30 s.
        await page.WaitForURLAsync(url => url.StartsWith(oidc.BaseUrl, StringComparison.Ordinal)
            && !url.Contains("/signin-oidc-", StringComparison.Ordinal) && !url.Contains(ExternalSignInEndpoints.CallbackPath, StringComparison.Ordinal),
            new() { Timeout = 60_000 });
    }

    private static async Task AssertNotSignedInAsync(IPage page)
    {
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
    }

    private async Task AssertNotLinkedAsync(string subject)
    {
        await using var scope = oidc.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByLoginAsync("test", subject));
    }

    private async Task InviteAsync(string email, string role)
    {
        await using var scope = oidc.Services.CreateAsyncScope();
        var change = await scope.ServiceProvider.GetRequiredService<SingleSignOnAdministration>().InviteAsync(AdminPrincipal(), email, "Invited", role);
        Assert.True(change.Succeeded, change.MessageKey);
    }

    private static ClaimsPrincipal AdminPrincipal() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin@portal.local")], "test"));

    /// <summary>The claims in the browser's sign-in cookie, read with the portal's own ticket format (none when there is no cookie).</summary>
    private async Task<IReadOnlyList<Claim>> CookieClaimsAsync(IPage page)
    {
        // The provider's cookies share the host (cookies ignore ports), some under one name on several paths.
        var cookies = (await page.Context.CookiesAsync()).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().Value);
        if (!cookies.TryGetValue("portal.auth", out var value))
        {
            return [];
        }

        if (value.StartsWith("chunks-", StringComparison.Ordinal))
        {
            var count = int.Parse(value["chunks-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            value = string.Concat(Enumerable.Range(1, count).Select(i => cookies["portal.authC" + i]));
        }

        var options = oidc.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        return options.TicketDataFormat.Unprotect(value)?.Principal.Claims.ToList() ?? [];
    }

    private static string Tamper(string location, string parameter)
    {
        var uri = new Uri(location);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query)
            .ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        Assert.True(query.ContainsKey(parameter), $"{parameter} is not in {location}");
        query[parameter] = "tampered" + query[parameter];
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(uri.GetLeftPart(UriPartial.Path), query);
    }
}
