using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Scoring;

namespace CoordinationPortal.Domain.Briefings;

/// <summary>On average over <see cref="Agencies"/> agencies, <see cref="Lead"/> is <see cref="MeanLevels"/> levels above <see cref="Lag"/>.</summary>
public sealed record LayerGap(Layer Lead, Layer Lag, double MeanLevels, int Agencies);

/// <summary>How many open flags a scope has of each severity.</summary>
public sealed record SeverityTally(int High, int Medium, int Low)
{
    public static SeverityTally None { get; } = new(0, 0, 0);

    public int Total => High + Medium + Low;

    public static SeverityTally Of(IEnumerable<FlagSeverity> severities)
    {
        var list = severities.ToList();
        return new SeverityTally(list.Count(s => s == FlagSeverity.High), list.Count(s => s == FlagSeverity.Medium), list.Count(s => s == FlagSeverity.Low));
    }
}

/// <summary>A rule and how many of the scope's open flags it raised.</summary>
public sealed record RuleCount(string RuleId, int Count);

/// <summary>A layer's average score then (at the end of the last closed quarter) and now.</summary>
public sealed record LayerChange(Layer Layer, double Then, double Now)
{
    public double Delta => Now - Then;
}

/// <summary>
/// What the executive summary is written from: the scope's agencies now, their layer averages now and at the end of the
/// last closed quarter, its widest lead gap and its open flags (the rule of each, and the tally by severity).
/// </summary>
public sealed record SummaryFacts(
    int Agencies,
    int FullyAssessed,
    double? AverageBalanced,
    LayerScores AveragesNow,
    LayerScores AveragesThen,
    LayerGap? LargestGap,
    IReadOnlyList<string> OpenFlagRules,
    SeverityTally OpenFlags);

/// <summary>
/// The numbers the summary's sentences state. <see cref="Strongest"/> and <see cref="Weakest"/> are null unless at
/// least two layers have an average and they differ; <see cref="Compared"/> is false when no layer had an average at
/// the end of the last quarter; <see cref="LargestRise"/> and <see cref="LargestFall"/> are the layers that moved most
/// each way by at least <see cref="ExecutiveSummary.SteadyPoints"/> (null when none did).
/// </summary>
public sealed record SummaryPoints(
    int Agencies,
    int FullyAssessed,
    double? AverageBalanced,
    Layer? Strongest,
    double? StrongestScore,
    Layer? Weakest,
    double? WeakestScore,
    LayerGap? LargestGap,
    RuleCount? CommonestRule,
    SeverityTally OpenFlags,
    bool Compared,
    LayerChange? LargestRise,
    LayerChange? LargestFall);

/// <summary>
/// The facts behind a briefing's one-paragraph executive summary, decided without words: the briefing's template
/// words them in its language.
/// </summary>
public static class ExecutiveSummary
{
    /// <summary>A layer average that moved by less than this (points of 100) since the last quarter is steady.</summary>
    public const double SteadyPoints = 0.5;

    public static SummaryPoints From(SummaryFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var now = Layers.All.Where(l => facts.AveragesNow[l] is not null).Select(l => (Layer: l, Score: facts.AveragesNow[l]!.Value)).ToList();

        // Display order breaks ties, so the same data always names the same layer.
        var strongest = now.Count >= 2 ? now.OrderByDescending(x => x.Score).ThenBy(x => x.Layer).First() : default;
        var weakest = now.Count >= 2 ? now.OrderBy(x => x.Score).ThenBy(x => x.Layer).First() : default;
        var distinct = now.Count >= 2 && strongest.Score > weakest.Score;

        var changes = Layers.All
            .Where(l => facts.AveragesNow[l] is not null && facts.AveragesThen[l] is not null)
            .Select(l => new LayerChange(l, facts.AveragesThen[l]!.Value, facts.AveragesNow[l]!.Value))
            .ToList();
        var rise = changes.Where(c => c.Delta >= SteadyPoints).OrderByDescending(c => c.Delta).ThenBy(c => c.Layer).FirstOrDefault();
        var fall = changes.Where(c => c.Delta <= -SteadyPoints).OrderBy(c => c.Delta).ThenBy(c => c.Layer).FirstOrDefault();

        return new SummaryPoints(
            facts.Agencies,
            facts.FullyAssessed,
            facts.AverageBalanced,
            distinct ? strongest.Layer : null,
            distinct ? strongest.Score : null,
            distinct ? weakest.Layer : null,
            distinct ? weakest.Score : null,
            facts.LargestGap,
            CommonestRule(facts.OpenFlagRules),
            facts.OpenFlags,
            changes.Count > 0,
            rise,
            fall);
    }

    /// <summary>The rule behind the most open flags (the first in ordinal order on a tie), or null with none open.</summary>
    public static RuleCount? CommonestRule(IEnumerable<string> openFlagRules) => openFlagRules
        .GroupBy(r => r, StringComparer.Ordinal)
        .Select(g => new RuleCount(g.Key, g.Count()))
        .OrderByDescending(r => r.Count)
        .ThenBy(r => r.RuleId, StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>Each layer's average over the agencies that have it scored; null for a layer none has.</summary>
    public static LayerScores Averages(IEnumerable<LayerScores> agencies)
    {
        var list = agencies.ToList();
        return LayerScores.From(layer =>
        {
            var scored = list.Where(s => s[layer] is not null).Select(s => s[layer]!.Value).ToList();
            return scored.Count == 0 ? null : scored.Average();
        });
    }

    /// <summary>
    /// The instant a quarter closes: the start of the day after its due date, at the portal's offset that day
    /// (<paramref name="offsetAt"/>). An assessment made earlier counts towards the quarter.
    /// </summary>
    public static DateTimeOffset QuarterClose(AssessmentCycle quarter, Func<DateOnly, TimeSpan> offsetAt)
    {
        ArgumentNullException.ThrowIfNull(quarter);
        ArgumentNullException.ThrowIfNull(offsetAt);
        var nextDay = quarter.DueDate.AddDays(1);
        return new DateTimeOffset(nextDay.ToDateTime(TimeOnly.MinValue), offsetAt(nextDay));
    }

    /// <summary>
    /// Each layer's average over the agencies whose histories (<paramref name="histories"/>, one per agency) held an
    /// assessment before <paramref name="before"/>, scored as their levels stood then. The briefing's and the landing
    /// page's "change since last quarter" both come from here.
    /// </summary>
    public static LayerScores AveragesBefore(IEnumerable<IEnumerable<LevelChange>> histories, DateTimeOffset before, ReadinessFramework framework) =>
        Averages(histories
            .Select(history => LevelsBefore(history, before))
            .Where(levels => levels.Count > 0)
            .Select(levels => Scores.Layers(framework, levels)));

    /// <summary>
    /// An agency's indicator levels as they stood just before <paramref name="before"/> (the start of the day after a
    /// quarter's due date): the latest assessment of each indicator made earlier, in business time.
    /// </summary>
    public static IReadOnlyDictionary<string, int> LevelsBefore(IEnumerable<LevelChange> changes, DateTimeOffset before)
    {
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var change in changes.Where(c => c.At < before).OrderBy(c => c.At))
        {
            levels[change.IndicatorId] = change.Level;
        }

        return levels;
    }
}
