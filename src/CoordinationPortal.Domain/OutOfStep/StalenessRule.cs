namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// <c>staleness</c>: a layer last assessed more than <c>staleDays</c> days before the moment evaluated, while at least
/// one other layer was assessed within <c>staleDays</c>. One flag per stale layer (the subject is the layer). Days are
/// counted between calendar dates in the offset of the moment evaluated. The flag cites the date of the last
/// assessment, never "N days ago", so it does not change from one day to the next; its figure
/// <c>lastAssessedDate</c> is that date as the number yyyyMMdd (20250603 for 3 June 2025).
/// </summary>
public static class StalenessRule
{
    public const string KindName = "staleness";

    public static RuleKind Kind { get; } = new(
        KindName,
        Evaluate,
        [new("staleDays", SettingType.Days, Min: 1, Max: 3660)],
        [new(RuleText.Explanation, ["layer", "lastAssessed", "staleDays"])]);

    public static IEnumerable<Finding> Evaluate(RuleDefinition rule, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(context);
        var staleDays = rule.Days("staleDays");
        var today = context.Today.DayNumber;
        var offset = context.Facts.At.Offset;
        Span<int> assessedOn = stackalloc int[Layers.All.Count];
        var anyFresh = false;
        var anyStale = false;
        foreach (var layer in Layers.All)
        {
            var day = context.LastAssessed(layer) is { } last ? DateOnly.FromDateTime(last.ToOffset(offset).DateTime).DayNumber : -1;
            assessedOn[(int)layer] = day;
            if (day >= 0)
            {
                anyFresh |= today - day <= staleDays;
                anyStale |= today - day > staleDays;
            }
        }

        if (!anyFresh || !anyStale)
        {
            return [];
        }

        var findings = new List<Finding>(1);
        foreach (var layer in Layers.All)
        {
            var day = assessedOn[(int)layer];
            if (day < 0 || today - day <= staleDays)
            {
                continue;
            }

            findings.Add(new Finding(
                rule.Id,
                rule.Kind,
                layer.ToString(),
                rule.Severity,
                [layer],
                [new Figure("lastAssessedDate", AsNumber(DateOnly.FromDayNumber(day)))],
                Citation.Fill(
                    rule.Explanation,
                    Citation.Text("layer", context.LayerName(layer)),
                    Citation.Date("lastAssessed", DateOnly.FromDayNumber(day)),
                    Citation.Whole("staleDays", staleDays))));
        }

        return findings;
    }

    /// <summary>A date as the number its ISO digits spell (yyyyMMdd): 3 June 2025 is 20250603.</summary>
    internal static int AsNumber(DateOnly date) => (date.Year * 10_000) + (date.Month * 100) + date.Day;
}
