using CoordinationPortal.Web.Kernel.Changes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// Identity's user manager, telling the session check when an account changes. Every change Identity makes to an
/// account (security stamp, lockout, password, roles) ends in <see cref="UpdateUserAsync"/>, so this one place covers
/// sign-out, role changes and disabling: the account's cached stamp is forgotten here at once, and the other portal
/// processes are told through the change feed.
/// </summary>
public sealed class PortalUserManager(
    IUserStore<PortalUser> store,
    IOptions<IdentityOptions> options,
    IPasswordHasher<PortalUser> hasher,
    IEnumerable<IUserValidator<PortalUser>> userValidators,
    IEnumerable<IPasswordValidator<PortalUser>> passwordValidators,
    ILookupNormalizer normalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<PortalUser>> logger,
    SessionStampCache stamps,
    ChangeFeed feed)
    : UserManager<PortalUser>(store, options, hasher, userValidators, passwordValidators, normalizer, errors, services, logger)
{
    protected override async Task<IdentityResult> UpdateUserAsync(PortalUser user)
    {
        var result = await base.UpdateUserAsync(user);
        stamps.Forget(user.Id);
        if (result.Succeeded && Guid.TryParse(user.Id, out var id))
        {
            try
            {
                await feed.PublishAsync(new PortalChange(ChangeKinds.Account, id), CancellationToken.None);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The change is saved; the other processes read the stamp again within the cache's duration.
                SignInLog.AccountChangeNotAnnounced(Logger, e, user.Id);
            }
        }

        return result;
    }
}
