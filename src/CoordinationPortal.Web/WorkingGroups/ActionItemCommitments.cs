using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.OutOfStep;
using Marten;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>
/// The action items out-of-step evaluation sees as commitments (the slipping-commitment rule): for each agency, the
/// items it owns that were open at the moment evaluated. One query per batch of agencies: items still open, or closed
/// after that moment, recorded by then; an item whose status changed after the moment (a replay of the past) is
/// judged by its status history.
/// </summary>
public sealed class ActionItemCommitments : ICommitmentSource
{
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<Commitment>>> OpenCommitmentsAsync(
        IQuerySession session, IReadOnlyCollection<Guid> agencyIds, DateTimeOffset at, CancellationToken ct)
    {
        var ids = agencyIds.ToArray();
        var items = await session.Query<ActionItem>()
            .Where(i => i.AgencyId.IsOneOf(ids) && i.RecordedAt <= at
                && (i.Status == ActionStatus.Open || i.Status == ActionStatus.InProgress || i.ClosedAt > at))
            .ToListAsync(ct);
        return items
            .Where(i => i.LastStatusAt <= at ? i.IsOpen : i.WasOpenAt(at))
            .GroupBy(i => i.AgencyId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Commitment>)[.. g.OrderBy(i => i.DueDate).Select(i => new Commitment(i.Id, i.Title, i.Layer, i.DueDate))]);
    }
}
