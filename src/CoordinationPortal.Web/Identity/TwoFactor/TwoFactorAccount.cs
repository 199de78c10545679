using System.Security.Claims;
using System.Text;
using CoordinationPortal.Domain.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using QRCoder;

namespace CoordinationPortal.Web.Identity.TwoFactor;

/// <summary>What the enrolment page shows of the signed-in account.</summary>
public sealed record TwoFactorState(
    bool Enabled,
    bool Required,
    bool HasPassword,
    bool SessionPassedSecondFactor,
    int RecoveryCodesLeft,
    string Key,
    string AuthenticatorUri,
    string QrSvg);

public enum TwoFactorChangeStatus
{
    Done,
    WrongCode,
    Wait,
    Refused,
    NotSignedIn,
}

/// <summary>The result of a change on the enrolment page; <see cref="RecoveryCodes"/> are shown this once.</summary>
public sealed record TwoFactorChange(TwoFactorChangeStatus Status, IReadOnlyList<string> RecoveryCodes, TimeSpan RetryAfter)
{
    public static TwoFactorChange Of(TwoFactorChangeStatus status) => new(status, [], TimeSpan.Zero);
}

/// <summary>
/// Enrolment in two-factor authentication for the signed-in account, through ASP.NET Core Identity's authenticator
/// support: the shared key (and its QR code, drawn on the server as SVG), confirmation with a code, ten recovery codes
/// shown once, new recovery codes, and turning it off (with a code or the password; refused while a role of the
/// account requires it). Every change that Identity makes with a new security stamp (a new key, turning it on or off)
/// ends the account's other sessions; this browser's session is issued again at once, carrying <c>amr=mfa</c> when a
/// code has just been proved here or was proved at sign-in. Wrong codes and passwords count against the sign-in backoff.
/// </summary>
public sealed class TwoFactorAccount(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    SignInThrottle throttle,
    IOptionsMonitor<TwoFactorSettings> settings,
    ILogger<PortalSignIn> log)
{
    public async Task<TwoFactorState?> LoadAsync(ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return null;
        }

        var enabled = await users.GetTwoFactorEnabledAsync(user);
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (!enabled && string.IsNullOrEmpty(key))
        {
            // A key of its own for this account (Identity renews the stamp with it): the session is issued again.
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
            await ReissueAsync(user, principal, proved: false);
        }

        var uri = enabled ? "" : TwoFactorRules.AuthenticatorUri(TwoFactorSettings.Issuer, user.Email ?? user.UserName ?? "", key ?? "");
        return new TwoFactorState(
            enabled,
            await IsRequiredAsync(user),
            await users.HasPasswordAsync(user),
            HasPassed(principal),
            enabled ? await users.CountRecoveryCodesAsync(user) : 0,
            enabled ? "" : TwoFactorRules.FormatKey(key ?? ""),
            uri,
            enabled ? "" : QrSvg(uri));
    }

    /// <summary>Turns two-factor authentication on once the app's code proves the key was taken; returns the recovery codes.</summary>
    public async Task<TwoFactorChange> ConfirmAsync(ClaimsPrincipal principal, string? typed, string client)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return TwoFactorChange.Of(TwoFactorChangeStatus.NotSignedIn);
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return TwoFactorChange.Of(TwoFactorChangeStatus.Refused);
        }

        var (account, wait) = Throttled(user, client);
        if (wait > TimeSpan.Zero)
        {
            return new TwoFactorChange(TwoFactorChangeStatus.Wait, [], wait);
        }

        var input = TwoFactorRules.Read(typed);
        if (input.Kind != SecondFactorKind.Authenticator
            || !await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, input.Code))
        {
            var failures = throttle.RecordFailure(account, client);
            SignInLog.SecondFactorFailed(log, account, client, "wrong code when turning two-factor authentication on", failures);
            return TwoFactorChange.Of(TwoFactorChangeStatus.WrongCode);
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactorRules.RecoveryCodeCount) ?? [];
        await ReissueAsync(user, principal, proved: true);
        SignInLog.TwoFactorChanged(log, account, "turned on");
        return new TwoFactorChange(TwoFactorChangeStatus.Done, [.. codes], TimeSpan.Zero);
    }

    /// <summary>Ten new recovery codes; the old ones stop working.</summary>
    public async Task<TwoFactorChange> RegenerateAsync(ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return TwoFactorChange.Of(TwoFactorChangeStatus.NotSignedIn);
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return TwoFactorChange.Of(TwoFactorChangeStatus.Refused);
        }

        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactorRules.RecoveryCodeCount) ?? [];
        var account = users.NormalizeName(user.UserName) ?? user.Id;
        SignInLog.TwoFactorChanged(log, account, "new recovery codes");
        return new TwoFactorChange(TwoFactorChangeStatus.Done, [.. codes], TimeSpan.Zero);
    }

    /// <summary>Turns two-factor authentication off with a current code or the password, unless a role requires it.</summary>
    public async Task<TwoFactorChange> DisableAsync(ClaimsPrincipal principal, string? typed, string client)
    {
        if (await users.GetUserAsync(principal) is not { } user)
        {
            return TwoFactorChange.Of(TwoFactorChangeStatus.NotSignedIn);
        }

        if (!await users.GetTwoFactorEnabledAsync(user) || await IsRequiredAsync(user))
        {
            return TwoFactorChange.Of(TwoFactorChangeStatus.Refused);
        }

        var (account, wait) = Throttled(user, client);
        if (wait > TimeSpan.Zero)
        {
            return new TwoFactorChange(TwoFactorChangeStatus.Wait, [], wait);
        }

        var input = TwoFactorRules.Read(typed);
        var proved = input.Kind == SecondFactorKind.Authenticator
            ? await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, input.Code)
            : !string.IsNullOrEmpty(typed) && await users.HasPasswordAsync(user) && await users.CheckPasswordAsync(user, typed);
        if (!proved)
        {
            var failures = throttle.RecordFailure(account, client);
            SignInLog.SecondFactorFailed(log, account, client, "wrong code or password when turning two-factor authentication off", failures);
            return TwoFactorChange.Of(TwoFactorChangeStatus.WrongCode);
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        // A new key, so the app's old entry is of no use and a new enrolment starts afresh.
        await users.ResetAuthenticatorKeyAsync(user);
        await ReissueAsync(user, principal, proved: false);
        SignInLog.TwoFactorChanged(log, account, "turned off");
        return TwoFactorChange.Of(TwoFactorChangeStatus.Done);
    }

    private async Task<bool> IsRequiredAsync(PortalUser user) =>
        TwoFactorRules.IsRequired(await users.GetRolesAsync(user), [.. settings.CurrentValue.RequiredRoles]);

    private (string Account, TimeSpan Wait) Throttled(PortalUser user, string client)
    {
        var account = users.NormalizeName(user.UserName) ?? user.Id;
        return (account, throttle.RemainingWait(account, client));
    }

    private static bool HasPassed(ClaimsPrincipal principal) =>
        TwoFactorRules.HasPassedSecondFactor(principal.FindAll(TwoFactorRules.AmrClaim).Select(c => c.Value));

    /// <summary>
    /// The account's stamp changed, which ends every session of it, this one included: this browser gets a new session
    /// cookie at once, keeping <c>amr=mfa</c> if it was there (or adding it when a code was just proved) and the OpenID
    /// Connect provider it signed in with (for the provider's sign-out).
    /// </summary>
    private async Task ReissueAsync(PortalUser user, ClaimsPrincipal principal, bool proved)
    {
        var claims = PortalClaims.Session(proved || HasPassed(principal), principal.FindFirstValue(PortalClaims.ExternalProvider));
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, claims);
    }

    /// <summary>The QR code of the <c>otpauth://</c> address as an inline SVG element (no script, no outside request).</summary>
    public static string QrSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", true, SvgQRCode.SizingMode.ViewBoxAttribute);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        var element = start < 0 ? svg : svg[start..];
        // A fixed size on the page; the viewBox scales the modules to it.
        return new StringBuilder(element).Replace("<svg ", "<svg width=\"220\" height=\"220\" focusable=\"false\" aria-hidden=\"true\" ", 0, Math.Min(element.Length, 8)).ToString();
    }
}
