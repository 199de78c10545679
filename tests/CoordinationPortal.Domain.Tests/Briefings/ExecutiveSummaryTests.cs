using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Scoring;

namespace CoordinationPortal.Domain.Tests.Briefings;

public sealed class ExecutiveSummaryTests
{
    private static readonly LayerScores Now = new(80, 40, 55, 60, 70);

    private static SummaryFacts Facts(
        LayerScores? now = null, LayerScores? then = null, LayerGap? gap = null, IReadOnlyList<string>? rules = null, SeverityTally? tally = null) =>
        new(12, 10, 52.5, now ?? Now, then ?? LayerScores.Empty, gap, rules ?? [], tally ?? SeverityTally.None);

    [Fact]
    public void the_strongest_and_weakest_layers_are_the_highest_and_lowest_averages()
    {
        var points = ExecutiveSummary.From(Facts());

        Assert.Equal(Layer.Compute, points.Strongest);
        Assert.Equal(80, points.StrongestScore);
        Assert.Equal(Layer.Data, points.Weakest);
        Assert.Equal(40, points.WeakestScore);
        Assert.Equal(12, points.Agencies);
        Assert.Equal(52.5, points.AverageBalanced);
    }

    [Fact]
    public void a_tie_names_the_layer_that_comes_first_in_display_order()
    {
        var points = ExecutiveSummary.From(Facts(now: new LayerScores(30, 70, 70, 30, 50)));

        Assert.Equal(Layer.Data, points.Strongest);
        Assert.Equal(Layer.Compute, points.Weakest);
    }

    [Fact]
    public void layers_all_level_or_a_single_scored_layer_name_no_strongest_or_weakest()
    {
        Assert.Null(ExecutiveSummary.From(Facts(now: new LayerScores(50, 50, 50, 50, 50))).Strongest);
        var one = ExecutiveSummary.From(Facts(now: new LayerScores(50, null, null, null, null)));
        Assert.Null(one.Strongest);
        Assert.Null(one.Weakest);
    }

    [Fact]
    public void the_largest_gap_is_passed_through_and_the_commonest_open_rule_is_counted()
    {
        var gap = new LayerGap(Layer.Compute, Layer.Governance, 1.4, 9);
        var points = ExecutiveSummary.From(Facts(gap: gap, rules: ["spread", "lead-compute", "lead-compute", "stale", "spread", "lead-compute"]));

        Assert.Equal(gap, points.LargestGap);
        Assert.Equal(new RuleCount("lead-compute", 3), points.CommonestRule);
    }

    [Fact]
    public void a_tie_between_rules_goes_to_the_first_rule_id_in_ordinal_order()
    {
        Assert.Equal(new RuleCount("a-rule", 2), ExecutiveSummary.CommonestRule(["b-rule", "a-rule", "b-rule", "a-rule"]));
        Assert.Null(ExecutiveSummary.CommonestRule([]));
    }

    [Fact]
    public void the_quarter_comparison_names_the_largest_rise_and_the_largest_fall()
    {
        var then = new LayerScores(70, 45, 50, 60.2, null);
        var points = ExecutiveSummary.From(Facts(then: then));

        Assert.True(points.Compared);
        Assert.Equal(new LayerChange(Layer.Compute, 70, 80), points.LargestRise);
        Assert.Equal(new LayerChange(Layer.Data, 45, 40), points.LargestFall);
    }

    [Fact]
    public void moves_under_half_a_point_are_steady_and_no_earlier_data_is_no_comparison()
    {
        var steady = ExecutiveSummary.From(Facts(then: new LayerScores(79.8, 40.3, 55, 60, 70)));
        Assert.True(steady.Compared);
        Assert.Null(steady.LargestRise);
        Assert.Null(steady.LargestFall);

        var none = ExecutiveSummary.From(Facts());
        Assert.False(none.Compared);
        Assert.Null(none.LargestRise);
    }

    [Fact]
    public void an_empty_scope_has_no_averages_no_layers_no_flags_and_nothing_to_compare()
    {
        var points = ExecutiveSummary.From(new SummaryFacts(0, 0, null, LayerScores.Empty, LayerScores.Empty, null, [], SeverityTally.None));

        Assert.Equal(0, points.Agencies);
        Assert.Null(points.AverageBalanced);
        Assert.Null(points.Strongest);
        Assert.Null(points.Weakest);
        Assert.Null(points.LargestGap);
        Assert.Null(points.CommonestRule);
        Assert.Equal(0, points.OpenFlags.Total);
        Assert.False(points.Compared);
    }

    [Fact]
    public void averages_leave_out_agencies_without_the_layer()
    {
        var averages = ExecutiveSummary.Averages([new LayerScores(50, null, 20, null, null), new LayerScores(100, 30, null, null, null)]);

        Assert.Equal(new LayerScores(75, 30, 20, null, null), averages);
        Assert.Equal(LayerScores.Empty, ExecutiveSummary.Averages([]));
    }

    [Fact]
    public void levels_before_a_moment_are_the_latest_assessment_of_each_indicator_in_business_time()
    {
        var cutoff = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(5.5));
        LevelChange[] changes =
        [
            new("c.gpu", Layer.Compute, 2, cutoff.AddDays(-40)),
            new("c.gpu", Layer.Compute, 3, cutoff.AddDays(-5)),
            new("c.gpu", Layer.Compute, 5, cutoff), // the first moment of the next quarter: not counted
            new("d.catalogue", Layer.Data, 4, cutoff.AddDays(2)),
            new("g.policy", Layer.Governance, 1, cutoff.AddSeconds(-1)),
        ];

        var levels = ExecutiveSummary.LevelsBefore(changes, cutoff);

        Assert.Equal(2, levels.Count);
        Assert.Equal(3, levels["c.gpu"]);
        Assert.Equal(1, levels["g.policy"]);
    }

    [Fact]
    public void severities_are_tallied()
    {
        var tally = SeverityTally.Of([FlagSeverity.High, FlagSeverity.Low, FlagSeverity.High, FlagSeverity.Medium]);

        Assert.Equal(new SeverityTally(2, 1, 1), tally);
        Assert.Equal(4, tally.Total);
    }
}
