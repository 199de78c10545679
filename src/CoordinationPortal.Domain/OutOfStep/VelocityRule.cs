namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// <c>velocity</c>: over the last <c>windowDays</c> days one layer rose by at least <c>minRiseLevels</c> while another
/// changed by at most <c>flatMaxChangeLevels</c> (0 means flat or falling). At most one flag per agency: it cites the
/// layer that rose most and the one that moved least (the lowest change, a fall before a standstill). Layers without
/// a score at the start of the window are left out.
/// </summary>
/// <remarks>
/// The window is cited by its length, not by its start date: a date that moves every day would change the flag
/// every day while the data behind it does not.
/// </remarks>
public static class VelocityRule
{
    public const string KindName = "velocity";

    public static RuleKind Kind { get; } = new(
        KindName,
        Evaluate,
        [
            new("windowDays", SettingType.Days, Min: 1, Max: 3660),
            new("minRiseLevels", SettingType.Number, Min: 0, Max: 4),
            new("flatMaxChangeLevels", SettingType.Number, Min: -4, Max: 4),
        ],
        [new(RuleText.Explanation, ["riser", "laggard", "riseLevels", "riserFrom", "riserTo", "laggardChange", "laggardFrom", "laggardTo", "windowDays", "minRiseLevels", "flatMaxChangeLevels"])],
        Check);

    public static IEnumerable<Finding> Evaluate(RuleDefinition rule, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(context);
        var windowDays = rule.Days("windowDays");
        var start = context.Facts.At.AddDays(-windowDays);
        Layer? riser = null, laggard = null;
        double rise = 0, least = 0;
        foreach (var layer in Layers.All)
        {
            if (context.LevelAsOf(start, layer) is not { } then || context.Level(layer) is not { } now)
            {
                continue;
            }

            var change = now - then;
            if (riser is null || change > rise)
            {
                (riser, rise) = (layer, change);
            }

            if (laggard is null || change < least)
            {
                (laggard, least) = (layer, change);
            }
        }

        var minRise = rule.Number("minRiseLevels");
        var flatMax = rule.Number("flatMaxChangeLevels");
        if (riser is not { } up || laggard is not { } flat || up == flat
            || !Thresholds.AtLeast(rise, minRise) || !Thresholds.AtMost(least, flatMax))
        {
            return [];
        }

        var riserFrom = context.LevelAsOf(start, up)!.Value;
        var riserTo = context.Level(up)!.Value;
        var laggardFrom = context.LevelAsOf(start, flat)!.Value;
        var laggardTo = context.Level(flat)!.Value;
        return
        [
            new Finding(
                rule.Id,
                rule.Kind,
                "",
                rule.Severity,
                [up, flat],
                [
                    new Figure("riseLevels", Citation.OneDecimal(rise)),
                    new Figure("riserFrom", Citation.OneDecimal(riserFrom)),
                    new Figure("riserTo", Citation.OneDecimal(riserTo)),
                    new Figure("laggardChange", Citation.OneDecimal(least)),
                    new Figure("laggardFrom", Citation.OneDecimal(laggardFrom)),
                    new Figure("laggardTo", Citation.OneDecimal(laggardTo)),
                ],
                Citation.Fill(
                    rule.Explanation,
                    Citation.Text("riser", context.LayerName(up)),
                    Citation.Text("laggard", context.LayerName(flat)),
                    Citation.Number("riseLevels", rise),
                    Citation.Number("riserFrom", riserFrom),
                    Citation.Number("riserTo", riserTo),
                    Citation.Change("laggardChange", least),
                    Citation.Number("laggardFrom", laggardFrom),
                    Citation.Number("laggardTo", laggardTo),
                    Citation.Whole("windowDays", windowDays),
                    Citation.Number("minRiseLevels", minRise),
                    Citation.Change("flatMaxChangeLevels", flatMax))),
        ];
    }

    private static IEnumerable<string> Check(RuleDefinition rule)
    {
        if (rule.Number("minRiseLevels") <= rule.Number("flatMaxChangeLevels"))
        {
            yield return "minRiseLevels must be above flatMaxChangeLevels.";
        }
    }
}
