using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>
/// The seed <c>velocity-divergence</c> rule: over the last 180 days one layer rose by at least 1.0 level while
/// another changed by at most 0.0 (flat or falling).
/// </summary>
public sealed class VelocityRuleTests
{
    private static readonly DateTimeOffset Now = History.On(2026, 3, 1);
    private static readonly DateTimeOffset BeforeWindow = History.On(2025, 6, 1);
    private static readonly DateTimeOffset InWindow = History.On(2026, 1, 15);

    private static RuleDefinition Velocity => Rules.SeedRule("velocity-divergence");

    /// <summary>Compute and Data at 2 before the window; in the window Compute and Data as their indicators say.</summary>
    private static AgencyFacts Moves(int[] compute, int[] data) => new History()
        .Assess(Layer.Compute, 2, BeforeWindow)
        .Assess(Layer.Data, 2, BeforeWindow)
        .Assess(Layer.Compute, InWindow, compute)
        .Assess(Layer.Data, InWindow, data)
        .At(Now);

    private static readonly int[] DataFlat = [2, 2, 2, 2, 2];

    [Fact]
    public void a_rise_just_below_the_minimum_raises_nothing()
    {
        // Compute 2.0 → (1.5·3 + 3 + 3 + 0.5·2 + 3) / 5 = 2.9: +0.9.
        Assert.Empty(Rules.Evaluate(Moves([3, 3, 3, 2, 3], DataFlat), Velocity));
    }

    [Fact]
    public void a_rise_exactly_at_the_minimum_beside_a_flat_layer_is_raised()
    {
        // Compute 2.0 → 3.0: +1.0; Data 2.0 → 2.0.
        var finding = Assert.Single(Rules.Evaluate(Moves([3, 3, 3, 3, 3], DataFlat), Velocity));

        Assert.Equal("velocity-divergence", finding.RuleId);
        Assert.Equal("velocity", finding.Kind);
        Assert.Equal("", finding.Subject);
        Assert.Equal(FlagSeverity.Medium, finding.Severity);
        Assert.Equal([Layer.Compute, Layer.Data], finding.Layers);
        Assert.Equal(
            [
                new("riseLevels", 1.0), new("riserFrom", 2.0), new("riserTo", 3.0),
                new("laggardChange", 0.0), new("laggardFrom", 2.0), new Figure("laggardTo", 2.0),
            ],
            finding.Figures);
    }

    [Fact]
    public void a_rise_just_above_the_minimum_is_raised()
    {
        // Compute 2.0 → 3.1: +1.1.
        var finding = Assert.Single(Rules.Evaluate(Moves([3, 3, 3, 4, 3], DataFlat), Velocity));

        Assert.Equal(1.1, finding.Figures.Single(f => f.Name == "riseLevels").Value);
    }

    [Fact]
    public void the_other_layer_just_above_flat_raises_nothing()
    {
        // Data (2 + 2 + 0.5·3 + 2 + 1.5·2) / 5 = 2.1: +0.1, not flat.
        Assert.Empty(Rules.Evaluate(Moves([4, 4, 4, 4, 4], [2, 2, 3, 2, 2]), Velocity));
    }

    [Fact]
    public void the_other_layer_falling_just_below_flat_is_raised_and_its_fall_cited()
    {
        // Data (2 + 2 + 0.5·1 + 2 + 1.5·2) / 5 = 1.9: −0.1.
        var finding = Assert.Single(Rules.Evaluate(Moves([4, 4, 4, 4, 4], [2, 2, 1, 2, 2]), Velocity));

        Assert.Equal(-0.1, finding.Figures.Single(f => f.Name == "laggardChange").Value);
        Assert.Equal(
            "Over the last 180 days Compute rose from level 2.0 to 4.0 (+2.0), while Data was at level 2.0 and is now at 1.9 (-0.1): "
            + "one layer advances while another stalls or slips back.",
            finding.Explanation.En);
        Assert.Equal(
            "पिछले 180 दिनों में कंप्यूट का स्तर 2.0 से बढ़कर 4.0 हो गया (+2.0), जबकि डेटा का स्तर 2.0 था और अब 1.9 है (-0.1): "
            + "एक परत आगे बढ़ रही है जबकि दूसरी ठहरी हुई है या पीछे जा रही है।",
            finding.Explanation.Hi);
    }

    [Fact]
    public void the_fastest_riser_and_the_layer_that_moved_least_are_cited()
    {
        var facts = new History()
            .Assess(Layer.Compute, 2, BeforeWindow)
            .Assess(Layer.Data, 2, BeforeWindow)
            .Assess(Layer.Governance, 3, BeforeWindow)
            .Assess(Layer.Skills, 3, BeforeWindow)
            .Assess(Layer.Compute, 3, InWindow) // +1
            .Assess(Layer.Data, 4, InWindow) // +2
            .Assess(Layer.Governance, 3, InWindow) // 0
            .Assess(Layer.Skills, 2, InWindow) // −1
            .At(Now);

        var finding = Assert.Single(Rules.Evaluate(facts, Velocity));

        Assert.Equal([Layer.Data, Layer.Skills], finding.Layers);
        Assert.Equal(2.0, finding.Figures.Single(f => f.Name == "riseLevels").Value);
        Assert.Equal(-1.0, finding.Figures.Single(f => f.Name == "laggardChange").Value);
    }

    [Fact]
    public void a_rise_before_the_window_does_not_count()
    {
        // Compute rose from 2 to 4 two days before the window opened (180 days before 1 March 2026 is 2 September 2025).
        var facts = new History()
            .Assess(Layer.Compute, 2, BeforeWindow)
            .Assess(Layer.Data, 2, BeforeWindow)
            .Assess(Layer.Compute, 4, Now.AddDays(-182))
            .At(Now);

        Assert.Empty(Rules.Evaluate(facts, Velocity));
    }

    [Fact]
    public void a_rise_just_inside_the_window_counts()
    {
        var facts = new History()
            .Assess(Layer.Compute, 2, BeforeWindow)
            .Assess(Layer.Data, 2, BeforeWindow)
            .Assess(Layer.Compute, 4, Now.AddDays(-179))
            .At(Now);

        Assert.Single(Rules.Evaluate(facts, Velocity));
    }

    [Fact]
    public void the_window_opens_at_the_end_of_the_day_window_days_before_whatever_the_hour_evaluated()
    {
        // 180 days before 1 March 2026 is 2 September 2025: Data's fall that day is before the window (its level at
        // the start is 2), Compute's rise the next day within it. The hour of the evaluation changes neither.
        var history = new History()
            .Assess(Layer.Compute, 2, BeforeWindow)
            .Assess(Layer.Data, 3, BeforeWindow)
            .Assess(Layer.Data, 2, History.On(2025, 9, 2, hour: 12))
            .Assess(Layer.Compute, 4, History.On(2025, 9, 3, hour: 0));

        var early = Assert.Single(Rules.Evaluate(history.At(new DateTimeOffset(2026, 3, 1, 0, 30, 0, History.Ist)), Velocity));
        var late = Assert.Single(Rules.Evaluate(history.At(new DateTimeOffset(2026, 3, 1, 23, 30, 0, History.Ist)), Velocity));

        Assert.Equal(early.Layers, late.Layers);
        Assert.Equal(early.Figures, late.Figures);
        Assert.Equal(early.Explanation, late.Explanation);
        Assert.Equal(
            [
                new("riseLevels", 2.0), new("riserFrom", 2.0), new("riserTo", 4.0),
                new("laggardChange", 0.0), new("laggardFrom", 2.0), new Figure("laggardTo", 2.0),
            ],
            early.Figures);
    }

    [Fact]
    public void a_layer_first_assessed_inside_the_window_is_left_out()
    {
        // Governance has no score at the start of the window: its level 1 is neither a rise nor a standstill.
        var facts = new History()
            .Assess(Layer.Compute, 2, BeforeWindow)
            .Assess(Layer.Compute, 4, InWindow)
            .Assess(Layer.Governance, 1, InWindow)
            .At(Now);

        Assert.Empty(Rules.Evaluate(facts, Velocity));
    }

    [Fact]
    public void the_window_is_read_from_the_rule()
    {
        var facts = Moves([4, 4, 4, 4, 4], DataFlat);

        Assert.Single(Rules.Evaluate(facts, Velocity.With(("windowDays", "60"))));
        Assert.Empty(Rules.Evaluate(facts, Velocity.With(("windowDays", "30"))));
    }

    [Fact]
    public void the_figures_do_not_change_from_one_day_to_the_next_while_the_data_does_not()
    {
        var history = new History()
            .Assess(Layer.Compute, 2, BeforeWindow)
            .Assess(Layer.Data, 2, BeforeWindow)
            .Assess(Layer.Compute, 4, InWindow);

        var today = Assert.Single(Rules.Evaluate(history.At(Now), Velocity));
        var tomorrow = Assert.Single(Rules.Evaluate(history.At(Now.AddDays(1)), Velocity));

        Assert.Equal(today.Figures, tomorrow.Figures);
        Assert.Equal(today.Explanation, tomorrow.Explanation);
    }
}
