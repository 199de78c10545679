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
/// Told of every flag raised or resolved. <see cref="Stage"/> runs inside the evaluation's session before it is saved,
/// so what it stores (in-app notifications, webhook deliveries to make) commits with the flag events or not at all.
/// <see cref="CommittedAsync"/> runs after the commit (e.g. to enqueue deliveries); a failure there is logged, and the
/// subscriber's own backstop must pick up whatever was staged.
/// </summary>
public interface IFlagSubscriber
{
    void Stage(IDocumentSession session, IReadOnlyList<FlagNotice> notices);

    Task CommittedAsync(IReadOnlyList<FlagNotice> notices, CancellationToken ct);
}
