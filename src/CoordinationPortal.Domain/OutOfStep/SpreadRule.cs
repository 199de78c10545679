namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// <c>spread</c>: the strongest and the weakest layer are at least <c>minLevels</c> levels apart. Raised at
/// <see cref="RuleDefinition.Severity"/>, or High from <c>highAtLevels</c> apart when that setting is given. Layers
/// with the same level: the first in framework order counts as strongest (or weakest). The spread is that of the
/// levels as the flag cites them (one decimal).
/// </summary>
public static class SpreadRule
{
    public const string KindName = "spread";

    public static RuleKind Kind { get; } = new(
        KindName,
        Evaluate,
        [
            new("minLevels", SettingType.Number, Min: 0, Max: 4),
            new("highAtLevels", SettingType.Number, Required: false, Min: 0, Max: 4),
        ],
        [new(RuleText.Explanation, ["strongest", "weakest", "strongestLevel", "weakestLevel", "spreadLevels", "spreadPoints", "minLevels"])],
        Check);

    /// <summary>A spread of one level is 25 points on the 0–100 layer scale.</summary>
    public const double PointsPerLevel = 25;

    public static IEnumerable<Finding> Evaluate(RuleDefinition rule, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(context);
        if (RuleContext.Extremes(context.Level) is not { } extremes || extremes.Highest == extremes.Lowest)
        {
            return [];
        }

        // Decided on the levels as cited (one decimal), so the flag's own figures always bear it out.
        var (strong, weak) = (extremes.Highest, extremes.Lowest);
        var (high, low) = (Citation.OneDecimal(extremes.High), Citation.OneDecimal(extremes.Low));
        var minLevels = rule.Number("minLevels");
        var spread = Citation.OneDecimal(high - low);
        if (!Thresholds.AtLeast(spread, minLevels))
        {
            return [];
        }

        var severity = rule.OptionalNumber("highAtLevels") is { } highAt && Thresholds.AtLeast(spread, highAt)
            ? FlagSeverity.High
            : rule.Severity;
        var points = spread * PointsPerLevel;
        return
        [
            Finding.Citing(
                rule,
                [strong, weak],
                [
                    Citation.Number("strongestLevel", high),
                    Citation.Number("weakestLevel", low),
                    Citation.Number("spreadLevels", spread),
                    Citation.Number("spreadPoints", points),
                ],
                [
                    Citation.Text("strongest", context.LayerName(strong)),
                    Citation.Text("weakest", context.LayerName(weak)),
                    Citation.Number("minLevels", minLevels),
                ],
                severity: severity),
        ];
    }

    private static IEnumerable<string> Check(RuleDefinition rule)
    {
        if (rule.OptionalNumber("highAtLevels") is { } highAt && highAt < rule.Number("minLevels"))
        {
            yield return "highAtLevels cannot be below minLevels.";
        }
    }
}
