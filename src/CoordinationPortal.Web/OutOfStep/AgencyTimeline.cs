using System.Text.Json.Serialization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>An indicator the timeline has seen, with its layer; entries refer to it by position.</summary>
public sealed record TimelineIndicator(string Id, Layer Layer);

/// <summary>
/// One assessment, stored small: the indicator's position in <see cref="AgencyTimeline.Indicators"/>, the level, and the
/// business time in Unix seconds. Short JSON names keep a 1,000-agency evaluation's reads to a few megabytes.
/// </summary>
public readonly record struct TimelineEntry(
    [property: JsonPropertyName("i")] int Indicator,
    [property: JsonPropertyName("l")] int Level,
    [property: JsonPropertyName("t")] long At);

/// <summary>
/// An agency's assessment history in the compact form the rules read: one entry per indicator assessment, in
/// business-time order. Kept inline with every append, so evaluating an agency is one document load, not a replay.
/// </summary>
public sealed record AgencyTimeline
{
    public Guid Id { get; init; }
    public IReadOnlyList<TimelineIndicator> Indicators { get; init; } = [];
    public IReadOnlyList<TimelineEntry> Entries { get; init; } = [];

    /// <summary>The history as the rules take it.</summary>
    public IReadOnlyList<LevelChange> Changes()
    {
        var changes = new LevelChange[Entries.Count];
        for (var i = 0; i < changes.Length; i++)
        {
            var entry = Entries[i];
            var indicator = Indicators[entry.Indicator];
            changes[i] = new LevelChange(indicator.Id, indicator.Layer, entry.Level, DateTimeOffset.FromUnixTimeSeconds(entry.At));
        }

        return changes;
    }

    public static AgencyTimeline? Next(AgencyTimeline? timeline, object @event) => (timeline, @event) switch
    {
        (null, AgencyRegistered r) => new AgencyTimeline { Id = r.AgencyId },
        (null, _) => null,
        (_, IndicatorAssessed a) => timeline.With(a),
        _ => timeline,
    };

    public static AgencyTimeline? Fold(IEnumerable<object> events) => events.Aggregate((AgencyTimeline?)null, Next);

    /// <summary>Appends in order; a back-dated assessment (imported history) goes where its business time puts it.</summary>
    private AgencyTimeline With(IndicatorAssessed a)
    {
        // Plain arrays, copied on each assessment: they load several times faster than immutable collections, and a
        // timeline holds a few hundred entries at most.
        var indicators = Indicators;
        var position = -1;
        for (var i = 0; i < indicators.Count && position < 0; i++)
        {
            position = indicators[i].Id == a.IndicatorId ? i : -1;
        }

        if (position < 0)
        {
            position = indicators.Count;
            indicators = [.. indicators, new TimelineIndicator(a.IndicatorId, a.Layer)];
        }

        var entry = new TimelineEntry(position, a.Level, a.At.ToUnixTimeSeconds());
        var index = Entries.Count;
        while (index > 0 && Entries[index - 1].At > entry.At)
        {
            index--;
        }

        return this with { Indicators = indicators, Entries = [.. Entries.Take(index), entry, .. Entries.Skip(index)] };
    }
}

public sealed class AgencyTimelineProjection : SingleStreamProjection<AgencyTimeline, Guid>
{
    public override AgencyTimeline? Evolve(AgencyTimeline? snapshot, Guid id, IEvent e) => AgencyTimeline.Next(snapshot, e.Data);
}
