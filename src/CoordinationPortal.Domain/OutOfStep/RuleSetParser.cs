using System.Globalization;
using System.Text.Json;

namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// Reads and checks an out-of-step rules document (<c>seed-data/out-of-step-rules.json</c>). Every rule is checked
/// against its kind (<see cref="OutOfStepRules.Registry"/>): its settings, its severity, its texts in English and
/// Hindi and the placeholders they use. An invalid document fails with every problem listed.
/// </summary>
public static class RuleSetParser
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static RuleSet Parse(string json)
    {
        RulesDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<RulesDocument>(json, Json);
        }
        catch (JsonException e)
        {
            throw new RuleSetFormatException([$"The document is not valid JSON: {e.Message}"]);
        }

        if (doc is null)
        {
            throw new RuleSetFormatException(["The document is empty."]);
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(doc.Version))
        {
            problems.Add("version is missing.");
        }

        if (doc.Rules is null)
        {
            problems.Add("rules is missing.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var rules = new List<RuleDefinition>();
        foreach (var (rule, index) in (doc.Rules ?? []).Select((r, i) => (r, i)))
        {
            if (Read(rule, index, ids, problems) is { } definition)
            {
                rules.Add(definition);
            }
        }

        if (problems.Count > 0)
        {
            throw new RuleSetFormatException(problems);
        }

        return new RuleSet(doc.Version!.Trim(), rules);
    }

    private static RuleDefinition? Read(RuleDocument? rule, int index, HashSet<string> ids, List<string> problems)
    {
        if (rule is null)
        {
            problems.Add($"rules[{index}]: is empty.");
            return null;
        }

        var where = $"rules[{index}] ({rule.Id ?? "?"})";
        var before = problems.Count;
        if (string.IsNullOrWhiteSpace(rule.Id) || !rule.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            problems.Add($"{where}: id must be lower-case letters, digits and hyphens.");
        }
        else if (!ids.Add(rule.Id))
        {
            problems.Add($"{where}: id is used twice.");
        }

        var severity = ReadSeverity(rule.Severity);
        if (severity is null)
        {
            problems.Add($"{where}: severity must be one of {string.Join(", ", Enum.GetNames<FlagSeverity>())}.");
        }

        CheckText(rule.Title, $"{where}.title", problems);
        var kind = rule.Kind is null ? null : OutOfStepRules.Describe(rule.Kind);
        if (kind is null)
        {
            problems.Add($"{where}: kind '{rule.Kind}' is unknown; known kinds are {string.Join(", ", OutOfStepRules.Registry.Select(k => k.Name))}.");
            CheckText(rule.Explanation, $"{where}.explanation", problems);
            return null;
        }

        var settings = ReadSettings(rule.Settings, kind, where, problems);
        var cases = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        foreach (var text in kind.Texts)
        {
            var template = text.Name == RuleText.Explanation ? rule.Explanation : rule.Cases?.GetValueOrDefault(text.Name);
            var textWhere = text.Name == RuleText.Explanation ? $"{where}.explanation" : $"{where}.cases.{text.Name}";
            if (CheckText(template, textWhere, problems))
            {
                CheckPlaceholders(template!, text.Placeholders, textWhere, problems);
                if (text.Name != RuleText.Explanation)
                {
                    cases[text.Name] = template!;
                }
            }
        }

        foreach (var name in (rule.Cases?.Keys ?? Enumerable.Empty<string>()).Where(n => n == RuleText.Explanation || kind.Texts.All(t => t.Name != n)))
        {
            problems.Add($"{where}: case '{name}' is not one that kind {kind.Name} explains.");
        }

        if (problems.Count > before)
        {
            return null;
        }

        var definition = new RuleDefinition(rule.Id!, kind.Name, severity!.Value, rule.Enabled ?? true, settings, rule.Title!, rule.Explanation!)
        {
            Cases = cases,
        };
        foreach (var problem in kind.Check?.Invoke(definition) ?? [])
        {
            problems.Add($"{where}: {problem}");
        }

        return definition;
    }

    private static FlagSeverity? ReadSeverity(string? value)
    {
        foreach (var severity in Enum.GetValues<FlagSeverity>())
        {
            if (string.Equals(severity.ToString(), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return severity;
            }
        }

        return null;
    }

    private static Dictionary<string, string> ReadSettings(
        Dictionary<string, JsonElement>? values, RuleKind kind, string where, List<string> problems)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        values ??= [];
        foreach (var name in values.Keys.Where(n => kind.Settings.All(s => s.Name != n)))
        {
            problems.Add($"{where}: setting '{name}' is not one that kind {kind.Name} reads ({string.Join(", ", kind.Settings.Select(s => s.Name))}).");
        }

        foreach (var setting in kind.Settings)
        {
            if (!values.TryGetValue(setting.Name, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                if (setting.Required)
                {
                    problems.Add($"{where}: setting '{setting.Name}' is missing.");
                }

                continue;
            }

            var value = element.ValueKind switch
            {
                JsonValueKind.String => element.GetString()!,
                JsonValueKind.Number => element.GetRawText(),
                _ => null,
            };
            var problem = value is null ? Expected(setting) : Problem(setting, value);
            if (problem is not null)
            {
                problems.Add($"{where}: setting '{setting.Name}' {problem}");
                continue;
            }

            settings[setting.Name] = value!.Trim();
        }

        return settings;
    }

    private static string? Problem(RuleSetting setting, string value) => setting.Type switch
    {
        SettingType.Number => RuleSettings.ParseNumber(value) is { } n && n >= setting.Min && n <= setting.Max ? null : Expected(setting),
        SettingType.Days => RuleSettings.ParseDays(value.Trim()) is { } d && d >= setting.Min && d <= setting.Max ? null : Expected(setting),
        SettingType.Layer => RuleSettings.ParseLayer(value) is null ? $"names no layer: '{value}' ({Expected(setting)})" : null,
        SettingType.LayerList => RuleSettings.ParseLayerList(value) is null ? $"must list layers, each once: '{value}' ({Expected(setting)})" : null,
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting.Type, null),
    };

    private static string Expected(RuleSetting setting) => setting.Type switch
    {
        SettingType.Number => $"must be a number from {Bound(setting.Min)} to {Bound(setting.Max)}.",
        SettingType.Days => $"must be a whole number of days from {Bound(setting.Min)} to {Bound(setting.Max)}.",
        SettingType.Layer => $"must be one of {string.Join(", ", Layers.All)}.",
        SettingType.LayerList => $"must be layer names separated by commas, from {string.Join(", ", Layers.All)}.",
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting.Type, null),
    };

    private static string Bound(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool CheckText(LocalizedText? text, string where, List<string> problems)
    {
        if (text is null || string.IsNullOrWhiteSpace(text.En) || string.IsNullOrWhiteSpace(text.Hi))
        {
            problems.Add($"{where}: needs English and Hindi text.");
            return false;
        }

        return true;
    }

    private static void CheckPlaceholders(LocalizedText template, IReadOnlyList<string> known, string where, List<string> problems)
    {
        var en = Citation.PlaceholdersIn(template.En).ToHashSet(StringComparer.Ordinal);
        var hi = Citation.PlaceholdersIn(template.Hi).ToHashSet(StringComparer.Ordinal);
        foreach (var name in en.Union(hi).Where(n => !known.Contains(n)))
        {
            problems.Add($"{where}: placeholder {{{name}}} is unknown; this text may use {string.Join(", ", known.Select(k => "{" + k + "}"))}.");
        }

        if (!en.SetEquals(hi))
        {
            problems.Add($"{where}: the English and Hindi texts must cite the same placeholders.");
        }
    }

    private sealed record RulesDocument(string? Version, List<RuleDocument?>? Rules);

    private sealed record RuleDocument(
        string? Id,
        string? Kind,
        string? Severity,
        bool? Enabled,
        Dictionary<string, JsonElement>? Settings,
        LocalizedText? Title,
        LocalizedText? Explanation,
        Dictionary<string, LocalizedText>? Cases);
}

/// <summary>The rules document is invalid; <see cref="Problems"/> lists every problem found, in English.</summary>
public sealed class RuleSetFormatException : FormatException
{
    public RuleSetFormatException(IReadOnlyList<string> problems)
        : base("The out-of-step rules are invalid: " + string.Join(" ", problems)) => Problems = problems;

    public IReadOnlyList<string> Problems { get; }
}
