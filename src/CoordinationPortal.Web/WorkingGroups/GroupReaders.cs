using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using Marten;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>
/// Turns a signed-in user into the domain's <see cref="Reader"/>: their (normalised) name, whether they are an admin,
/// and the agencies they lead now (read from the portfolio on every request, so a lead who loses an agency loses its
/// action items at once).
/// </summary>
public sealed class GroupReaders(IQuerySession query)
{
    public async Task<Reader> ForAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.Identity?.Name is not { Length: > 0 } name)
        {
            return Reader.Anonymous;
        }

        var normalized = Agency.Normalize(name);
        var leads = user.IsInRole(Roles.AgencyLead)
            ? (await query.Query<AgencySummary>().Where(a => a.Leads.Contains(normalized)).Select(a => a.Id).ToListAsync(ct)).ToHashSet()
            : [];
        return new Reader(normalized, user.IsInRole(Roles.Admin), leads);
    }
}
