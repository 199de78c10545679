using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoordinationPortal.Domain.Framework;

/// <summary>Reads and validates a framework document. Invalid documents fail with every problem listed.</summary>
public static class FrameworkParser
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static ReadinessFramework Parse(string json)
    {
        var doc = JsonSerializer.Deserialize<FrameworkDocument>(json, Json)
            ?? throw new FrameworkInvalidException(["The document is empty."]);
        var problems = Validate(doc);
        if (problems.Count > 0)
        {
            throw new FrameworkInvalidException(problems);
        }

        return new ReadinessFramework(
            doc.Id!,
            doc.Version!,
            doc.Name!,
            doc.Description ?? doc.Name!,
            doc.Levels!.OrderBy(l => l.Level).ToList(),
            doc.Layers!.Select(l => new LayerDefinition(
                l.Layer,
                l.Name!,
                l.Question ?? l.Name!,
                l.Indicators!.Select(i => new IndicatorDefinition(
                    i.Id!,
                    i.Name!,
                    i.Question ?? i.Name!,
                    i.Weight ?? 1.0,
                    i.EvidenceRequired,
                    i.Levels!.OrderBy(x => x.Level).ToList())).ToList())).ToList());
    }

    private static List<string> Validate(FrameworkDocument doc)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(doc.Id)) problems.Add("id is missing.");
        if (string.IsNullOrWhiteSpace(doc.Version)) problems.Add("version is missing.");
        CheckText(doc.Name, "name", problems);
        if (doc.Levels is null || !doc.Levels.Select(l => l.Level).Order().SequenceEqual(Enumerable.Range(1, 5)))
        {
            problems.Add("levels must list levels 1 to 5 exactly once.");
        }
        else
        {
            foreach (var l in doc.Levels) CheckText(l.Name, $"levels[{l.Level}].name", problems);
        }

        var layers = doc.Layers ?? [];
        if (!layers.Select(l => l.Layer).SequenceEqual(Layers.All))
        {
            problems.Add($"layers must be exactly {string.Join(", ", Layers.All)}, in that order.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            CheckText(layer.Name, $"{layer.Layer}.name", problems);
            var indicators = layer.Indicators ?? [];
            if (indicators.Count is < 3 or > 6)
            {
                problems.Add($"{layer.Layer} must have 3 to 6 indicators, has {indicators.Count}.");
            }

            foreach (var indicator in indicators)
            {
                var where = $"{layer.Layer}/{indicator.Id ?? "?"}";
                if (string.IsNullOrWhiteSpace(indicator.Id)) problems.Add($"{where}: id is missing.");
                else if (!ids.Add(indicator.Id)) problems.Add($"{where}: id is used twice.");
                CheckText(indicator.Name, $"{where}.name", problems);
                if (indicator.Weight is { } w && (w <= 0 || double.IsNaN(w) || double.IsInfinity(w)))
                {
                    problems.Add($"{where}: weight must be a positive number.");
                }

                var levels = indicator.Levels ?? [];
                if (!levels.Select(l => l.Level).Order().SequenceEqual(Enumerable.Range(1, 5)))
                {
                    problems.Add($"{where}: levels must be 1 to 5 exactly once.");
                }

                foreach (var level in levels) CheckText(level.Descriptor, $"{where}.levels[{level.Level}]", problems);
            }
        }

        return problems;
    }

    private static void CheckText(LocalizedText? text, string where, List<string> problems)
    {
        if (text is null || string.IsNullOrWhiteSpace(text.En) || string.IsNullOrWhiteSpace(text.Hi))
        {
            problems.Add($"{where}: needs English and Hindi text.");
        }
    }

    private sealed record FrameworkDocument(
        string? Id,
        string? Version,
        LocalizedText? Name,
        LocalizedText? Description,
        List<LevelName>? Levels,
        List<LayerDocument>? Layers);

    private sealed record LayerDocument(Layer Layer, LocalizedText? Name, LocalizedText? Question, List<IndicatorDocument>? Indicators);

    private sealed record IndicatorDocument(
        string? Id,
        LocalizedText? Name,
        LocalizedText? Question,
        double? Weight,
        bool EvidenceRequired,
        List<LevelDescriptor>? Levels);
}

public sealed class FrameworkInvalidException(IReadOnlyList<string> problems)
    : Exception("The readiness framework is invalid: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
