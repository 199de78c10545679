using CoordinationPortal.Domain.OutOfStep;
using Marten;

namespace CoordinationPortal.Web.OutOfStep;

public enum FlagNoticeKind
{
    /// <summary>Raised for the first time, or again after it had cleared (<see cref="Flag.Occurrence"/> &gt; 1).</summary>
    Raised,

    /// <summary>Resolved automatically.</summary>
    Resolved,
}

/// <summary>The agency a flag concerns, as it is when the flag changes.</summary>
public sealed record FlagAgency(Guid Id, string Name, string Sector, string Jurisdiction, IReadOnlyList<string> Leads);

/// <summary>A flag was raised or resolved: what notifications are made of. <see cref="Flag"/> is the state after the change.</summary>
public sealed record FlagNotice(FlagNoticeKind Kind, Flag Flag, FlagAgency Agency, DateTimeOffset At);

/// <summary>
/// Told of every flag raised or resolved. <see cref="StageAsync"/> runs inside the evaluation's transaction before it is
/// saved, and may read through the session, so what it stores (in-app notifications, webhook deliveries) commits with
/// the flag events or not at all. <see cref="CommittedAsync"/> runs after the commit (e.g. to enqueue deliveries); a
/// failure there is logged, and the subscriber's own backstop must pick up whatever was staged. A subscriber keeps
/// nothing between the two calls: both are given the same notices.
/// </summary>
public interface IFlagSubscriber
{
    Task StageAsync(IDocumentSession session, IReadOnlyList<FlagNotice> notices, CancellationToken ct);

    Task CommittedAsync(IReadOnlyList<FlagNotice> notices, CancellationToken ct);
}
