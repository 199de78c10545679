using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Web.OutOfStep.Pages;

/// <summary>How the board gathers its rows: under each agency (the default), under each rule, or not at all.</summary>
public enum FlagGrouping
{
    Agency,
    Rule,
    None,
}

/// <summary>One group of the board: its key (an agency id or a rule id), its rows on this page, and its counts over every page.</summary>
public sealed record FlagGroup(string Key, IReadOnlyList<FlagRow> Rows, SeverityCounts Counts, int Total)
{
    public FlagRow First => Rows[0];
}

public static class FlagGroups
{
    public static string KeyOf(FlagRow row, FlagGrouping by) => by switch
    {
        FlagGrouping.Agency => row.Agency.Id.ToString(),
        FlagGrouping.Rule => row.Flag.RuleId,
        _ => "",
    };

    /// <summary>
    /// The rows of this page in groups, in the order the board is sorted in (a group comes where its first row comes,
    /// so with the urgency order the most urgent agency leads); each group counted over <paramref name="all"/> rows,
    /// so a group cut by the page end still says how many flags it has.
    /// </summary>
    public static IReadOnlyList<FlagGroup> Of(IReadOnlyList<FlagRow> page, IReadOnlyList<FlagRow> all, FlagGrouping by)
    {
        var counts = all.GroupBy(r => KeyOf(r, by))
            .ToDictionary(g => g.Key, g => (Counts: SeverityCounts.Of(g.Select(r => r.Flag.Severity)), Total: g.Count()), StringComparer.Ordinal);
        return page.GroupBy(r => KeyOf(r, by), StringComparer.Ordinal)
            .Select(g => new FlagGroup(g.Key, g.ToList(), counts[g.Key].Counts, counts[g.Key].Total))
            .ToList();
    }
}
