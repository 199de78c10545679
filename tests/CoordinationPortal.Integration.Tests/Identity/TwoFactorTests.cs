using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain.Security;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Identity.TwoFactor;
using CoordinationPortal.Web.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace CoordinationPortal.Integration.Tests.Identity;

/// <summary>
/// Two-factor authentication on a portal of its own that requires it for admins (<c>Security:RequireTwoFactorFor:0</c>),
/// with the same low sign-in limits as <see cref="SignInThrottlingTests"/>: four failures from a client cost a
/// six-second wait. Each test uses client addresses of its own.
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class TwoFactorTests(PortalFixture portal)
{
    private const string Password = "orchard lantern pebble river";

    private SignInHost NewHost() =>
        new(portal, new Dictionary<string, string>
        {
            ["Security:RequireTwoFactorFor:0"] = "Admin",
            ["Security:SignIn:PerClientPermitLimit"] = "30",
            ["Security:SignIn:FreeFailures"] = "3",
            ["Security:SignIn:FirstDelay"] = "00:00:06",
            ["Security:SignIn:MaxDelay"] = "00:00:06",
        });

    [Fact]
    public async Task an_admin_without_two_factor_reaches_only_enrolment_until_enrolled_and_then_everything()
    {
        await using var host = NewHost();
        var admin = await Accounts.CreateAsync(host.Services, "Admin", Password, "admin");
        using var client = host.ClientFrom("127.0.20.1");
        using var otherDevice = host.ClientFrom("127.0.20.2");
        Assert.Equal(HttpStatusCode.Redirect, (await Accounts.PostSignInAsync(client, admin, Password)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await Accounts.PostSignInAsync(otherDevice, admin, Password)).Status);

        // Pages send the admin to enrolment; the API says why, in a ProblemDetails.
        foreach (var page in new[] { "/", "/admin/users", "/account/tokens", "/api/docs" })
        {
            using var held = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, held.StatusCode);
            Assert.Equal("/account/two-factor", held.Headers.Location?.OriginalString);
        }

        foreach (var route in new[] { "/api/v1/agencies", "/openapi/v1.json" })
        {
            using var api = await client.GetAsync(new Uri(route, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
            using var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync());
            Assert.Equal("Two-factor authentication required", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("/account/two-factor", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The admin's personal API token is refused too until the admin has enrolled.
        var token = await CreateTokenAsync(host.Services, admin);
        using var script = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await script.GetAsync(new Uri("/api/v1/agencies", UriKind.Relative))).StatusCode);

        // Enrolment: the key from the page, a code computed from it as an app would, ten recovery codes shown once.
        var enrolment = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/account/two-factor", UriKind.Relative)));
        Assert.Contains("Your role requires two-factor authentication.", enrolment, StringComparison.Ordinal);
        Assert.Contains("<svg", enrolment, StringComparison.Ordinal);
        var key = KeyOnPage().Match(enrolment).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        Assert.NotEmpty(key);
        var wrong = await PostFormAsync(client, "/account/two-factor", "twofa-confirm", new() { ["code"] = WrongCode(key) });
        Assert.Contains("is not correct", wrong.Body, StringComparison.Ordinal);
        var confirmed = await PostFormAsync(client, "/account/two-factor", "twofa-confirm", new() { ["code"] = Code(key) });
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Equal(TwoFactorRules.RecoveryCodeCount, RecoveryCodes().Count(confirmed.Body));

        // This browser's session now carries the second factor; everything opens, the token works.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/admin/users", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/agencies", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync(new Uri("/api/v1/agencies", UriKind.Relative))).StatusCode);

        // The account's stamp changed: the session signed in with the password alone on the other device has ended.
        using var ended = await otherDevice.GetAsync(new Uri("/account/two-factor", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Contains("/account/login", ended.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task wrong_codes_at_the_second_step_are_slowed_down_like_wrong_passwords_and_issue_no_session()
    {
        await using var host = NewHost();
        var email = await Accounts.CreateAsync(host.Services, "Viewer", Password);
        var (key, _) = await EnrolAsync(host.Services, email);
        using var attacker = host.ClientFrom("127.0.21.1");

        var first = await Accounts.PostSignInAsync(attacker, email, Password);
        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.Contains("/account/login/two-factor", first.Location, StringComparison.Ordinal);
        // The right password alone signs nobody in.
        using (var home = await attacker.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            Assert.Contains("/account/login", home.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        for (var i = 0; i < 4; i++)
        {
            var guess = await PostSecondStepAsync(attacker, WrongCode(key));
            Assert.Equal(HttpStatusCode.OK, guess.Status);
            Assert.Contains("That code is not correct", guess.Body, StringComparison.Ordinal);
        }

        // Within the wait: refused unchecked, even the right code; the password step waits too (same backoff).
        var refused = await PostSecondStepAsync(attacker, Code(key));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("Too many failed sign-ins from here.", refused.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Accounts.PostSignInAsync(attacker, email, Password)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await attacker.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        // The owner on another client signs in with password and code.
        using var owner = host.ClientFrom("127.0.21.2");
        Assert.Equal(HttpStatusCode.Redirect, (await Accounts.PostSignInAsync(owner, email, Password)).Status);
        var passed = await PostSecondStepAsync(owner, Code(key));
        Assert.Equal(HttpStatusCode.Redirect, passed.Status);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task an_authenticator_code_signs_in_once_only_and_the_apps_next_code_works()
    {
        await using var host = NewHost();
        var email = await Accounts.CreateAsync(host.Services, "Viewer", Password);
        var (key, _) = await EnrolAsync(host.Services, email);
        var code = Code(key);

        using var first = host.ClientFrom("127.0.24.1");
        Assert.Equal(HttpStatusCode.Redirect, (await Accounts.PostSignInAsync(first, email, Password)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await PostSecondStepAsync(first, code)).Status);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        // The same code again, from elsewhere (seen over a shoulder): refused, though its time has not run out.
        using var second = host.ClientFrom("127.0.24.2");
        Assert.Equal(HttpStatusCode.Redirect, (await Accounts.PostSignInAsync(second, email, Password)).Status);
        var replayed = await PostSecondStepAsync(second, code);
        Assert.Equal(HttpStatusCode.OK, replayed.Status);
        Assert.Contains("That code is not correct", replayed.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        // The app's next code is accepted.
        var next = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        Assert.NotEqual(code, next);
        Assert.Equal(HttpStatusCode.Redirect, (await PostSecondStepAsync(second, next)).Status);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task a_recovery_code_signs_in_once_only()
    {
        await using var host = NewHost();
        var email = await Accounts.CreateAsync(host.Services, "Member", Password);
        var (_, codes) = await EnrolAsync(host.Services, email);

        using var first = host.ClientFrom("127.0.22.1");
        await Accounts.PostSignInAsync(first, email, Password);
        // Typed the way people do: lower case, with a space.
        var used = await PostSecondStepAsync(first, " " + codes[0].ToLowerInvariant() + " ");
        Assert.Equal(HttpStatusCode.Redirect, used.Status);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.Contains("Recovery codes left: 9", WebUtility.HtmlDecode(await first.GetStringAsync(new Uri("/account/two-factor", UriKind.Relative))), StringComparison.Ordinal);

        using var second = host.ClientFrom("127.0.22.2");
        await Accounts.PostSignInAsync(second, email, Password);
        var again = await PostSecondStepAsync(second, codes[0]);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("the recovery code was already used", again.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostSecondStepAsync(second, codes[1])).Status);
    }

    [Fact]
    public async Task two_factor_cannot_be_turned_off_while_the_role_requires_it_and_otherwise_needs_a_code_or_the_password()
    {
        await using var host = NewHost();
        var admin = await Accounts.CreateAsync(host.Services, "Admin", Password, "admin");
        var (adminKey, _) = await EnrolAsync(host.Services, admin);
        using var adminClient = host.ClientFrom("127.0.23.1");
        await Accounts.PostSignInAsync(adminClient, admin, Password);
        Assert.Equal(HttpStatusCode.Redirect, (await PostSecondStepAsync(adminClient, Code(adminKey))).Status);
        var page = WebUtility.HtmlDecode(await adminClient.GetStringAsync(new Uri("/account/two-factor", UriKind.Relative)));
        Assert.Contains("Your role requires two-factor authentication, so it cannot be turned off.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("twofa-disable", page, StringComparison.Ordinal);
        // A hand-made post of the form the page leaves out is refused, and the rule holds below the page as well.
        var forced = await PostFormAsync(adminClient, "/account/two-factor", "twofa-disable", new() { ["proof"] = Password }, formFrom: "/account/tokens");
        Assert.Equal(HttpStatusCode.BadRequest, forced.Status);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>().CreateAsync((await users.FindByEmailAsync(admin))!);
            var change = await scope.ServiceProvider.GetRequiredService<TwoFactorAccount>().DisableAsync(principal, Password, "127.0.23.9");
            Assert.Equal(TwoFactorChangeStatus.Refused, change.Status);
        }

        Assert.True(await TwoFactorOnAsync(host.Services, admin));

        var member = await Accounts.CreateAsync(host.Services, "Member", Password);
        var (memberKey, _) = await EnrolAsync(host.Services, member);
        using var memberClient = host.ClientFrom("127.0.23.2");
        await Accounts.PostSignInAsync(memberClient, member, Password);
        Assert.Equal(HttpStatusCode.Redirect, (await PostSecondStepAsync(memberClient, Code(memberKey))).Status);
        var wrong = await PostFormAsync(memberClient, "/account/two-factor", "twofa-disable", new() { ["proof"] = "not my password at all" });
        Assert.Contains("is not correct", wrong.Body, StringComparison.Ordinal);
        Assert.True(await TwoFactorOnAsync(host.Services, member));
        var off = await PostFormAsync(memberClient, "/account/two-factor", "twofa-disable", new() { ["proof"] = Password });
        Assert.Contains("Two-factor authentication is off.", off.Body, StringComparison.Ordinal);
        Assert.False(await TwoFactorOnAsync(host.Services, member));
        // The session was issued again after the stamp changed: still signed in.
        Assert.Equal(HttpStatusCode.OK, (await memberClient.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    private static async Task<(string Key, IReadOnlyList<string> Codes)> EnrolAsync(IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? [];
        return ((await users.GetAuthenticatorKeyAsync(user))!, [.. codes]);
    }

    private static async Task<bool> TwoFactorOnAsync(IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.GetTwoFactorEnabledAsync((await users.FindByEmailAsync(email))!);
    }

    private static async Task<string> CreateTokenAsync(IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>()
            .CreateAsync((await users.FindByEmailAsync(email))!);
        var created = await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(
            principal, new TokenRequest("2fa test", [TokenScopes.Read], DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), []), null, CancellationToken.None);
        return created.Created?.Secret ?? throw new InvalidOperationException(string.Join(", ", created.Errors.Select(e => e.Code)));
    }

    /// <summary>The code an authenticator app shows now for <paramref name="key"/> (base32).</summary>
    public static string Code(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();

    /// <summary>A six-digit code that is not the current one.</summary>
    private static string WrongCode(string key) =>
        ((int.Parse(Code(key), CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    private sealed record FormAnswer(HttpStatusCode Status, string Body, string? Location);

    private static Task<FormAnswer> PostSecondStepAsync(HttpClient client, string code) =>
        PostFormAsync(client, "/account/login/two-factor", "two-factor", new() { ["Input.Code"] = code });

    /// <summary>GETs <paramref name="formFrom"/> (default: the path) for the antiforgery token, then POSTs the named form.</summary>
    private static async Task<FormAnswer> PostFormAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields, string? formFrom = null)
    {
        var form = await client.GetStringAsync(new Uri(formFrom ?? path, UriKind.Relative));
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(form);
        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        return new FormAnswer(response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), response.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("data-testid=\"authenticator-key\"[^>]*>([^<]+)<")]
    private static partial Regex KeyOnPage();

    [GeneratedRegex("data-testid=\"recovery-code\">[A-Z0-9]{5}-[A-Z0-9]{5}<")]
    private static partial Regex RecoveryCodes();
}
