using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Domain.Tests.Framework;

namespace CoordinationPortal.Domain.Tests.Scoring;

public sealed class IndicatorAndLayerScoreTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 25)]
    [InlineData(3, 50)]
    [InlineData(4, 75)]
    [InlineData(5, 100)]
    public void an_indicator_scores_a_quarter_of_the_scale_per_level_above_1(int level, double expected) =>
        Assert.Equal(expected, Scores.Indicator(level));

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-3)]
    public void an_indicator_level_outside_1_to_5_has_no_score(int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Scores.Indicator(level));

    // Three indicators weighted 1, 1 and 2.
    private static readonly LayerDefinition Weighted = new(
        Layer.Governance,
        new LocalizedText("Governance", "शासन"),
        new LocalizedText("Governance", "शासन"),
        [Indicator("g.policy", 1), Indicator("g.risk", 1), Indicator("g.audit", 2)]);

    private static IndicatorDefinition Indicator(string id, double weight) => new(
        id,
        new LocalizedText(id, id),
        new LocalizedText(id, id),
        weight,
        false,
        [.. Enumerable.Range(1, 5).Select(n => new LevelDescriptor(n, new LocalizedText($"{n}", $"{n}")))]);

    [Fact]
    public void a_layer_scores_the_weighted_mean_of_its_indicators()
    {
        // Levels 5, 3, 1 score 100, 50, 0; weighted 1, 1, 2: (100 + 50 + 2×0) / 4 = 37.5.
        var score = Scores.Layer(Weighted, new Dictionary<string, int> { ["g.policy"] = 5, ["g.risk"] = 3, ["g.audit"] = 1 });

        Assert.Equal(37.5, score);
    }

    [Fact]
    public void the_heavier_indicator_pulls_the_layer_score_towards_it()
    {
        // Levels 1, 3, 5 score 0, 50, 100; weighted 1, 1, 2: (0 + 50 + 2×100) / 4 = 62.5.
        var score = Scores.Layer(Weighted, new Dictionary<string, int> { ["g.policy"] = 1, ["g.risk"] = 3, ["g.audit"] = 5 });

        Assert.Equal(62.5, score);
    }

    [Fact]
    public void indicators_not_assessed_are_left_out_of_the_layer_score_not_counted_as_zero()
    {
        // Only the two indicators of weight 1 are assessed: (100 + 50) / 2 = 75, not (100 + 50 + 0) / 4.
        var score = Scores.Layer(Weighted, new Dictionary<string, int> { ["g.policy"] = 5, ["g.risk"] = 3 });

        Assert.Equal(75, score);
    }

    [Fact]
    public void levels_of_indicators_from_other_layers_do_not_count()
    {
        var score = Scores.Layer(Weighted, new Dictionary<string, int> { ["g.audit"] = 2, ["compute.access"] = 5 });

        Assert.Equal(25, score);
    }

    [Fact]
    public void a_layer_with_nothing_assessed_has_no_score() =>
        Assert.Null(Scores.Layer(Weighted, new Dictionary<string, int> { ["compute.access"] = 5 }));

    [Fact]
    public void each_layer_of_a_framework_is_scored_on_its_own_indicators()
    {
        var levels = new Dictionary<string, int>
        {
            ["compute.access"] = 5,
            ["compute.capacity"] = 3,
            ["data.quality"] = 2,
            ["governance.audit"] = 1,
            ["skills.literacy"] = 4,
            ["skills.training"] = 2,
        };

        var scores = Scores.Layers(SmallFramework.Instance, levels);

        Assert.Equal(new LayerScores(75, 25, 0, 50, null), scores);
        Assert.False(scores.IsComplete);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(50, 3)]
    [InlineData(62.5, 3.5)]
    [InlineData(100, 5)]
    public void a_score_reads_as_a_maturity_level(double score, double level) =>
        Assert.Equal(level, Scores.AsLevel(score));
}
