namespace CoordinationPortal.Domain.Security;

/// <summary>What the portal knows of an account when a provider sign-in meets it.</summary>
public enum AccountStanding
{
    /// <summary>No such account.</summary>
    None,

    /// <summary>An account that may sign in.</summary>
    Active,

    /// <summary>An admin disabled it: no way in, the provider's included.</summary>
    Disabled,

    /// <summary>Made by an earlier provider sign-in; an admin has not approved it yet.</summary>
    AwaitingApproval,
}

/// <summary>What a provider sign-in comes to.</summary>
public enum ExternalSignInOutcome
{
    /// <summary>The provider identity is already linked to an active account: sign in.</summary>
    SignIn,

    /// <summary>First sign-in of an invited, verified e-mail: link the provider identity to the invited account, then sign in.</summary>
    LinkInvitedAndSignIn,

    /// <summary>No invitation matches: make an account with no role, waiting for an admin's approval; no sign-in.</summary>
    CreatePendingAccount,

    /// <summary>The linked account still waits for approval: no sign-in.</summary>
    StillAwaitingApproval,

    /// <summary>The linked (or invited) account is disabled: no sign-in.</summary>
    Disabled,
}

/// <summary>
/// The provider proves who someone is, never what they may do. A provider identity already linked signs in to its
/// account (unless disabled or unapproved). A first sign-in links to an existing account only when an admin invited that
/// account's e-mail for single sign-on AND the provider says it verified the e-mail; anything else makes an account with
/// no rights that waits for an admin. Nothing here ever grants a role.
/// </summary>
public static class ExternalSignInRules
{
    /// <param name="linked">The account already linked to this provider identity (provider, subject).</param>
    /// <param name="invited">The account whose e-mail equals the provider's e-mail claim, if it is an open invitation.</param>
    /// <param name="emailVerified">Whether the provider's <c>email_verified</c> claim is true.</param>
    public static ExternalSignInOutcome Decide(AccountStanding linked, AccountStanding invited, bool emailVerified) =>
        (linked, invited) switch
        {
            (AccountStanding.Active, _) => ExternalSignInOutcome.SignIn,
            (AccountStanding.Disabled, _) => ExternalSignInOutcome.Disabled,
            (AccountStanding.AwaitingApproval, _) => ExternalSignInOutcome.StillAwaitingApproval,
            (AccountStanding.None, AccountStanding.Active) when emailVerified => ExternalSignInOutcome.LinkInvitedAndSignIn,
            (AccountStanding.None, AccountStanding.Disabled) when emailVerified => ExternalSignInOutcome.Disabled,
            _ => ExternalSignInOutcome.CreatePendingAccount,
        };

    /// <summary>
    /// Whether a provider's <c>amr</c> values (RFC 8176) show that more than one factor was used: the value <c>mfa</c>
    /// itself, or methods of at least two different kinds (something known, something held, something one is). One
    /// method alone never counts, however strong (e.g. <c>otp</c> or <c>hwk</c> on its own).
    /// </summary>
    public static bool ReportsMultiFactor(IEnumerable<string> amr)
    {
        var methods = amr.Select(m => m.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        if (methods.Contains("mfa"))
        {
            return true;
        }

        var kinds = 0;
        kinds += methods.Overlaps(Knowledge) ? 1 : 0;
        kinds += methods.Overlaps(Possession) ? 1 : 0;
        kinds += methods.Overlaps(Inherence) ? 1 : 0;
        return kinds >= 2;
    }

    /// <summary>
    /// Whether a provider sign-in still goes through the portal's own second step: when the account has the portal's
    /// two-factor authentication on and the provider did not report more than one factor. A provider sign-in never
    /// bypasses a second factor the person set up here; one that reported its own needs no second.
    /// </summary>
    public static bool AsksLocalSecondFactor(bool providerReportedMultiFactor, bool localTwoFactorEnabled) =>
        localTwoFactorEnabled && !providerReportedMultiFactor;

    private static readonly string[] Knowledge = ["pwd", "pin", "kba"];
    private static readonly string[] Possession = ["otp", "hwk", "swk", "sc", "sms", "tel"];
    private static readonly string[] Inherence = ["fpt", "face", "iris", "retina", "vbm"];
}
