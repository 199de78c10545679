namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// <c>velocity</c>: over the last <c>windowDays</c> days one layer rose by at least <c>minRiseLevels</c> while another
/// changed by at most <c>flatMaxChangeLevels</c> (0 means flat or falling). At most one flag per agency: it cites the
/// layer that rose most and the one that moved least (the lowest change, a fall before a standstill). Layers without
/// a score at the start of the window are left out.
/// </summary>
/// <remarks>
/// The window counts calendar days in the offset of the moment evaluated, as staleness does: it starts at the end of
/// the day <c>windowDays</c> days before the day evaluated (levels as they stood then), so the hour the evaluation
/// runs at does not change what it finds. The window is cited by its length, not by its start date: a date that moves
/// every day would change the flag every day while the data behind it does not.
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
        var start = context.EndOf(context.Today.AddDays(-windowDays));
        var from = new double[Layers.All.Count];
        var to = new double[Layers.All.Count];
        double? Change(Layer layer)
        {
            if (context.LevelAsOf(start, layer) is not { } then || context.Level(layer) is not { } now)
            {
                return null;
            }

            // Decided on the levels the flag cites (one decimal), as the lead and spread rules are.
            (from[(int)layer], to[(int)layer]) = (Citation.OneDecimal(then), Citation.OneDecimal(now));
            return to[(int)layer] - from[(int)layer];
        }

        var minRise = rule.Number("minRiseLevels");
        var flatMax = rule.Number("flatMaxChangeLevels");
        if (RuleContext.Extremes(Change) is not (var up, var rise, var flat, var least) || up == flat
            || !Thresholds.AtLeast(rise, minRise) || !Thresholds.AtMost(least, flatMax))
        {
            return [];
        }

        var (riserFrom, riserTo) = (from[(int)up], to[(int)up]);
        var (laggardFrom, laggardTo) = (from[(int)flat], to[(int)flat]);
        return
        [
            Finding.Citing(
                rule,
                [up, flat],
                [
                    Citation.Number("riseLevels", rise),
                    Citation.Number("riserFrom", riserFrom),
                    Citation.Number("riserTo", riserTo),
                    Citation.Change("laggardChange", least),
                    Citation.Number("laggardFrom", laggardFrom),
                    Citation.Number("laggardTo", laggardTo),
                ],
                [
                    Citation.Text("riser", context.LayerName(up)),
                    Citation.Text("laggard", context.LayerName(flat)),
                    Citation.Whole("windowDays", windowDays),
                    Citation.Number("minRiseLevels", minRise),
                    Citation.Change("flatMaxChangeLevels", flatMax),
                ]),
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
