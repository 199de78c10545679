using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Identity;

/// <summary>What an admin's change to an account came to: a message key and its argument, and whether it failed.</summary>
public sealed record AccountChange(bool Succeeded, string MessageKey, params object[] Arguments);

/// <summary>
/// An admin changes another account's role, or disables or re-enables it. Each change renews the account's security
/// stamp, so the cookies and open pages it had stop working (at the next request, or the next revalidation of an open
/// page) and it signs in again with what it may do now. An admin cannot change or disable their own account, so the
/// portal is not left without one by mistake.
/// </summary>
public sealed class UserAdministration(UserManager<PortalUser> users, ILogger<UserAdministration> log)
{
    public async Task<AccountChange> ChangeRoleAsync(ClaimsPrincipal actor, string email, string role)
    {
        if (!Roles.All.Contains(role))
        {
            return new AccountChange(false, "Admin.UserInvalid");
        }

        if (await FindOtherAsync(actor, email) is not { } found)
        {
            return NotAllowed(actor, email);
        }

        var current = await users.GetRolesAsync(found);
        var removed = await users.RemoveFromRolesAsync(found, current);
        var added = removed.Succeeded ? await users.AddToRoleAsync(found, role) : removed;
        if (!added.Succeeded)
        {
            return new AccountChange(false, "Security.Identity.DefaultError");
        }

        await users.UpdateSecurityStampAsync(found);
        SignInLog.AccountChanged(log, actor.Identity?.Name ?? "", found.Email ?? "", "role " + role);
        return new AccountChange(true, "Security.Users.RoleChanged", found.Email ?? "");
    }

    public async Task<AccountChange> SetDisabledAsync(ClaimsPrincipal actor, string email, bool disabled)
    {
        if (await FindOtherAsync(actor, email) is not { } found)
        {
            return NotAllowed(actor, email);
        }

        await users.SetLockoutEnabledAsync(found, true);
        await users.SetLockoutEndDateAsync(found, disabled ? DateTimeOffset.MaxValue : null);
        await users.UpdateSecurityStampAsync(found);
        SignInLog.AccountChanged(log, actor.Identity?.Name ?? "", found.Email ?? "", disabled ? "disabled" : "enabled");
        return new AccountChange(true, disabled ? "Security.Users.DisabledMessage" : "Security.Users.EnabledMessage", found.Email ?? "");
    }

    public static bool IsDisabled(PortalUser user) => user.LockoutEnabled && user.LockoutEnd > DateTimeOffset.UtcNow;

    private async Task<PortalUser?> FindOtherAsync(ClaimsPrincipal actor, string email)
    {
        var found = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim());
        return found is null || found.Id == users.GetUserId(actor) ? null : found;
    }

    private AccountChange NotAllowed(ClaimsPrincipal actor, string email) =>
        string.Equals(users.NormalizeEmail(email?.Trim()), users.NormalizeEmail(actor.Identity?.Name), StringComparison.Ordinal)
            ? new AccountChange(false, "Security.Users.NotSelf")
            : new AccountChange(false, "Security.Users.NotFound");
}
