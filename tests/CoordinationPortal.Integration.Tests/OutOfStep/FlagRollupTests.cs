using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Components.Common;
using CoordinationPortal.Web.OutOfStep;

namespace CoordinationPortal.Integration.Tests.OutOfStep;

/// <summary>The roll-up and trend arithmetic, on plain lists: no database.</summary>
public sealed class FlagRollupTests
{
    private static readonly TimeSpan India = TimeSpan.FromHours(5.5);

    /// <summary>The lead rules of the seeded rules file (checked below).</summary>
    private static readonly IReadOnlyList<LeadPair> LeadPairs =
    [
        new(Layer.Compute, Layer.Data),
        new(Layer.Operations, Layer.Governance),
        new(Layer.Operations, Layer.Skills),
        new(Layer.Data, Layer.Governance),
    ];

    private static AgencySummary Agency(string sector, double? compute, double? data, double? governance = 50, double? skills = 50, double? operations = 50, string jurisdiction = "national") =>
        new()
        {
            Id = Guid.NewGuid(),
            Name = "Agency",
            Sector = sector,
            Jurisdiction = jurisdiction,
            Compute = compute,
            Data = data,
            Governance = governance,
            Skills = skills,
            Operations = operations,
        };

    private static AgencySummary WithIndices(AgencySummary agency, double mean, double geometric, double balanced) =>
        agency with { MeanIndex = mean, GeometricIndex = geometric, BalancedIndex = balanced };

    private static DateTimeOffset At(int year, int month, int day, int hour = 12, int minute = 0) => new(year, month, day, hour, minute, 0, India);

    private static FlagRaised Raised(Guid agencyId, string ruleId, FlagSeverity severity, DateTimeOffset at, int occurrence = 1)
    {
        var id = FlagIds.For(agencyId, ruleId, "");
        return new FlagRaised(id, agencyId, ruleId, "lead", "", severity, [Layer.Compute, Layer.Data], [new Figure("gap", 2)],
            new LocalizedText("Compute is ahead of data", "कंप्यूट डेटा से आगे है"), occurrence, at);
    }

    private static Flag Fold(params object[] events) => Flag.Fold(events)!;

    private static Flag OpenFlag(Guid agencyId, string ruleId, FlagSeverity severity, DateTimeOffset at) => Fold(Raised(agencyId, ruleId, severity, at));

    private static Flag ResolvedFlag(Guid agencyId, string ruleId, FlagSeverity severity, DateTimeOffset raised, DateTimeOffset resolved)
    {
        var e = Raised(agencyId, ruleId, severity, raised);
        return Fold(e, new FlagResolved(e.FlagId, ResolutionReason.ConditionCleared, resolved));
    }

    [Fact]
    public void the_pairs_compared_are_those_of_the_enabled_lead_rules()
    {
        var seeded = RuleSetParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-data", "out-of-step-rules.json")));
        Assert.Equal(LeadPairs, FlagRollups.LeadPairs(seeded));

        var withoutFirst = seeded with
        {
            Rules = seeded.Rules.Select(r => r.Id == "compute-leads-data" ? r with { Enabled = false } : r).ToList(),
        };
        Assert.Equal(LeadPairs.Skip(1), FlagRollups.LeadPairs(withoutFirst));
    }

    [Fact]
    public void the_largest_gap_is_the_mean_level_difference_of_the_lead_pair_furthest_apart()
    {
        // Compute − Data in levels: (75 − 25)/25 = 2.0 and (50 − 40)/25 = 0.4 → mean 1.2. The third agency has no Data score.
        // Operations − Governance: 0, 0, 0.8 → mean 0.27. Data − Governance: −1.0, −0.4 → negative, never reported.
        var agencies = new[]
        {
            Agency("health", 75, 25),
            Agency("health", 50, 40),
            Agency("health", 100, null, governance: 30, operations: 50),
        };

        var gap = FlagRollups.LargestGap(agencies, LeadPairs);

        Assert.NotNull(gap);
        Assert.Equal(new LeadPair(Layer.Compute, Layer.Data), gap.Pair);
        Assert.Equal(1.2, gap.MeanLevels, 9);
        Assert.Equal(2, gap.Agencies);
    }

    [Fact]
    public void a_pair_further_apart_wins_even_when_listed_later()
    {
        var agencies = new[] { Agency("energy", 50, 45, governance: 25, operations: 100) };

        var gap = FlagRollups.LargestGap(agencies, LeadPairs);

        Assert.Equal(new LeadPair(Layer.Operations, Layer.Governance), gap!.Pair);
        Assert.Equal(3.0, gap.MeanLevels, 9);
    }

    [Fact]
    public void no_gap_is_reported_when_no_lead_layer_is_ahead_on_average_or_nothing_is_scored()
    {
        Assert.Null(FlagRollups.LargestGap([Agency("x", 25, 75, governance: 100, operations: 25, skills: 50)], LeadPairs));
        Assert.Null(FlagRollups.LargestGap([Agency("x", 50, 50, 50, 50, 50)], LeadPairs));
        Assert.Null(FlagRollups.LargestGap([Agency("x", 51, 50, 50, 50, 50)], LeadPairs)); // 0.04 levels would read "0.0"
        Assert.Equal(0.08, FlagRollups.LargestGap([Agency("x", 52, 50, 50, 50, 50)], LeadPairs)!.MeanLevels, 9);
        Assert.Null(FlagRollups.LargestGap([Agency("x", null, null, null, null, null)], LeadPairs));
        Assert.Null(FlagRollups.LargestGap([], LeadPairs));
    }

    [Fact]
    public void groups_count_agencies_flagged_agencies_and_open_flags_by_severity()
    {
        var a = Agency("health", 75, 25);
        var b = Agency("health", 50, 50);
        var c = Agency("health", 50, 50);
        var d = Agency("finance", 50, 50);
        var stranger = Guid.NewGuid(); // a flag of an agency not in the list is not counted anywhere
        var acknowledged = Fold(
            Raised(b.Id, "spread", FlagSeverity.Medium, At(2026, 1, 2)),
            new FlagAcknowledged(FlagIds.For(b.Id, "spread", ""), "Working on it", "lead@portal.local", At(2026, 1, 3)));
        var flags = new[]
        {
            OpenFlag(a.Id, "compute-leads-data", FlagSeverity.High, At(2026, 1, 1)),
            OpenFlag(a.Id, "staleness", FlagSeverity.Low, At(2026, 1, 1)),
            acknowledged,
            OpenFlag(stranger, "spread", FlagSeverity.High, At(2026, 1, 1)),
        };

        // The roll-ups are given open flags only (acknowledged ones are open too).
        var rows = FlagRollups.ByGroup([a, b, c, d], flags, x => x.Sector, LeadPairs);

        Assert.Equal(["health", "finance"], rows.Select(r => r.Code).ToList());
        var health = rows[0];
        Assert.Equal(3, health.Agencies);
        Assert.Equal(2, health.Flagged);
        Assert.Equal(new SeverityCounts(Low: 1, Medium: 1, High: 1), health.OpenFlags);
        Assert.Equal(3, health.OpenFlags.Total);
        Assert.Equal(new LeadPair(Layer.Compute, Layer.Data), health.LargestGap!.Pair);
        Assert.Equal(2.0 / 3, health.LargestGap.MeanLevels, 9);
        var finance = rows[1];
        Assert.Equal(1, finance.Agencies);
        Assert.Equal(0, finance.Flagged);
        Assert.Equal(SeverityCounts.None, finance.OpenFlags);
        Assert.Null(finance.LargestGap);
    }

    [Fact]
    public void groups_by_jurisdiction_use_the_same_counts()
    {
        var a = Agency("health", 75, 25, jurisdiction: "IN-KA");
        var b = Agency("finance", 75, 25, jurisdiction: "IN-KA");
        var c = Agency("finance", 75, 25, jurisdiction: "national");

        var rows = FlagRollups.ByGroup([a, b, c], [OpenFlag(b.Id, "spread", FlagSeverity.High, At(2026, 1, 1))], x => x.Jurisdiction, LeadPairs);

        var karnataka = Assert.Single(rows, r => r.Code == "IN-KA");
        Assert.Equal((2, 1), (karnataka.Agencies, karnataka.Flagged));
        Assert.Equal((1, 0), (rows.Single(r => r.Code == "national").Agencies, rows.Single(r => r.Code == "national").Flagged));
    }

    [Fact]
    public void group_indices_average_the_agencies_with_all_three_and_show_the_penalty()
    {
        var agencies = new[]
        {
            WithIndices(Agency("x", 50, 50), mean: 60, geometric: 50, balanced: 40),
            WithIndices(Agency("x", 50, 50), mean: 40, geometric: 40, balanced: 40),
            Agency("x", 50, null), // incomplete: left out
        };

        var indices = FlagRollups.Indices(agencies);

        Assert.Equal(new IndexAverages(50, 45, 40, 2), indices);
        Assert.Equal(10, indices!.ImbalancePenalty, 9);
        Assert.Null(FlagRollups.Indices([Agency("x", 50, null)]));
    }

    [Fact]
    public void month_ends_run_eighteen_months_back_and_end_today()
    {
        var ends = FlagRollups.MonthEnds(new DateOnly(2026, 3, 15), FlagRollups.TrendMonths);

        Assert.Equal(18, ends.Count);
        Assert.Equal(new DateOnly(2024, 10, 31), ends[0]);
        Assert.Equal(new DateOnly(2026, 2, 28), ends[^2]);
        Assert.Equal(new DateOnly(2026, 3, 15), ends[^1]);
        Assert.Equal(new DateOnly(2024, 2, 29), FlagRollups.MonthEnds(new DateOnly(2024, 3, 1), 2)[0]);
    }

    [Fact]
    public void the_trend_counts_an_episode_open_at_the_end_of_each_month_at_its_severity()
    {
        var agency = Guid.NewGuid();
        var today = new DateOnly(2026, 3, 15);
        var first = Raised(agency, "compute-leads-data", FlagSeverity.Medium, At(2025, 11, 10));
        var reraised = Fold(
            first,
            new FlagResolved(first.FlagId, ResolutionReason.ConditionCleared, At(2025, 12, 5)),
            Raised(agency, "compute-leads-data", FlagSeverity.High, At(2026, 1, 20), occurrence: 2));
        var flags = new[]
        {
            reraised,
            // On the boundaries of 31 January (India time): raised in its last minute counts, at the next midnight does not.
            OpenFlag(agency, "late-in-the-day", FlagSeverity.Low, At(2026, 1, 31, 23, 59)),
            OpenFlag(agency, "next-midnight", FlagSeverity.Low, At(2026, 2, 1, 0, 0)),
            // Resolved at the next midnight: still open at the end of 31 January; resolved in its last minute: not.
            ResolvedFlag(agency, "resolved-next-midnight", FlagSeverity.Medium, At(2026, 1, 5), At(2026, 2, 1, 0, 0)),
            ResolvedFlag(agency, "resolved-late", FlagSeverity.Medium, At(2026, 1, 5), At(2026, 1, 31, 23, 59)),
        };

        var trend = FlagRollups.Trend(flags, today, India);

        Assert.Equal(18, trend.Count);
        SeverityCounts On(int year, int month) => trend.Single(p => p.Date.Year == year && p.Date.Month == month).Open;
        Assert.Equal(SeverityCounts.None, On(2025, 10));
        Assert.Equal(new SeverityCounts(0, 1, 0), On(2025, 11));
        Assert.Equal(SeverityCounts.None, On(2025, 12));
        Assert.Equal(new SeverityCounts(Low: 1, Medium: 1, High: 1), On(2026, 1));
        Assert.Equal(new SeverityCounts(Low: 2, Medium: 0, High: 1), On(2026, 2));
        Assert.Equal(new SeverityCounts(Low: 2, Medium: 0, High: 1), On(2026, 3));
    }

    [Fact]
    public void markers_list_each_raising_and_resolution_in_time_order_on_the_local_date()
    {
        var agency = Guid.NewGuid();
        var first = Raised(agency, "spread", FlagSeverity.Medium, At(2025, 11, 10));
        var spread = Fold(
            first,
            new FlagResolved(first.FlagId, ResolutionReason.ConditionCleared, At(2026, 1, 1, 0, 30)),
            Raised(agency, "spread", FlagSeverity.High, At(2026, 2, 20), occurrence: 2));
        var stale = OpenFlag(agency, "staleness", FlagSeverity.Low, At(2025, 12, 1));

        var markers = FlagRollups.Markers(
            [spread, stale],
            (flag, episode) => $"{flag.RuleId}/{episode.Severity}",
            at => DateOnly.FromDateTime(at.ToOffset(India).DateTime));

        Assert.Equal(
            new[]
            {
                new TrendMarker(new DateOnly(2025, 11, 10), TrendMarkerKind.Raised, "spread/Medium"),
                new TrendMarker(new DateOnly(2025, 12, 1), TrendMarkerKind.Raised, "staleness/Low"),
                new TrendMarker(new DateOnly(2026, 1, 1), TrendMarkerKind.Resolved, "spread/Medium"),
                new TrendMarker(new DateOnly(2026, 2, 20), TrendMarkerKind.Raised, "spread/High"),
            },
            markers);
    }

    private static ReadinessFramework Framework() =>
        FrameworkParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-data", "framework", "readiness-framework.v1.json")));

    private static RuleSet SeededRules() =>
        RuleSetParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-data", "out-of-step-rules.json")));

    [Fact]
    public void every_seeded_rule_has_a_worked_example_that_the_rule_flags()
    {
        var framework = Framework();
        foreach (var rule in SeededRules().Active)
        {
            var example = Example(rule, framework);
            var finding = Assert.Single(example.Findings);
            Assert.Equal(rule.Id, finding.RuleId);
            Assert.NotEmpty(finding.Figures);
            Assert.DoesNotContain("{", finding.Explanation.En, StringComparison.Ordinal); // every placeholder filled
            Assert.DoesNotContain("{", finding.Explanation.Hi, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void the_lead_example_is_the_smallest_whole_gap_above_the_margin_and_cites_it()
    {
        var rule = SeededRules().Rules.Single(r => r.Id == "compute-leads-data");

        var example = Example(rule, Framework());

        Assert.Equal(75, example.Scores[Layer.Compute]);
        Assert.Equal(25, example.Scores[Layer.Data]);
        var finding = Assert.Single(example.Findings);
        Assert.Contains(new Figure("gapLevels", 2), finding.Figures);
        Assert.StartsWith("Compute is at level 4.0 but Data is at level 2.0", finding.Explanation.En, StringComparison.Ordinal);
    }

    [Fact]
    public void examples_follow_the_settings_a_rules_file_gives()
    {
        var framework = Framework();
        var rules = SeededRules().Rules;
        var lead = rules.Single(r => r.Id == "operations-leads-skills");
        var wider = lead with { Settings = new Dictionary<string, string>(lead.Settings) { ["marginLevels"] = "2.5" } };
        var velocity = rules.Single(r => r.Kind == "velocity");
        var falling = velocity with { Settings = new Dictionary<string, string>(velocity.Settings) { ["flatMaxChangeLevels"] = "-1", ["minRiseLevels"] = "1.5" } };
        var stale = rules.Single(r => r.Kind == "staleness");
        var shorter = stale with { Settings = new Dictionary<string, string> { ["staleDays"] = "30" } };

        Assert.Contains(new Figure("gapLevels", 3), Assert.Single(Example(wider, framework).Findings).Figures);
        var fell = Assert.Single(Example(falling, framework).Findings);
        Assert.Contains(new Figure("laggardChange", -1), fell.Figures);
        Assert.Contains(new Figure("riseLevels", 2), fell.Figures);
        Assert.Equal("Data", Assert.Single(Example(shorter, framework).Findings).Subject);
    }

    [Fact]
    public void a_kind_without_an_example_gets_none()
    {
        var rule = SeededRules().Rules[0] with { Kind = "a-kind-added-later" };
        Assert.Null(WorkedExamples.For(rule, Framework()));
    }

    private static WorkedExample Example(RuleDefinition rule, ReadinessFramework framework) =>
        WorkedExamples.For(rule, framework) ?? throw new InvalidOperationException($"No example for {rule.Id}");
}
