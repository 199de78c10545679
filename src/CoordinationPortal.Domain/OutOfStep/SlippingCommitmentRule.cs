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
        var today = context.Today.DayNumber;
        var overdue = Overdue(context.Facts.Commitments, today);
        if (overdue.Length == 0)
        {
            return [];
        }

        var margin = rule.Number("marginLevels");
        var mediumAfter = rule.Settings.ContainsKey("mediumAfterDays") ? rule.Days("mediumAfterDays") : (int?)null;
        var highAfter = rule.Settings.ContainsKey("highAfterDays") ? rule.Days("highAfterDays") : (int?)null;

        // Decided on the levels as cited (one decimal), so the flag's own figures always bear it out.
        var extremes = CitedExtremes(context);
        (Citation Name, Citation Level, Citation Margin)? strongest = null;
        var citations = default(CitationBuffer);
        var findings = new List<Finding>(overdue.Length);
        foreach (var item in overdue)
        {
            var daysOverdue = today - item.DueDate.DayNumber;
            var dueDate = StalenessRule.AsNumber(item.DueDate);
            var cited = 4;
            Figure[] figures;
            LocalizedText template;
            if (context.Level(item.Layer) is not { } unrounded || extremes is not { } known)
            {
                template = rule.Cases[NotAssessedCase];
                figures = [new("daysOverdue", daysOverdue), new("dueDate", dueDate)];
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
                figures =
                [
                    new("daysOverdue", daysOverdue), new("dueDate", dueDate),
                    new("layerLevel", level), new("strongestLevel", known.High), new("gapLevels", gap),
                ];

                // The same for every item of the agency: worked out once.
                var (name, high, marginCited) = strongest ??= (
                    Citation.Text("strongest", context.LayerName(known.Highest)),
                    Citation.Number("strongestLevel", known.High),
                    Citation.Number("marginLevels", margin));
                citations[4] = name;
                citations[5] = high;
                citations[6] = marginCited;
                citations[7] = Citation.Number("layerLevel", level);
                citations[8] = Citation.Number("gapLevels", gap);
                cited = 9;
            }

            citations[0] = Citation.Verbatim("title", item.Title);
            citations[1] = Citation.Date("dueDate", item.DueDate);
            citations[2] = Citation.Whole("daysOverdue", daysOverdue);
            citations[3] = Citation.Text("layer", context.LayerName(item.Layer));
            findings.Add(new Finding(
                rule.Id,
                rule.Kind,
                item.ActionItemId.ToString("D"),
                Severity(rule.Severity, daysOverdue, mediumAfter, highAfter),
                [item.Layer],
                figures,
                Citation.Fill(template, ((ReadOnlySpan<Citation>)citations)[..cited])));
        }

        return findings;
    }

    /// <summary>
    /// The strongest and the weakest assessed layer by their levels as cited (one decimal; on a tie the first in framework
    /// order), as <see cref="RuleContext.Extremes"/> finds them, without a delegate per agency; null when none is assessed.
    /// </summary>
    private static LayerExtremes? CitedExtremes(RuleContext context)
    {
        LayerExtremes? found = null;
        foreach (var layer in Layers.All)
        {
            if (context.Level(layer) is not { } unrounded)
            {
                continue;
            }

            var level = Citation.OneDecimal(unrounded);
            var f = found ?? new LayerExtremes(layer, level, layer, level);
            if (level > f.High)
            {
                f = f with { Highest = layer, High = level };
            }

            if (level < f.Low)
            {
                f = f with { Lowest = layer, Low = level };
            }

            found = f;
        }

        return found;
    }

    /// <summary>Room for the nine citations of one finding, on the stack.</summary>
    [System.Runtime.CompilerServices.InlineArray(9)]
    private struct CitationBuffer
    {
        private Citation _first;
    }

    /// <summary>The commitments at least one day past their due date, the longest overdue first (then by id).</summary>
    private static Commitment[] Overdue(IReadOnlyList<Commitment> commitments, int today)
    {
        var count = 0;
        for (var i = 0; i < commitments.Count; i++)
        {
            count += today - commitments[i].DueDate.DayNumber >= 1 ? 1 : 0;
        }

        if (count == 0)
        {
            return [];
        }

        var overdue = new Commitment[count];
        count = 0;
        for (var i = 0; i < commitments.Count; i++)
        {
            if (today - commitments[i].DueDate.DayNumber >= 1)
            {
                overdue[count++] = commitments[i];
            }
        }

        if (overdue.Length > 1)
        {
            Array.Sort(overdue, static (a, b) => a.DueDate != b.DueDate ? a.DueDate.CompareTo(b.DueDate) : a.ActionItemId.CompareTo(b.ActionItemId));
        }

        return overdue;
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
