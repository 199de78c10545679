using System.Security.Claims;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using Marten;

namespace CoordinationPortal.Web.Probes;

/// <summary>
/// Who may read what a probed server said in a failure (<see cref="Domain.Probes.ProbeReason.ServerExcerpt"/>): admins,
/// and the leads of the endpoint's agency — those who may manage the endpoint. Everyone else reads the reason without it.
/// </summary>
public sealed class ReasonAudience(IQuerySession session)
{
    /// <summary>For <paramref name="user"/>, whether they may read the excerpts of an agency's endpoints, for the agencies given.</summary>
    public async Task<Func<Guid, bool>> ForAsync(ClaimsPrincipal user, IEnumerable<Guid> agencyIds, CancellationToken ct)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return _ => true;
        }

        if (!user.IsInRole(Roles.AgencyLead))
        {
            return _ => false;
        }

        var ids = agencyIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return _ => false;
        }

        var agencies = await session.LoadManyAsync<AgencySummary>(ct, ids);
        var managed = agencies.Where(a => AgencyEditHandler.CanEdit(user, a.Id, a.Leads)).Select(a => a.Id).ToHashSet();
        return managed.Contains;
    }
}
