namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// <c>slipping-commitment</c>: an action item the agency owns (<see cref="AgencyFacts.Commitments"/>: neither done nor
/// dropped) is past its due date (at least one day overdue: due before the day evaluated) on a layer that is the
/// agency's weakest or lags its strongest layer by at least <c>marginLevels</c>. One flag per action item (the subject
/// is the item's id, "D" format; the layers are the item's layer). It resolves when the item is no longer supplied
/// (done or dropped), or its layer is neither the weakest nor lagging any more.
/// <para>
/// The weakest layer is the lowest level among the assessed layers, ties counting (two layers at the lowest level are
/// both weakest; with one layer assessed it is the weakest). Levels are compared as the flag cites them (one
/// decimal), as the lead and spread rules do, and the gap is "at least" the margin (exactly at it is lagging).
/// A layer that has no level (nothing in it assessed) counts: nothing shows it is being caught up, so an overdue
/// commitment on it is flagged and explained with the <c>notAssessed</c> case. It does not change which of the
/// assessed layers is the weakest. A weakest layer is explained with the rule's explanation, a layer lagging by the
/// margin that is not the weakest with the <c>lagging</c> case.
/// </para>
/// <para>
/// Severity: the rule's severity from one day overdue, raised to Medium from <c>mediumAfterDays</c> and to High from
/// <c>highAfterDays</c> days overdue (each optional; never lowered below the rule's severity). Days are counted between
/// calendar dates in the offset of the moment evaluated, as staleness counts them.
/// </para>
/// <para>
/// Figures: <c>daysOverdue</c>, <c>dueDate</c> (the number yyyyMMdd, as staleness cites dates), and for an assessed
/// layer <c>layerLevel</c>, <c>strongestLevel</c> and <c>gapLevels</c>. Unlike the other kinds, this flag cites a
/// figure that moves with the calendar: days overdue grows by one each day, so an open flag is updated
/// (<see cref="FlagUpdated"/>) once a day, by the first evaluation of the day. That is deliberate: how late the item
/// is is the point of the flag, and the update carries no notification (only raising and resolving notify).
/// </para>
/// <para>
/// The item's title is user text. It is cited verbatim in both languages; <see cref="Citation.Fill"/> reads
/// placeholders only in the rule's template, never in a cited value, so a title such as "{layer}" is shown as typed.
/// </para>
/// </summary>
public static class SlippingCommitmentRule
{
    public const string KindName = "slipping-commitment";
    public const string LaggingCase = "lagging";
    public const string NotAssessedCase = "notAssessed";

    private static readonly string[] Common = ["title", "dueDate", "daysOverdue", "layer"];
    private static readonly string[] Levels = [.. Common, "layerLevel", "strongest", "strongestLevel", "gapLevels", "marginLevels"];

    public static RuleKind Kind { get; } = new(
        KindName,
        Evaluate,
        [
            new("marginLevels", SettingType.Number, Min: 0, Max: 4),
            new("mediumAfterDays", SettingType.Days, Required: false, Min: 1, Max: 3660),
            new("highAfterDays", SettingType.Days, Required: false, Min: 1, Max: 3660),
        ],
        [
            new(RuleText.Explanation, Levels),
            new(LaggingCase, Levels),
            new(NotAssessedCase, Common),
        ],
        Check);

    public static IEnumerable<Finding> Evaluate(RuleDefinition rule, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(context);
        var commitments = context.Facts.Commitments;
        var today = context.Today.DayNumber;
        if (!commitments.Any(c => today - c.DueDate.DayNumber >= 1))
        {
            return [];
        }

        var margin = rule.Number("marginLevels");
        var mediumAfter = rule.Settings.ContainsKey("mediumAfterDays") ? rule.Days("mediumAfterDays") : (int?)null;
        var highAfter = rule.Settings.ContainsKey("highAfterDays") ? rule.Days("highAfterDays") : (int?)null;

        // Decided on the levels as cited (one decimal), so the flag's own figures always bear it out.
        var extremes = RuleContext.Extremes(layer => context.Level(layer) is { } level ? Citation.OneDecimal(level) : null);
        var findings = new List<Finding>();
        foreach (var item in commitments.OrderBy(c => c.DueDate).ThenBy(c => c.ActionItemId))
        {
            var daysOverdue = today - item.DueDate.DayNumber;
            if (daysOverdue < 1)
            {
                continue;
            }

            var severity = Severity(rule.Severity, daysOverdue, mediumAfter, highAfter);
            List<Figure> figures =
            [
                new("daysOverdue", daysOverdue),
                new("dueDate", StalenessRule.AsNumber(item.DueDate)),
            ];
            List<Citation> citations =
            [
                Citation.Verbatim("title", item.Title),
                Citation.Date("dueDate", item.DueDate),
                Citation.Whole("daysOverdue", daysOverdue),
                Citation.Text("layer", context.LayerName(item.Layer)),
            ];

            LocalizedText template;
            if (context.Level(item.Layer) is not { } unrounded || extremes is not { } known)
            {
                template = rule.Cases[NotAssessedCase];
            }
            else
            {
                var level = Citation.OneDecimal(unrounded);
                var gap = Citation.OneDecimal(known.High - level);
                var weakest = Thresholds.AtMost(level, known.Low);
                if (!weakest && !Thresholds.AtLeast(gap, margin))
                {
                    continue;
                }

                template = weakest ? rule.Explanation : rule.Cases[LaggingCase];
                figures.AddRange([new("layerLevel", level), new("strongestLevel", known.High), new("gapLevels", gap)]);
                citations.AddRange(
                [
                    Citation.Number("layerLevel", level),
                    Citation.Text("strongest", context.LayerName(known.Highest)),
                    Citation.Number("strongestLevel", known.High),
                    Citation.Number("gapLevels", gap),
                    Citation.Number("marginLevels", margin),
                ]);
            }

            findings.Add(new Finding(
                rule.Id,
                rule.Kind,
                item.ActionItemId.ToString("D"),
                severity,
                [item.Layer],
                figures,
                Citation.Fill(template, [.. citations])));
        }

        return findings;
    }

    private static FlagSeverity Severity(FlagSeverity floor, int daysOverdue, int? mediumAfter, int? highAfter)
    {
        var escalated = daysOverdue >= highAfter ? FlagSeverity.High
            : daysOverdue >= mediumAfter ? FlagSeverity.Medium
            : floor;
        return escalated > floor ? escalated : floor;
    }

    private static IEnumerable<string> Check(RuleDefinition rule)
    {
        if (rule.Settings.ContainsKey("mediumAfterDays") && rule.Settings.ContainsKey("highAfterDays")
            && rule.Days("mediumAfterDays") >= rule.Days("highAfterDays"))
        {
            yield return "mediumAfterDays must be below highAfterDays.";
        }
    }
}
