using System.Text.Json.Nodes;

namespace CoordinationPortal.Domain.Tests.Framework;

/// <summary>
/// A valid framework document as JSON, to be broken in one place per test: five layers with three indicators
/// each, ids <c>compute.1</c> … <c>operations.3</c>, the last indicator of Data evidence-required.
/// </summary>
internal sealed class FrameworkDocument
{
    public JsonObject Root { get; } = new()
    {
        ["id"] = "ai-readiness",
        ["version"] = "1.0.0",
        ["name"] = Text("AI readiness framework", "एआई तत्परता ढांचा"),
        ["description"] = Text("How ready an agency is for AI.", "कोई एजेंसी एआई के लिए कितनी तैयार है।"),
        ["levels"] = new JsonArray([.. Enumerable.Range(1, 5).Select(n => new JsonObject { ["level"] = n, ["name"] = Text($"Level {n}", $"स्तर {n}") })]),
        ["layers"] = new JsonArray([.. Layers.All.Select(LayerNode)]),
    };

    public JsonArray LayersNode => Root["layers"]!.AsArray();

    public JsonObject LayerNodeOf(Layer layer) => LayersNode[(int)layer]!.AsObject();

    public JsonArray IndicatorsOf(Layer layer) => LayerNodeOf(layer)["indicators"]!.AsArray();

    public JsonObject Indicator(Layer layer, int index) => IndicatorsOf(layer)[index]!.AsObject();

    public string Json => Root.ToJsonString();

    public static JsonObject Text(string en, string hi) => new() { ["en"] = en, ["hi"] = hi };

    public static JsonObject IndicatorNode(string id, bool evidenceRequired = false) => new()
    {
        ["id"] = id,
        ["name"] = Text($"Indicator {id}", $"संकेतक {id}"),
        ["question"] = Text($"Where does {id} stand?", $"{id} कहाँ है?"),
        ["evidenceRequired"] = evidenceRequired,
        ["levels"] = new JsonArray([.. Enumerable.Range(1, 5).Select(n => new JsonObject
        {
            ["level"] = n,
            ["descriptor"] = Text($"{id} at level {n}", $"{id} स्तर {n} पर"),
        })]),
    };

    private static JsonObject LayerNode(Layer layer)
    {
        var prefix = layer.ToString().ToLowerInvariant();
        return new JsonObject
        {
            ["layer"] = layer.ToString(),
            ["name"] = Text(layer.ToString(), $"परत {layer}"),
            ["question"] = Text($"How ready is {layer}?", $"{layer} कितना तैयार है?"),
            ["indicators"] = new JsonArray(
                IndicatorNode($"{prefix}.1"),
                IndicatorNode($"{prefix}.2"),
                IndicatorNode($"{prefix}.3", evidenceRequired: layer == Layer.Data)),
        };
    }
}
