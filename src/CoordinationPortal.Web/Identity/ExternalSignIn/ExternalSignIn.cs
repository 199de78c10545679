using System.Security.Claims;
using CoordinationPortal.Domain.Security;
using CoordinationPortal.Web.Identity.TwoFactor;
using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Identity;

/// <summary>Who the provider says someone is, read from its validated id_token and userinfo.</summary>
public sealed record ExternalIdentity(string Provider, string Subject, string? Email, bool EmailVerified, string? Name, bool MultiFactor)
{
    /// <param name="multiFactor">Whether the provider's id_token reported more than one factor (see <see cref="OidcSchemes.MultiFactorItem"/>).</param>
    public static ExternalIdentity? From(string provider, ClaimsPrincipal principal, bool multiFactor)
    {
        var subject = principal.FindFirstValue("sub");
        if (string.IsNullOrEmpty(subject))
        {
            return null;
        }

        var email = principal.FindFirstValue("email") is { Length: > 0 and <= 254 } e ? e.Trim() : null;
        var verified = bool.TryParse(principal.FindFirstValue("email_verified"), out var v) && v;
        return new ExternalIdentity(provider, subject, email, verified, principal.FindFirstValue("name"), multiFactor);
    }
}

/// <summary>What a provider sign-in came to, and whether it now waits for the portal's own second step.</summary>
public sealed record ExternalSignInResult(ExternalSignInOutcome Outcome, bool SecondFactorAsked = false);

/// <summary>
/// What a provider sign-in comes to (<see cref="ExternalSignInRules"/>): the linked account signs in, an invited and
/// verified e-mail is linked first, anything else waits for an admin. The portal cookie is made exactly as a password
/// sign-in makes it (Identity's claims factory, with the security stamp the session check reads), plus the provider's
/// name (for its sign-out) and <c>amr</c>=<c>mfa</c> when the provider reports more than one factor. An account with the
/// portal's own two-factor authentication on, whose provider reported a single factor, is not signed in yet: it goes
/// to the same second step as a password sign-in (<see cref="TwoFactorSignIn"/>), which keeps the provider's name.
/// </summary>
public sealed class ExternalSignIn(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    TwoFactorSignIn twoFactor,
    OidcSettings settings,
    ILogger<ExternalSignIn> log)
{
    /// <returns>The outcome; null when the identity could not be linked (another sign-in linked it at the same moment).</returns>
    public async Task<ExternalSignInResult?> SignInAsync(ExternalIdentity identity)
    {
        var linked = await users.FindByLoginAsync(identity.Provider, identity.Subject);
        PortalUser? invited = null;
        if (linked is null && identity.Email is not null
            && await users.FindByEmailAsync(identity.Email) is { InvitedForSingleSignOn: true, AwaitingApproval: false } byEmail)
        {
            invited = byEmail;
        }

        var outcome = ExternalSignInRules.Decide(await StandingAsync(linked), await StandingAsync(invited), identity.EmailVerified);
        switch (outcome)
        {
            case ExternalSignInOutcome.SignIn:
                return new ExternalSignInResult(outcome, await SignInAsync(linked!, identity, outcome));
            case ExternalSignInOutcome.LinkInvitedAndSignIn:
                if (!await LinkAsync(invited!, identity))
                {
                    return null;
                }

                invited!.InvitedForSingleSignOn = false;
                await users.UpdateAsync(invited);
                return new ExternalSignInResult(outcome, await SignInAsync(invited, identity, outcome));
            case ExternalSignInOutcome.CreatePendingAccount:
                await CreatePendingAsync(identity);
                ExternalSignInLog.Refused(log, identity.Provider, identity.Subject, outcome);
                break;
            default:
                ExternalSignInLog.Refused(log, identity.Provider, identity.Subject, outcome);
                break;
        }

        return new ExternalSignInResult(outcome);
    }

    private async Task<AccountStanding> StandingAsync(PortalUser? user) =>
        user switch
        {
            null => AccountStanding.None,
            { AwaitingApproval: true } => AccountStanding.AwaitingApproval,
            _ when await users.IsLockedOutAsync(user) => AccountStanding.Disabled,
            _ => AccountStanding.Active,
        };

    private async Task<bool> LinkAsync(PortalUser user, ExternalIdentity identity)
    {
        var display = settings.Find(identity.Provider)?.DisplayName ?? identity.Provider;
        return (await users.AddLoginAsync(user, new UserLoginInfo(identity.Provider, identity.Subject, display))).Succeeded;
    }

    /// <returns>True when the session waits for the portal's own second factor (nobody is signed in yet).</returns>
    private async Task<bool> SignInAsync(PortalUser user, ExternalIdentity identity, ExternalSignInOutcome outcome)
    {
        if (ExternalSignInRules.AsksLocalSecondFactor(identity.MultiFactor, await users.GetTwoFactorEnabledAsync(user)))
        {
            var client = SignInClientPolicy.ClientOf(signIn.Context);
            await twoFactor.BeginAsync(user, users.NormalizeName(user.UserName) ?? user.Id, client, identity.Provider);
            return true;
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, PortalClaims.Session(identity.MultiFactor, identity.Provider));
        ExternalSignInLog.SignedIn(log, user.UserName ?? "", identity.Provider, outcome, identity.MultiFactor);
        return false;
    }

    /// <summary>
    /// An account with no role and no password, linked to the provider identity, that an admin approves or rejects. Its
    /// e-mail is the provider's when verified and free; otherwise a placeholder, and the claimed address is shown in the
    /// display name for the admin to judge.
    /// </summary>
    private async Task CreatePendingAsync(ExternalIdentity identity)
    {
        var email = identity is { EmailVerified: true, Email: { } verified } && await users.FindByEmailAsync(verified) is null
            ? verified
            : $"pending-{Guid.NewGuid():N}@sso.invalid";
        var shown = identity.Name ?? identity.Email ?? identity.Subject;
        if (identity.Email is { } claimed && !string.Equals(claimed, email, StringComparison.OrdinalIgnoreCase))
        {
            shown = $"{shown} ({claimed}{(identity.EmailVerified ? "" : ", not verified")})";
        }

        var user = new PortalUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = false,
            DisplayName = shown.Length > 200 ? shown[..200] : shown,
            AwaitingApproval = true,
        };
        if ((await users.CreateAsync(user)).Succeeded && !await LinkAsync(user, identity))
        {
            // Another sign-in of the same identity linked it first: keep that one.
            await users.DeleteAsync(user);
        }
    }
}
