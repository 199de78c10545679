using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.OutOfStep;
using Marten;

namespace CoordinationPortal.Web.Overview;

/// <summary>One agency a lead leads, and what waits for them in it.</summary>
public sealed record LeadAgency(
    Agency Agency,
    IReadOnlyList<IndicatorAssessment> Draft,
    IReadOnlyList<IndicatorAssessment> Returned,
    IReadOnlyList<IndicatorAssessment> Stale,
    IReadOnlyList<Flag> OpenFlags,
    IReadOnlyList<ActionItem> OverdueItems);

/// <summary>
/// "My agencies": every agency the user leads now, with its draft indicators (assessed, not submitted), those the
/// reviewer returned, those not reassessed since the current quarter began, its open flags and the overdue action items
/// it owns. Four queries whatever the number of agencies.
/// </summary>
public sealed class MyAgenciesQueries(IQuerySession session, PortalClock clock)
{
    public async Task<IReadOnlyList<LeadAgency>> ForLeadAsync(string user, CancellationToken ct)
    {
        var lead = Agency.Normalize(user);
        var ids = (await session.Query<AgencySummary>().ToListAsync(ct))
            .Where(a => a.Leads.Contains(lead))
            .Select(a => a.Id)
            .ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var agencies = await session.LoadManyAsync<Agency>(ct, ids);
        var flags = (await session.Query<Flag>().Where(f => f.AgencyId.IsOneOf(ids) && f.Status != FlagStatus.Resolved).ToListAsync(ct))
            .ToLookup(f => f.AgencyId);
        var today = clock.Today;
        var overdue = (await session.Query<ActionItem>()
                .Where(i => i.AgencyId.IsOneOf(ids) && (i.Status == ActionStatus.Open || i.Status == ActionStatus.InProgress))
                .ToListAsync(ct))
            .Where(i => i.IsOverdue(today))
            .ToLookup(i => i.AgencyId);

        var cycleStart = AssessmentCycle.Containing(today).Start;
        var since = new DateTimeOffset(cycleStart.ToDateTime(TimeOnly.MinValue), clock.OffsetAt(cycleStart));
        return [.. agencies
            .Where(a => a.IsLead(user))
            .OrderBy(a => a.Name, StringComparer.CurrentCulture)
            .Select(a => new LeadAgency(
                a,
                [.. a.Indicators.Values.Where(i => i.Status == ReviewStatus.Draft)],
                [.. a.Indicators.Values.Where(i => i.Status == ReviewStatus.Returned)],
                [.. a.Indicators.Values.Where(i => i.AssessedAt < since)],
                AgencyFlagList.OpenWorstFirst(flags[a.Id]),
                [.. overdue[a.Id].OrderBy(i => i.DueDate)]))];
    }
}
