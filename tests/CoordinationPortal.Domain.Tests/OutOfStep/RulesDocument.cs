using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>The seed rules file as JSON, to be broken in one place per test.</summary>
internal sealed class RulesDocument
{
    public JsonObject Root { get; } = JsonNode.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-data", "out-of-step-rules.json")),
        documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();

    public JsonArray RulesNode => Root["rules"]!.AsArray();

    public JsonObject Rule(string id) => RulesNode.Single(r => (string?)r!["id"] == id)!.AsObject();

    public JsonObject Settings(string id) => Rule(id)["settings"]!.AsObject();

    public string Json => Root.ToJsonString();
}
