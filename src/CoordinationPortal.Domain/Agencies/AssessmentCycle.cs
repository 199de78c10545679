namespace CoordinationPortal.Domain.Agencies;

/// <summary>
/// Scorecards are reviewed every calendar quarter. A quarter's assessments are due on its last day; a
/// scorecard with no assessment in a quarter whose due date has passed is stale until it is assessed again.
/// </summary>
public sealed record AssessmentCycle(string Id, DateOnly Start, DateOnly DueDate)
{
    public static AssessmentCycle Containing(DateOnly date)
    {
        var quarter = ((date.Month - 1) / 3) + 1;
        var start = new DateOnly(date.Year, ((quarter - 1) * 3) + 1, 1);
        return new AssessmentCycle($"{date.Year}-Q{quarter}", start, start.AddMonths(3).AddDays(-1));
    }

    /// <summary>The latest cycle whose due date is before <paramref name="today"/>.</summary>
    public static AssessmentCycle LastClosedBefore(DateOnly today) => Containing(Containing(today).Start.AddDays(-1));

    public AssessmentCycle Next => Containing(DueDate.AddDays(1));
}
