namespace CoordinationPortal.Domain.Briefings;

/// <summary>
/// How much of a long table a briefing prints. A briefing of a thousand agencies must not become forty pages of table:
/// past <see cref="HeatmapLimit"/> rows the heatmap shows the <see cref="HeatmapShown"/> weakest and the rest go to the
/// CSV annex; past <see cref="FlagLimit"/> open flags the table shows that many, most severe first.
/// </summary>
public static class BriefingTables
{
    public const int HeatmapLimit = 50;

    public const int HeatmapShown = 25;

    public const int FlagLimit = 50;

    /// <summary>Agencies in heatmap order: lowest balanced index first, those without an index (not every layer assessed) last, then by name.</summary>
    public static IReadOnlyList<T> WeakestFirst<T>(IEnumerable<T> rows, Func<T, double?> balanced, Func<T, string> name) => rows
        .OrderBy(r => balanced(r) is null)
        .ThenBy(r => balanced(r) ?? 0)
        .ThenBy(name, StringComparer.Ordinal)
        .ToList();

    /// <summary>The rows the heatmap prints: all of them up to <see cref="HeatmapLimit"/>, else the <see cref="HeatmapShown"/> first.</summary>
    public static IReadOnlyList<T> HeatmapRows<T>(IReadOnlyList<T> weakestFirst) =>
        weakestFirst.Count > HeatmapLimit ? [.. weakestFirst.Take(HeatmapShown)] : weakestFirst;
}
