using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;

namespace CoordinationPortal.Web.Probes.Pages;

/// <summary>
/// Which agencies' endpoints a user may register or change, for showing links and filling the agency list. The
/// command handler checks again on every change; this only decides what to offer.
/// </summary>
public static class EndpointAccess
{
    public static bool MayChange(ClaimsPrincipal user, AgencySummary agency) => AgencyEditHandler.CanEdit(user, agency.Id, agency.Leads);

    public static async Task<IReadOnlyList<AgencySummary>> AgenciesAsync(ClaimsPrincipal user, AgencyQueries agencies, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.AgencyLead))
        {
            return [];
        }

        var all = await agencies.PortfolioAsync(new PortfolioFilter(), ct);
        return all.Where(a => MayChange(user, a)).ToList();
    }

    public static async Task<bool> MayRegisterAnyAsync(ClaimsPrincipal user, AgencyQueries agencies, CancellationToken ct) =>
        user.IsInRole(Roles.Admin) || (await AgenciesAsync(user, agencies, ct)).Count > 0;
}
