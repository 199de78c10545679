namespace CoordinationPortal.Domain.Framework;

public sealed record LevelName(int Level, LocalizedText Name);

public sealed record LevelDescriptor(int Level, LocalizedText Descriptor);

public sealed record IndicatorDefinition(
    string Id,
    LocalizedText Name,
    LocalizedText Question,
    double Weight,
    bool EvidenceRequired,
    IReadOnlyList<LevelDescriptor> Levels)
{
    public LocalizedText DescriptorFor(int level) => Levels.Single(l => l.Level == level).Descriptor;
}

public sealed record LayerDefinition(
    Layer Layer,
    LocalizedText Name,
    LocalizedText Question,
    IReadOnlyList<IndicatorDefinition> Indicators);

/// <summary>
/// The versioned readiness framework: per layer, 3–6 indicators with five maturity levels each.
/// Loaded from <c>seed-data/framework/*.json</c>; see <see cref="FrameworkParser"/>.
/// </summary>
public sealed record ReadinessFramework(
    string Id,
    string Version,
    LocalizedText Name,
    LocalizedText Description,
    IReadOnlyList<LevelName> Levels,
    IReadOnlyList<LayerDefinition> Layers)
{
    public const int MinLevel = 1;
    public const int MaxLevel = 5;

    private readonly Dictionary<string, (LayerDefinition Layer, IndicatorDefinition Indicator)> _byId =
        Layers.SelectMany(l => l.Indicators.Select(i => (l, i))).ToDictionary(x => x.i.Id, x => x, StringComparer.Ordinal);

    public IEnumerable<IndicatorDefinition> Indicators => Layers.SelectMany(l => l.Indicators);

    public LayerDefinition LayerOf(Layer layer) => Layers.Single(l => l.Layer == layer);

    public bool TryFind(string indicatorId, out LayerDefinition layer, out IndicatorDefinition indicator)
    {
        if (_byId.TryGetValue(indicatorId, out var found))
        {
            (layer, indicator) = found;
            return true;
        }

        layer = null!;
        indicator = null!;
        return false;
    }

    public LocalizedText LevelName(int level) => Levels.Single(l => l.Level == level).Name;
}
