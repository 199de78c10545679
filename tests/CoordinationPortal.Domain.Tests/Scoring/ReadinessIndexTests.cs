using CoordinationPortal.Domain.Scoring;

namespace CoordinationPortal.Domain.Tests.Scoring;

public sealed class ReadinessIndexTests
{
    [Fact]
    public void a_perfectly_balanced_profile_scores_the_same_on_every_index()
    {
        var index = Scores.Index([50.0, 50, 50, 50, 50]);

        Assert.Equal(50, index.Mean, 10);
        Assert.Equal(50, index.Geometric, 10);
        Assert.Equal(50, index.Balanced, 10);
        Assert.Equal(0, index.ImbalancePenalty, 10);
    }

    [Fact]
    public void the_worked_example_of_an_unbalanced_profile()
    {
        // Layers 100, 50, 50, 25, 25.
        // Mean M = 250 / 5 = 50.
        // Population standard deviation S = sqrt((50² + 0 + 0 + 25² + 25²) / 5) = sqrt(3750 / 5) = sqrt(750) = 27.386127875…
        // cv = S / M = 0.547722557…; MPI = M − S·cv = 50 − 750 / 50 = 50 − 15 = 35.
        // Geometric mean = (100 · 50 · 50 · 25 · 25)^(1/5) = 156 250 000^(1/5) = 43.527528164…
        var index = Scores.Index([100.0, 50, 50, 25, 25]);

        Assert.Equal(50, index.Mean, 10);
        Assert.Equal(35, index.Balanced, 10);
        Assert.Equal(15, index.ImbalancePenalty, 10);
        Assert.Equal(43.53, index.Geometric, 2);
        Assert.Equal(43.527528, index.Geometric, 6);
    }

    [Fact]
    public void the_worked_example_of_one_layer_ahead_and_one_behind()
    {
        // Layers 75, 25, 50, 50, 50 (levels 4, 2, 3, 3, 3: Compute ahead, Data behind).
        // Mean M = 250 / 5 = 50.
        // Deviations 25, −25, 0, 0, 0: S² = (625 + 625) / 5 = 250, S = 15.811388…; cv = S / M = 0.316227…
        // MPI = M − S·cv = M − S² / M = 50 − 250 / 50 = 45; the imbalance costs 50 − 45 = 5 points.
        // Geometric mean = (75 · 25 · 50 · 50 · 50)^(1/5) = 234 375 000^(1/5) = 47.204375… (47.2^5 = 234 266 394, just under).
        var index = Scores.Index([75.0, 25, 50, 50, 50]);

        Assert.Equal(50, index.Mean, 10);
        Assert.Equal(45, index.Balanced, 10);
        Assert.Equal(5, index.ImbalancePenalty, 10);
        Assert.Equal(47.2044, index.Geometric, 4);
        Assert.True(index.Balanced < index.Geometric && index.Geometric < index.Mean);
    }

    [Fact]
    public void the_same_example_from_indicator_levels_through_layer_scores()
    {
        // Every indicator of a layer at one level puts the layer at that level: 4, 2, 3, 3, 3 → 75, 25, 50, 50, 50.
        var framework = Framework.SmallFramework.Instance;
        int[] levels = [4, 2, 3, 3, 3];
        var assessed = framework.Layers.SelectMany(l => l.Indicators.Select(i => (i.Id, Level: levels[(int)l.Layer])))
            .ToDictionary(x => x.Id, x => x.Level);

        var scores = Scores.Layers(framework, assessed);
        var index = Scores.Index(scores);

        Assert.Equal([75.0, 25, 50, 50, 50], Layers.All.Select(l => scores[l]!.Value));
        Assert.Equal([4.0, 2, 3, 3, 3], Layers.All.Select(l => Scores.AsLevel(scores[l]!.Value)));
        Assert.NotNull(index);
        Assert.Equal(45, index.Balanced, 10);
        Assert.Equal(5, index.ImbalancePenalty, 10);
    }

    [Fact]
    public void the_penalty_grows_with_the_square_of_the_gap()
    {
        // One layer up by d and one down by d around 50: S² = 2d² / 5, MPI = 50 − 2d² / 250, penalty 2d² / 250.
        // d = 10 → 0.8; d = 20 → 3.2; d = 25 → 5 (the example above); d = 40 → 12.8.
        Assert.Equal(0.8, Scores.Index([60.0, 40, 50, 50, 50]).ImbalancePenalty, 10);
        Assert.Equal(3.2, Scores.Index([70.0, 30, 50, 50, 50]).ImbalancePenalty, 10);
        Assert.Equal(12.8, Scores.Index([90.0, 10, 50, 50, 50]).ImbalancePenalty, 10);
    }

    [Fact]
    public void an_unbalanced_profile_scores_lower_on_the_geometric_and_balanced_indices_than_a_balanced_one_with_the_same_mean()
    {
        var balanced = Scores.Index([60.0, 60, 60, 60, 60]);
        var unbalanced = Scores.Index([100.0, 90, 60, 40, 10]);

        Assert.Equal(balanced.Mean, unbalanced.Mean, 10);
        Assert.True(unbalanced.Geometric < balanced.Geometric, $"geometric {unbalanced.Geometric} should be below {balanced.Geometric}");
        Assert.True(unbalanced.Balanced < balanced.Balanced, $"balanced {unbalanced.Balanced} should be below {balanced.Balanced}");
        Assert.True(unbalanced.ImbalancePenalty > balanced.ImbalancePenalty);
    }

    [Fact]
    public void the_more_unbalanced_the_profile_the_larger_the_penalty()
    {
        var slightly = Scores.Index([60.0, 40, 50, 50, 50]);
        var very = Scores.Index([90.0, 10, 50, 50, 50]);

        Assert.True(very.Balanced < slightly.Balanced);
        Assert.True(very.Geometric < slightly.Geometric);
        // [90, 10, 50, 50, 50]: S² = (1600 + 1600) / 5 = 640, MPI = 50 − 640 / 50 = 37.2.
        Assert.Equal(37.2, very.Balanced, 10);
    }

    [Theory]
    [InlineData(0, 100, 100, 100, 100)]
    [InlineData(100, 100, 0, 100, 100)]
    [InlineData(80, 60, 40, 20, 0)]
    public void any_layer_at_zero_makes_the_geometric_mean_zero(double a, double b, double c, double d, double e)
    {
        var index = Scores.Index([a, b, c, d, e]);

        Assert.Equal(0, index.Geometric);
        Assert.True(index.Mean > 0);
    }

    [Fact]
    public void an_extreme_profile_is_clamped_to_zero_on_the_balanced_index()
    {
        // [100, 0, 0, 0, 0]: M = 20, S = sqrt((80² + 4·20²) / 5) = sqrt(1600) = 40, MPI = 20 − 40·2 = −60, clamped to 0.
        var index = Scores.Index([100.0, 0, 0, 0, 0]);

        Assert.Equal(20, index.Mean, 10);
        Assert.Equal(0, index.Balanced);
        Assert.Equal(0, index.Geometric);
        Assert.Equal(20, index.ImbalancePenalty, 10);
    }

    [Fact]
    public void nothing_in_place_anywhere_scores_zero_on_every_index()
    {
        var index = Scores.Index([0.0, 0, 0, 0, 0]);

        Assert.Equal(new ReadinessIndex(0, 0, 0), index);
    }

    [Fact]
    public void an_index_of_no_layers_cannot_be_computed() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Scores.Index(Array.Empty<double>()));

    [Fact]
    public void the_index_from_layer_scores_uses_all_five_layers()
    {
        var index = Scores.Index(new LayerScores(100, 50, 50, 25, 25));

        Assert.NotNull(index);
        Assert.Equal(50, index.Mean, 10);
        Assert.Equal(35, index.Balanced, 10);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void there_is_no_index_until_every_layer_has_a_score(int missing)
    {
        var scores = LayerScores.From(l => (int)l == missing ? null : 50);

        Assert.False(scores.IsComplete);
        Assert.Null(Scores.Index(scores));
    }

    [Fact]
    public void layer_scores_are_read_by_layer()
    {
        var scores = new LayerScores(10, 20, 30, 40, 50);

        Assert.Equal([10.0, 20, 30, 40, 50], Layers.All.Select(l => scores[l]!.Value));
        Assert.True(scores.IsComplete);
        Assert.False(LayerScores.Empty.IsComplete);
    }
}
