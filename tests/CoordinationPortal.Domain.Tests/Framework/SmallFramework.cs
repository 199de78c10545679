using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.Tests.Framework;

/// <summary>
/// A small framework for tests, built straight from the records: five layers, three indicators each, all of
/// weight 1. Only <see cref="EvidenceRequiredIndicator"/> needs a linked source.
/// </summary>
internal static class SmallFramework
{
    public const string EvidenceRequiredIndicator = "data.lineage";

    public static IReadOnlyDictionary<Layer, string[]> IndicatorIds { get; } = new Dictionary<Layer, string[]>
    {
        [Layer.Compute] = ["compute.access", "compute.capacity", "compute.cost"],
        [Layer.Data] = ["data.catalogue", "data.lineage", "data.quality"],
        [Layer.Governance] = ["governance.audit", "governance.policy", "governance.risk"],
        [Layer.Skills] = ["skills.literacy", "skills.specialists", "skills.training"],
        [Layer.Operations] = ["operations.deployment", "operations.incidents", "operations.monitoring"],
    };

    public static IEnumerable<string> AllIndicatorIds => Layers.All.SelectMany(l => IndicatorIds[l]);

    public static ReadinessFramework Instance { get; } = Build();

    public static Layer LayerOf(string indicatorId) =>
        Instance.TryFind(indicatorId, out var layer, out _)
            ? layer.Layer
            : throw new ArgumentException("Not an indicator of the small framework: " + indicatorId, nameof(indicatorId));

    private static ReadinessFramework Build() => new(
        "small",
        "1",
        Text("Small readiness framework", "लघु तत्परता ढांचा"),
        Text("For tests", "परीक्षण के लिए"),
        [.. Enumerable.Range(1, 5).Select(n => new LevelName(n, Text($"Level {n}", $"स्तर {n}")))],
        [.. Layers.All.Select(layer => new LayerDefinition(
            layer,
            Text(layer.ToString(), "परत " + layer),
            Text($"How ready is {layer}?", $"{layer} कितना तैयार है?"),
            [.. IndicatorIds[layer].Select(id => new IndicatorDefinition(
                id,
                Text(id, "संकेतक " + id),
                Text($"Where does {id} stand?", $"{id} कहाँ है?"),
                1.0,
                id == EvidenceRequiredIndicator,
                [.. Enumerable.Range(1, 5).Select(n => new LevelDescriptor(n, Text($"{id} at {n}", $"{id} स्तर {n}")))]))]))]);

    private static LocalizedText Text(string en, string hi) => new(en, hi);
}
