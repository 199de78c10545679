using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CoordinationPortal.Web.Identity;

/// <summary>A provider sign-in waiting for an admin: its account, and the provider(s) it came from.</summary>
public sealed record PendingAccount(string Id, string Email, string DisplayName, string Providers);

/// <summary>
/// The admin's side of single sign-on: inviting an e-mail (a new account with its role and no password, or an existing
/// account), and approving (with a role) or rejecting the accounts that provider sign-ins made without an invitation.
/// </summary>
public sealed class SingleSignOnAdministration(UserManager<PortalUser> users, PortalIdentityDbContext db, ILogger<SingleSignOnAdministration> log)
{
    public async Task<AccountChange> InviteAsync(ClaimsPrincipal actor, string email, string displayName, string role)
    {
        email = email.Trim();
        if (email.Length == 0 || !Roles.All.Contains(role))
        {
            return new AccountChange(false, "Admin.UserInvalid");
        }

        if (await users.FindByEmailAsync(email) is { } existing)
        {
            if (existing.AwaitingApproval)
            {
                return new AccountChange(false, "Oidc.Admin.InvitePending", email);
            }

            existing.InvitedForSingleSignOn = true;
            await users.UpdateAsync(existing);
            SignInLog.AccountChanged(log, actor.Identity?.Name ?? "", email, "invited for single sign-on");
            return new AccountChange(true, "Oidc.Admin.InvitedExisting", email);
        }

        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName.Trim(), InvitedForSingleSignOn = true };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return new AccountChange(false, "Oidc.Admin.InviteFailed", string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(user, role);
        SignInLog.AccountChanged(log, actor.Identity?.Name ?? "", email, "invited for single sign-on as " + role);
        return new AccountChange(true, "Oidc.Admin.Invited", email);
    }

    public async Task<IReadOnlyList<PendingAccount>> PendingAsync(CancellationToken ct)
    {
        var pending = await db.Users.AsNoTracking().Where(u => u.AwaitingApproval).OrderBy(u => u.Email).ToListAsync(ct);
        var ids = pending.Select(u => u.Id).ToList();
        var logins = await db.UserLogins.AsNoTracking().Where(l => ids.Contains(l.UserId)).ToListAsync(ct);
        return [.. pending.Select(u => new PendingAccount(u.Id, u.Email ?? "", u.DisplayName,
            string.Join(", ", logins.Where(l => l.UserId == u.Id).Select(l => l.ProviderDisplayName ?? l.LoginProvider))))];
    }

    public async Task<AccountChange> ApproveAsync(ClaimsPrincipal actor, string userId, string role)
    {
        if (!Roles.All.Contains(role))
        {
            return new AccountChange(false, "Admin.UserInvalid");
        }

        if (await users.FindByIdAsync(userId) is not { AwaitingApproval: true } user)
        {
            return new AccountChange(false, "Security.Users.NotFound");
        }

        user.AwaitingApproval = false;
        await users.UpdateAsync(user);
        await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        SignInLog.AccountChanged(log, actor.Identity?.Name ?? "", user.Email ?? "", "approved as " + role);
        return new AccountChange(true, "Oidc.Admin.Approved", user.DisplayName);
    }

    public async Task<AccountChange> RejectAsync(ClaimsPrincipal actor, string userId)
    {
        if (await users.FindByIdAsync(userId) is not { AwaitingApproval: true } user)
        {
            return new AccountChange(false, "Security.Users.NotFound");
        }

        await users.DeleteAsync(user);
        SignInLog.AccountChanged(log, actor.Identity?.Name ?? "", user.Email ?? "", "rejected (waiting for approval)");
        return new AccountChange(true, "Oidc.Admin.Rejected", user.DisplayName);
    }
}
