using CoordinationPortal.Domain.OutOfStep;
using Marten;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>
/// Where the slipping-commitment rule's action items come from: a contract OutOfStep publishes and the feature that
/// owns action items (working groups) implements and registers, so OutOfStep depends on nothing of it. For each
/// agency asked about that has any, the action items it owns that are open at <paramref name="at"/> (neither done nor
/// dropped then); agencies without any may be left out. <c>at</c> is now for a live evaluation and a past moment for a
/// replay, so a source that keeps history answers as things stood then. <see cref="FlagEvaluator"/> calls every
/// registered source once per batch of agencies (up to <see cref="FlagEvaluator.BatchSize"/>), inside the batch's
/// transaction: answer with one query, not one per agency. With no source registered the rule finds nothing.
/// </summary>
public interface ICommitmentSource
{
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<Commitment>>> OpenCommitmentsAsync(
        IQuerySession session, IReadOnlyCollection<Guid> agencyIds, DateTimeOffset at, CancellationToken ct);
}
