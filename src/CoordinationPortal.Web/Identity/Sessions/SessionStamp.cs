using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// Whether a signed-in principal's session still stands: its user exists, is not disabled, and still has the security
/// stamp the cookie was issued with. Signing out, a password or role change and disabling the account all change the
/// stamp, so every cookie and open page issued before stops working. One primary-key read of three columns, kept in
/// <see cref="SessionStampCache"/> until the account changes.
/// </summary>
public sealed class SessionStamp(PortalIdentityDbContext db, IOptions<IdentityOptions> identity, SessionStampCache cache, TimeProvider time)
{
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var claims = identity.Value.ClaimsIdentity;
        var userId = principal.FindFirstValue(claims.UserIdClaimType);
        var stamp = principal.FindFirstValue(claims.SecurityStampClaimType);
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(stamp))
        {
            return false;
        }

        if (!cache.TryGet(userId, out var entry))
        {
            var generation = cache.Generation;
            var row = await db.Users.AsNoTracking()
                .Where(u => u.Id == userId)
                .Select(u => new { u.SecurityStamp, u.LockoutEnabled, u.LockoutEnd })
                .FirstOrDefaultAsync(ct);
            if (row is null)
            {
                return false;
            }

            entry = new SessionStampCache.Entry(row.SecurityStamp, row.LockoutEnabled, row.LockoutEnd, time.GetUtcNow());
            cache.Store(userId, entry, generation);
        }

        return string.Equals(entry.SecurityStamp, stamp, StringComparison.Ordinal)
            && !(entry.LockoutEnabled && entry.LockoutEnd > time.GetUtcNow());
    }
}
