using System.Security.Claims;
using CoordinationPortal.Domain.Security;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Identity;

/// <summary>
/// OpenID Connect providers from configuration, and what a provider sign-in does to the portal's accounts (the invitation,
/// the approval), on the real Identity store. The browser suite drives the same through a real provider end to end.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class SingleSignOnTests(PortalFixture portal)
{
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin@portal.local")], "test"));

    [Fact]
    public void providers_bind_from_environment_variables_named_as_the_readme_says()
    {
        var prefix = $"CP_{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            ["Oidc__Providers__0__Name"] = "Meri-Pehchaan",
            ["Oidc__Providers__0__DisplayName"] = "Meri Pehchaan",
            ["Oidc__Providers__0__Authority"] = "https://id.example.gov.in/realms/portal",
            ["Oidc__Providers__0__ClientId"] = "portal",
            ["Oidc__Providers__0__ClientSecret"] = "s3cret",
            ["Oidc__Providers__0__Scopes"] = "openid email, profile",
            ["Oidc__Providers__1__Name"] = "corp",
            ["Oidc__Providers__1__Authority"] = "http://127.0.0.1:5555",
            ["Oidc__Providers__1__ClientId"] = "portal-corp",
            ["Oidc__Providers__1__RequireHttpsMetadata"] = "false",
        };
        try
        {
            foreach (var (key, value) in variables)
            {
                Environment.SetEnvironmentVariable(prefix + key, value);
            }

            var settings = OidcSettings.Read(new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build());
            Assert.Equal(2, settings.Providers.Count);
            var first = settings.Find("meri-pehchaan")!;
            Assert.Equal("Meri Pehchaan", first.DisplayName);
            Assert.Equal("https://id.example.gov.in/realms/portal", first.Authority);
            Assert.Equal("s3cret", first.ClientSecret);
            Assert.Equal(["openid", "email", "profile"], first.ScopeList);
            Assert.True(first.RequireHttpsMetadata);
            Assert.Equal("oidc-meri-pehchaan", first.Scheme);
            Assert.Equal("/signin-oidc-meri-pehchaan", first.CallbackPath);
            var second = settings.Find("corp")!;
            Assert.Equal("corp", second.DisplayName); // the name when no display name is set
            Assert.False(second.RequireHttpsMetadata);
        }
        finally
        {
            foreach (var key in variables.Keys)
            {
                Environment.SetEnvironmentVariable(prefix + key, null);
            }
        }
    }

    [Theory]
    [InlineData("bad name", "https://id.example", "portal", "true", "Name")]
    [InlineData("corp", "not a url", "portal", "true", "Authority")]
    [InlineData("corp", "http://id.example", "portal", "true", "https")]
    [InlineData("corp", "https://id.example", "", "true", "ClientId")]
    public void a_misconfigured_provider_stops_the_portal_with_a_message_naming_the_setting(string name, string authority, string clientId, string https, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oidc:Providers:0:Name"] = name,
            ["Oidc:Providers:0:Authority"] = authority,
            ["Oidc:Providers:0:ClientId"] = clientId,
            ["Oidc:Providers:0:RequireHttpsMetadata"] = https,
        }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => OidcSettings.Read(configuration));
        Assert.Contains("Oidc:Providers:0", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void two_providers_may_not_share_a_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oidc:Providers:0:Name"] = "corp",
            ["Oidc:Providers:0:Authority"] = "https://a.example",
            ["Oidc:Providers:0:ClientId"] = "a",
            ["Oidc:Providers:1:Name"] = "Corp",
            ["Oidc:Providers:1:Authority"] = "https://b.example",
            ["Oidc:Providers:1:ClientId"] = "b",
        }).Build();
        Assert.Contains("used twice", Assert.Throws<InvalidOperationException>(() => OidcSettings.Read(configuration)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task without_providers_the_sign_in_page_has_no_provider_buttons_and_no_provider_routes()
    {
        using var client = portal.AnonymousClient();
        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        Assert.DoesNotContain("/account/external/", page, StringComparison.Ordinal);
        Assert.DoesNotContain("sign-in-providers", page, StringComparison.Ordinal);
        // An unknown provider's link leads back to the sign-in form, not to an error.
        using var unknown = await client.GetAsync(new Uri("/account/external/nobody", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, unknown.StatusCode);
        Assert.Equal("/account/login", unknown.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("issuer", "its issuer does not match")]
    [InlineData("nonsense<script>", "could not be completed")]
    public async Task the_failure_page_words_each_reason_and_nothing_else(string reason, string expected)
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync(new Uri("/account/external/failed?reason=" + Uri.EscapeDataString(reason), UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(expected, page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page[page.IndexOf("external-failure", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_invited_email_the_provider_did_not_verify_is_not_linked_and_waits_for_approval()
    {
        var email = $"unverified-{Guid.NewGuid():N}@agency.example";
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        Assert.True((await services.GetRequiredService<SingleSignOnAdministration>().InviteAsync(Admin, email, "Unverified", Roles.Admin)).Succeeded);

        var subject = "sub-" + Guid.NewGuid().ToString("N");
        var outcome = (await services.GetRequiredService<ExternalSignIn>().SignInAsync(
            new ExternalIdentity("corp", subject, email, EmailVerified: false, "Someone", MultiFactor: true)))?.Outcome;

        Assert.Equal(ExternalSignInOutcome.CreatePendingAccount, outcome);
        var invited = (await users.FindByEmailAsync(email))!;
        Assert.True(invited.InvitedForSingleSignOn);
        Assert.Empty(await users.GetLoginsAsync(invited));
        var pending = (await users.FindByLoginAsync("corp", subject))!;
        Assert.NotEqual(invited.Id, pending.Id);
        Assert.True(pending.AwaitingApproval);
        Assert.EndsWith("@sso.invalid", pending.Email, StringComparison.Ordinal); // the claimed e-mail belongs to the invitation
        Assert.Contains(email, pending.DisplayName, StringComparison.Ordinal);
        Assert.Empty(await users.GetRolesAsync(pending));
        Assert.Null(pending.PasswordHash);
    }

    [Fact]
    public async Task an_approved_account_gets_the_chosen_role_and_then_signs_in_and_a_rejected_one_is_removed()
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { RequestServices = services };
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var external = services.GetRequiredService<ExternalSignIn>();
        var admin = services.GetRequiredService<SingleSignOnAdministration>();

        var approvedIdentity = new ExternalIdentity("corp", "sub-" + Guid.NewGuid().ToString("N"), $"a-{Guid.NewGuid():N}@agency.example", true, "Approved", false);
        var rejectedIdentity = new ExternalIdentity("corp", "sub-" + Guid.NewGuid().ToString("N"), $"r-{Guid.NewGuid():N}@agency.example", true, "Rejected", false);
        Assert.Equal(ExternalSignInOutcome.CreatePendingAccount, (await external.SignInAsync(approvedIdentity))?.Outcome);
        Assert.Equal(ExternalSignInOutcome.CreatePendingAccount, (await external.SignInAsync(rejectedIdentity))?.Outcome);
        // Signing in again changes nothing until an admin decides.
        Assert.Equal(ExternalSignInOutcome.StillAwaitingApproval, (await external.SignInAsync(approvedIdentity))?.Outcome);

        var pending = await admin.PendingAsync(CancellationToken.None);
        var approved = Assert.Single(pending, p => p.Email == approvedIdentity.Email);
        var rejected = Assert.Single(pending, p => p.Email == rejectedIdentity.Email);
        Assert.Equal("corp", approved.Providers);

        Assert.False((await admin.ApproveAsync(Admin, approved.Id, "Emperor")).Succeeded);
        Assert.True((await admin.ApproveAsync(Admin, approved.Id, Roles.Member)).Succeeded);
        Assert.True((await admin.RejectAsync(Admin, rejected.Id)).Succeeded);
        Assert.False((await admin.RejectAsync(Admin, approved.Id)).Succeeded); // approved accounts are not "pending" any more

        var user = (await users.FindByIdAsync(approved.Id))!;
        Assert.False(user.AwaitingApproval);
        Assert.Equal([Roles.Member], await users.GetRolesAsync(user));
        Assert.Null(await users.FindByIdAsync(rejected.Id));
        Assert.Equal(new ExternalSignInResult(ExternalSignInOutcome.SignIn), await external.SignInAsync(approvedIdentity));

        // With the portal's own two-factor authentication on, a provider that reports one factor leads to the second step
        // (nobody is signed in yet); one that reports several signs in at once.
        Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        Assert.Equal(new ExternalSignInResult(ExternalSignInOutcome.SignIn, SecondFactorAsked: true), await external.SignInAsync(approvedIdentity));
        Assert.Equal(new ExternalSignInResult(ExternalSignInOutcome.SignIn), await external.SignInAsync(approvedIdentity with { MultiFactor = true }));
        // The rejected identity may ask again: it waits again, with no rights.
        Assert.Equal(ExternalSignInOutcome.CreatePendingAccount, (await external.SignInAsync(rejectedIdentity))?.Outcome);
    }
}
