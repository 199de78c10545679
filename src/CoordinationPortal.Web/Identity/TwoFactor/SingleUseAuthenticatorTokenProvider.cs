using System.Security.Cryptography;
using System.Text;
using CoordinationPortal.Domain.Security;
using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Identity.TwoFactor;

/// <summary>
/// Identity's authenticator codes, each accepted once: a code that passed is remembered (as a digest, with the time, in
/// the account's Identity tokens) and the same code is refused while it could still be valid
/// (<see cref="TwoFactorRules.IsSpent"/>). Registered under Identity's authenticator provider name, so the sign-in step,
/// enrolment and turning it off all use it.
/// </summary>
public sealed class SingleUseAuthenticatorTokenProvider(TimeProvider time) : AuthenticatorTokenProvider<PortalUser>
{
    public const string LoginProvider = "[Portal]";
    public const string TokenName = "SpentAuthenticatorCode";

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<PortalUser> manager, PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        if (!await base.ValidateAsync(purpose, token, manager, user))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user.Id + ":" + token.Trim())));
        if (TwoFactorRules.IsSpent(await manager.GetAuthenticationTokenAsync(user, LoginProvider, TokenName), digest, now))
        {
            return false;
        }

        // Saved before the code counts: of two requests racing with one code, the account's concurrency stamp lets one through.
        return (await manager.SetAuthenticationTokenAsync(user, LoginProvider, TokenName, TwoFactorRules.SpentCodeMarker(digest, now))).Succeeded;
    }
}
