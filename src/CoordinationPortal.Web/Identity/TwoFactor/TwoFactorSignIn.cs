using System.Security.Claims;
using CoordinationPortal.Domain.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Identity.TwoFactor;

/// <summary>
/// The second step of signing in. After the right password for an account with two-factor authentication on,
/// <see cref="PortalSignIn"/> issues only Identity's short-lived two-factor cookie (which names the account and signs
/// nobody in); this step takes an authenticator code or a recovery code and only then issues the session cookie, with
/// the claim <c>amr=mfa</c>. Wrong codes count against the same per-account, per-client backoff as wrong passwords
/// (<see cref="SignInThrottle"/>), and only a complete sign-in clears it, so a client that knows the password cannot
/// reset its count by entering the password again. Failed codes never lock the account (Identity's own
/// <c>TwoFactorAuthenticatorSignInAsync</c> would count them towards lockout, which here means "disabled"). An OpenID
/// Connect sign-in whose provider reported a single factor comes here too when the account has two-factor on.
/// </summary>
public sealed class TwoFactorSignIn(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    SignInThrottle throttle,
    ILogger<PortalSignIn> log)
{
    /// <summary>The page of this step (after a password, or a provider sign-in that reported one factor).</summary>
    public const string StepPath = "/account/login/two-factor";

    /// <summary>
    /// Ends any session in this browser and remembers, in the two-factor cookie, whose second factor is awaited, and the
    /// OpenID Connect provider the first step went through, if it did (the session keeps it for the provider's sign-out).
    /// </summary>
    public async Task BeginAsync(PortalUser user, string account, string client, string? externalProvider = null)
    {
        await signIn.SignOutAsync();
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Id));
        if (externalProvider is not null)
        {
            identity.AddClaim(new Claim(PortalClaims.ExternalProvider, externalProvider));
        }

        await signIn.Context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
        SignInLog.SecondFactorAsked(log, account, client);
    }

    /// <summary>The account whose second factor is awaited in this browser, if its two-factor cookie still stands.</summary>
    public async Task<PortalUser?> PendingAsync() => (await PendingStepAsync()).User;

    private async Task<(PortalUser? User, string? ExternalProvider)> PendingStepAsync()
    {
        var pending = await signIn.Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var userId = pending.Principal?.FindFirstValue(ClaimTypes.Name);
        return userId is null
            ? (null, null)
            : (await users.FindByIdAsync(userId), pending.Principal?.FindFirstValue(PortalClaims.ExternalProvider));
    }

    public async Task<SignInAttempt> CompleteAsync(string? typed, string client)
    {
        var (user, externalProvider) = await PendingStepAsync();
        if (user is null)
        {
            return new SignInAttempt(SignInStatus.Expired, TimeSpan.Zero);
        }

        var account = users.NormalizeName(user.UserName) ?? user.Id;
        var wait = throttle.RemainingWait(account, client);
        if (wait > TimeSpan.Zero)
        {
            SignInLog.Delayed(log, account, client, (int)Math.Ceiling(wait.TotalSeconds));
            return new SignInAttempt(SignInStatus.Wait, wait);
        }

        var input = TwoFactorRules.Read(typed);
        var refusal = input.Kind switch
        {
            SecondFactorKind.Authenticator when await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, input.Code) => null,
            SecondFactorKind.Authenticator => "wrong authenticator code",
            SecondFactorKind.Recovery when (await users.RedeemTwoFactorRecoveryCodeAsync(user, input.Code)).Succeeded => null,
            SecondFactorKind.Recovery => "wrong or used recovery code",
            _ => "no code",
        };
        // Checked after the code, like the password step: a disabled account, or one whose two-factor authentication was
        // turned off meanwhile, answers like any other failure.
        refusal ??= await users.IsLockedOutAsync(user) ? "account disabled"
            : !await users.GetTwoFactorEnabledAsync(user) ? "two-factor authentication turned off" : null;
        if (refusal is not null)
        {
            var failures = throttle.RecordFailure(account, client);
            SignInLog.SecondFactorFailed(log, account, client, refusal, failures);
            return SignInAttempt.Failed;
        }

        throttle.RecordSuccess(account, client);
        await signIn.Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, PortalClaims.Session(passedSecondFactor: true, externalProvider));
        SignInLog.SecondFactorSucceeded(log, account, client, input.Kind == SecondFactorKind.Recovery ? "recovery code" : "authenticator");
        return SignInAttempt.Succeeded;
    }
}
