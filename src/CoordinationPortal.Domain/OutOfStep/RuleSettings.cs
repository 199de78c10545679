using System.Globalization;

namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// Reads a rule's settings as the kinds need them. The parser has checked them against the kind
/// (<see cref="RuleKind.Settings"/>), so a missing or malformed value here is a rule set built by hand, and fails.
/// </summary>
public static class RuleSettings
{
    public static double Number(this RuleDefinition rule, string name) =>
        ParseNumber(Get(rule, name)) ?? throw Invalid(rule, name);

    public static double? OptionalNumber(this RuleDefinition rule, string name) =>
        rule.Settings.TryGetValue(name, out var value) ? ParseNumber(value) ?? throw Invalid(rule, name) : null;

    public static int Days(this RuleDefinition rule, string name) =>
        ParseDays(Get(rule, name)) ?? throw Invalid(rule, name);

    public static Layer Layer(this RuleDefinition rule, string name) =>
        ParseLayer(Get(rule, name)) ?? throw Invalid(rule, name);

    public static Layer? OptionalLayer(this RuleDefinition rule, string name) =>
        rule.Settings.TryGetValue(name, out var value) ? ParseLayer(value) ?? throw Invalid(rule, name) : null;

    public static IReadOnlyList<Layer> LayerList(this RuleDefinition rule, string name) =>
        ParseLayerList(Get(rule, name)) ?? throw Invalid(rule, name);

    internal static double? ParseNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : null;

    internal static int? ParseDays(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? days : null;

    /// <summary>A layer named exactly as in code (ordinal, case-sensitive), never a number.</summary>
    internal static Layer? ParseLayer(string value)
    {
        var name = value.Trim();
        foreach (var layer in Layers.All)
        {
            if (string.Equals(layer.ToString(), name, StringComparison.Ordinal))
            {
                return layer;
            }
        }

        return null;
    }

    internal static IReadOnlyList<Layer>? ParseLayerList(string value)
    {
        var layers = new List<Layer>();
        foreach (var part in value.Split(','))
        {
            if (ParseLayer(part) is not { } layer || layers.Contains(layer))
            {
                return null;
            }

            layers.Add(layer);
        }

        return layers;
    }

    private static string Get(RuleDefinition rule, string name) =>
        rule.Settings.TryGetValue(name, out var value) ? value : throw Invalid(rule, name);

    private static ArgumentException Invalid(RuleDefinition rule, string name) =>
        new($"Rule '{rule.Id}' has no valid setting '{name}'.", nameof(rule));
}
