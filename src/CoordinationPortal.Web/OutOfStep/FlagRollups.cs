using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Components.Common;
using Marten;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>A lead rule's two layers: <see cref="Lead"/> should not run ahead of <see cref="Lag"/>.</summary>
public sealed record LeadPair(Layer Lead, Layer Lag);

/// <summary>How many open flags there are of each severity.</summary>
public sealed record SeverityCounts(int Low, int Medium, int High)
{
    public static SeverityCounts None { get; } = new(0, 0, 0);

    public int Total => Low + Medium + High;

    public int this[FlagSeverity severity] => severity switch
    {
        FlagSeverity.Low => Low,
        FlagSeverity.Medium => Medium,
        FlagSeverity.High => High,
        _ => 0,
    };

    public SeverityCounts Add(FlagSeverity severity) => severity switch
    {
        FlagSeverity.Low => this with { Low = Low + 1 },
        FlagSeverity.Medium => this with { Medium = Medium + 1 },
        FlagSeverity.High => this with { High = High + 1 },
        _ => this,
    };

    public static SeverityCounts Of(IEnumerable<FlagSeverity> severities) => severities.Aggregate(None, (c, s) => c.Add(s));
}

/// <summary>On average over <see cref="Agencies"/> agencies with both layers scored, Lead is <see cref="MeanLevels"/> levels above Lag.</summary>
public sealed record LeadGap(LeadPair Pair, double MeanLevels, int Agencies);

/// <summary>The group's average of each index, over the <see cref="Agencies"/> agencies with all five layers scored.</summary>
public sealed record IndexAverages(double Mean, double Geometric, double Balanced, int Agencies)
{
    /// <summary>What imbalance costs the group on average: mean minus balanced.</summary>
    public double ImbalancePenalty => Mean - Balanced;
}

/// <summary>One sector or jurisdiction: its agencies, how many are flagged, its open flags and its widest lead gap.</summary>
public sealed record GroupRollup(
    string Code,
    int Agencies,
    int Flagged,
    SeverityCounts OpenFlags,
    LeadGap? LargestGap,
    IndexAverages? Indices);

/// <summary>The portfolio's open flags at the end of <see cref="Date"/>.</summary>
public sealed record FlagTrendPoint(DateOnly Date, SeverityCounts Open);

/// <summary>
/// Roll-ups of flags and scores by sector and jurisdiction, and the portfolio's flag trend. Pure functions of plain
/// lists, so they are tested without storage; <see cref="FlagRollupQueries"/> loads the lists.
/// </summary>
public static class FlagRollups
{
    public const int TrendMonths = 18;

    /// <summary>The smallest mean gap reported: anything less shows as 0.0 levels.</summary>
    public const double MinReportedGap = 0.05;

    /// <summary>The layer pairs of the enabled lead rules, in rules-file order, each pair once.</summary>
    public static IReadOnlyList<LeadPair> LeadPairs(RuleSet rules) => rules.Active
        .Where(r => r.Kind == LeadRule.KindName)
        .Select(r => new LeadPair(r.Layer("lead"), r.Layer("lag")))
        .Distinct()
        .ToList();

    /// <summary>
    /// One roll-up per group (<paramref name="groupOf"/>: the sector or the jurisdiction) of the listed agencies and
    /// their <paramref name="openFlags"/> (the caller passes open flags only). Ordered by the share of agencies
    /// flagged, then by open flags, then by code.
    /// </summary>
    public static IReadOnlyList<GroupRollup> ByGroup(
        IReadOnlyList<AgencySummary> agencies,
        IReadOnlyList<Flag> openFlags,
        Func<AgencySummary, string> groupOf,
        IReadOnlyList<LeadPair> pairs)
    {
        var openByAgency = openFlags
            .GroupBy(f => f.AgencyId)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Severity).ToList());

        return agencies
            .GroupBy(groupOf, StringComparer.Ordinal)
            .Select(g =>
            {
                var members = g.ToList();
                var severities = members.SelectMany(a => openByAgency.GetValueOrDefault(a.Id) ?? []).ToList();
                return new GroupRollup(
                    g.Key,
                    members.Count,
                    members.Count(a => openByAgency.ContainsKey(a.Id)),
                    SeverityCounts.Of(severities),
                    LargestGap(members, pairs),
                    Indices(members));
            })
            .OrderByDescending(r => (double)r.Flagged / r.Agencies)
            .ThenByDescending(r => r.OpenFlags.Total)
            .ThenBy(r => r.Code, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// For each pair, the mean of level(lead) − level(lag) over the agencies that have both layers scored; the largest
    /// positive one (the first pair wins a tie), or null when no lead layer is ahead on average by at least
    /// <see cref="MinReportedGap"/>.
    /// </summary>
    public static LeadGap? LargestGap(IEnumerable<AgencySummary> agencies, IReadOnlyList<LeadPair> pairs)
    {
        var scores = agencies.Select(a => a.LayerScores()).ToList();
        LeadGap? largest = null;
        foreach (var pair in pairs)
        {
            var gaps = scores
                .Where(s => s[pair.Lead] is not null && s[pair.Lag] is not null)
                .Select(s => Scores.AsLevel(s[pair.Lead]!.Value) - Scores.AsLevel(s[pair.Lag]!.Value))
                .ToList();
            if (gaps.Count == 0)
            {
                continue;
            }

            // A gap that would read as "0.0 levels" is no lag at all.
            var mean = gaps.Average();
            if (mean >= MinReportedGap && (largest is null || mean > largest.MeanLevels))
            {
                largest = new LeadGap(pair, mean, gaps.Count);
            }
        }

        return largest;
    }

    /// <summary>The average of each index over the agencies that have all three, or null when none has.</summary>
    public static IndexAverages? Indices(IEnumerable<AgencySummary> agencies)
    {
        var complete = agencies
            .Where(a => a.MeanIndex is not null && a.GeometricIndex is not null && a.BalancedIndex is not null)
            .ToList();
        return complete.Count == 0
            ? null
            : new IndexAverages(
                complete.Average(a => a.MeanIndex!.Value),
                complete.Average(a => a.GeometricIndex!.Value),
                complete.Average(a => a.BalancedIndex!.Value),
                complete.Count);
    }

    /// <summary>
    /// The last <paramref name="months"/> month ends up to <paramref name="today"/>, oldest first; the current month's
    /// point is today (as in the agency trend).
    /// </summary>
    public static IReadOnlyList<DateOnly> MonthEnds(DateOnly today, int months)
    {
        var current = new DateOnly(today.Year, today.Month, 1);
        return Enumerable.Range(0, months)
            .Select(i => current.AddMonths(i - months + 1))
            .Select(first => first.AddMonths(1).AddDays(-1))
            .Select(end => end < today ? end : today)
            .ToList();
    }

    /// <summary>
    /// Open flags by severity at the end of each of the last <paramref name="months"/> months. A flag counts at t, the
    /// end of the day (at <paramref name="offset"/> from UTC), for each episode with RaisedAt ≤ t &lt; ResolvedAt, at that
    /// episode's severity: raised during the day counts, resolved during the day does not, and an event at the next
    /// midnight belongs to the next day.
    /// </summary>
    public static IReadOnlyList<FlagTrendPoint> Trend(IReadOnlyList<Flag> flags, DateOnly today, TimeSpan offset, int months = TrendMonths)
    {
        var episodes = flags.SelectMany(f => f.Episodes).ToList();
        return MonthEnds(today, months)
            .Select(date =>
            {
                var nextDay = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), offset);
                return new FlagTrendPoint(date, SeverityCounts.Of(episodes
                    .Where(e => e.RaisedAt < nextDay && (e.ResolvedAt is null || e.ResolvedAt >= nextDay))
                    .Select(e => e.Severity)));
            })
            .ToList();
    }

    /// <summary>
    /// The raisings and resolutions of an agency's flags as trend-chart markers, oldest first. <paramref name="describe"/>
    /// names the flag in an episode (rule title and severity, in the current language); <paramref name="dateOf"/> gives
    /// the portal's calendar date of an instant.
    /// </summary>
    public static IReadOnlyList<TrendMarker> Markers(
        IReadOnlyList<Flag> flags, Func<Flag, FlagEpisode, string> describe, Func<DateTimeOffset, DateOnly> dateOf)
    {
        var markers = new List<(DateTimeOffset At, TrendMarker Marker)>();
        foreach (var flag in flags)
        {
            foreach (var episode in flag.Episodes)
            {
                var text = describe(flag, episode);
                markers.Add((episode.RaisedAt, new TrendMarker(dateOf(episode.RaisedAt), TrendMarkerKind.Raised, text)));
                if (episode.ResolvedAt is { } resolved)
                {
                    markers.Add((resolved, new TrendMarker(dateOf(resolved), TrendMarkerKind.Resolved, text)));
                }
            }
        }

        return markers.OrderBy(m => m.At).Select(m => m.Marker).ToList();
    }
}

/// <summary>What the roll-up page shows.</summary>
public sealed record FlagRollupView(
    IReadOnlyList<GroupRollup> Sectors,
    IReadOnlyList<GroupRollup> Jurisdictions,
    IReadOnlyList<FlagTrendPoint> Trend,
    int Agencies,
    int Flagged,
    SeverityCounts OpenFlags);

/// <summary>Loads the flag and summary documents the roll-ups are computed from.</summary>
public sealed class FlagRollupQueries(IQuerySession session, PortalClock clock)
{
    public async Task<FlagRollupView> RollupsAsync(IReadOnlyList<LeadPair> pairs, CancellationToken ct)
    {
        var agencies = await session.Query<AgencySummary>().ToListAsync(ct);

        // Every flag open now or last resolved after the first point of the trend: the episodes of any other flag all
        // ended before the window.
        var today = clock.Today;
        var first = FlagRollups.MonthEnds(today, FlagRollups.TrendMonths)[0];
        var windowStart = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), clock.OffsetAt(first));
        var flags = await session.Query<Flag>()
            .Where(f => f.Status != FlagStatus.Resolved || f.ResolvedAt >= windowStart)
            .ToListAsync(ct);

        var known = agencies.Select(a => a.Id).ToHashSet();
        flags = flags.Where(f => known.Contains(f.AgencyId)).ToList();
        var open = flags.Where(f => f.IsOpen).ToList();
        return new FlagRollupView(
            FlagRollups.ByGroup(agencies, open, a => a.Sector, pairs),
            FlagRollups.ByGroup(agencies, open, a => a.Jurisdiction, pairs),
            FlagRollups.Trend(flags, today, clock.OffsetAt(today)),
            agencies.Count,
            open.Select(f => f.AgencyId).Distinct().Count(),
            SeverityCounts.Of(open.Select(f => f.Severity)));
    }
}
