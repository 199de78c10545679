using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>
/// An agency's assessment history against the seed framework, built change by change, and the facts it gives at a
/// moment. Times are in India Standard Time. Seed indicator weights, in framework order:
/// Compute 1.5, 1, 1, 0.5, 1 (sum 5); Data 1, 1, 0.5, 1, 1.5 (sum 5); Governance 1, 1.5, 1, 1, 1 (sum 5.5);
/// Skills 1, 1, 1, 1 (sum 4); Operations 1, 1, 1, 1.5 (sum 4.5). A layer's level is the weighted mean of its
/// indicators' levels, so Compute's fourth indicator (weight 0.5 of 5) moves Compute by 0.1 level per level.
/// </summary>
internal sealed class History
{
    public static readonly Guid AgencyId = new("0b6c7a52-58f1-4b1e-9f0e-3c1d2e4f5a6b");
    public static readonly TimeSpan Ist = new(5, 30, 0);

    private readonly List<LevelChange> _changes = [];

    public static DateTimeOffset On(int year, int month, int day, int hour = 10) => new(year, month, day, hour, 0, 0, Ist);

    public static string[] IndicatorsOf(Layer layer) => [.. Rules.Framework.LayerOf(layer).Indicators.Select(i => i.Id)];

    /// <summary>Every indicator of the layer assessed at the same level: the layer is at exactly that level.</summary>
    public History Assess(Layer layer, int level, DateTimeOffset at) =>
        Assess(layer, at, [.. IndicatorsOf(layer).Select(_ => level)]);

    /// <summary>Each indicator of the layer, in framework order, at the level given.</summary>
    public History Assess(Layer layer, DateTimeOffset at, params int[] levels)
    {
        var ids = IndicatorsOf(layer);
        Assert.Equal(ids.Length, levels.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            _changes.Add(new LevelChange(ids[i], layer, levels[i], at));
        }

        return this;
    }

    public History Assess(string indicatorId, int level, DateTimeOffset at)
    {
        Assert.True(Rules.Framework.TryFind(indicatorId, out var layer, out _), indicatorId);
        _changes.Add(new LevelChange(indicatorId, layer.Layer, level, at));
        return this;
    }

    /// <summary>The facts at a moment: the history in business-time order (stable for changes at the same time).</summary>
    public AgencyFacts At(DateTimeOffset at, MeasuredEvidence? measured = null) =>
        new(AgencyId, at, [.. _changes.OrderBy(c => c.At)], measured ?? MeasuredEvidence.None);
}
