namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// <c>lead</c>: the <c>lead</c> layer is more than <c>marginLevels</c> levels above the <c>lag</c> layer (exactly at
/// the margin is not enough), comparing the levels as the flag cites them (one decimal). One rule per pair of layers,
/// each with its own sentence in the rules file.
/// </summary>
public static class LeadRule
{
    public const string KindName = "lead";

    public static RuleKind Kind { get; } = new(
        KindName,
        Evaluate,
        [
            new("lead", SettingType.Layer),
            new("lag", SettingType.Layer),
            new("marginLevels", SettingType.Number, Min: 0, Max: 4),
        ],
        [new(RuleText.Explanation, ["lead", "lag", "leadLevel", "lagLevel", "gapLevels", "marginLevels"])],
        Check);

    public static IEnumerable<Finding> Evaluate(RuleDefinition rule, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(context);
        var lead = rule.Layer("lead");
        var lag = rule.Layer("lag");
        if (context.Level(lead) is not { } leadLevel || context.Level(lag) is not { } lagLevel)
        {
            return [];
        }

        // Decided on the levels as cited (one decimal), so the flag's own figures always bear it out.
        var margin = rule.Number("marginLevels");
        (leadLevel, lagLevel) = (Citation.OneDecimal(leadLevel), Citation.OneDecimal(lagLevel));
        var gap = Citation.OneDecimal(leadLevel - lagLevel);
        if (!Thresholds.MoreThan(gap, margin))
        {
            return [];
        }

        return
        [
            Finding.Citing(
                rule,
                [lead, lag],
                [Citation.Number("leadLevel", leadLevel), Citation.Number("lagLevel", lagLevel), Citation.Number("gapLevels", gap)],
                [
                    Citation.Text("lead", context.LayerName(lead)),
                    Citation.Text("lag", context.LayerName(lag)),
                    Citation.Number("marginLevels", margin),
                ]),
        ];
    }

    private static IEnumerable<string> Check(RuleDefinition rule)
    {
        if (rule.Layer("lead") == rule.Layer("lag"))
        {
            yield return "lead and lag must be different layers.";
        }
    }
}
