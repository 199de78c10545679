using System.Collections.Immutable;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>
/// An agency's assessment history in the compact form the rules read: one entry per indicator assessment, in
/// business-time order. Kept inline with every append, so evaluating an agency is one document load, not a replay.
/// </summary>
public sealed record AgencyTimeline
{
    public Guid Id { get; init; }
    public ImmutableList<LevelChange> Changes { get; init; } = [];

    public static AgencyTimeline? Next(AgencyTimeline? timeline, object @event) => (timeline, @event) switch
    {
        (null, AgencyRegistered r) => new AgencyTimeline { Id = r.AgencyId },
        (null, _) => null,
        (_, IndicatorAssessed a) => timeline with { Changes = Insert(timeline.Changes, new LevelChange(a.IndicatorId, a.Layer, a.Level, a.At)) },
        _ => timeline,
    };

    public static AgencyTimeline? Fold(IEnumerable<object> events) => events.Aggregate((AgencyTimeline?)null, Next);

    /// <summary>Appends in order; a back-dated assessment (imported history) goes where its business time puts it.</summary>
    private static ImmutableList<LevelChange> Insert(ImmutableList<LevelChange> changes, LevelChange change)
    {
        var index = changes.Count;
        while (index > 0 && changes[index - 1].At > change.At)
        {
            index--;
        }

        return changes.Insert(index, change);
    }
}

public sealed class AgencyTimelineProjection : SingleStreamProjection<AgencyTimeline, Guid>
{
    public override AgencyTimeline? Evolve(AgencyTimeline? snapshot, Guid id, IEvent e) => AgencyTimeline.Next(snapshot, e.Data);
}
