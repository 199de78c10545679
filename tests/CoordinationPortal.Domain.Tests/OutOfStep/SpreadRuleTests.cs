using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>The seed <c>spread</c> rule: at least 1.5 levels apart raises Medium; from 2.5 apart, High.</summary>
public sealed class SpreadRuleTests
{
    private static readonly DateTimeOffset Assessed = History.On(2026, 1, 10);
    private static readonly DateTimeOffset Now = History.On(2026, 3, 1);

    private static RuleDefinition Spread => Rules.SeedRule("spread");

    /// <summary>Data at 2, Governance, Skills and Operations at 3, Compute as its five indicators say.</summary>
    private static AgencyFacts Profile(params int[] compute) => new History()
        .Assess(Layer.Compute, Assessed, compute)
        .Assess(Layer.Data, 2, Assessed)
        .Assess(Layer.Governance, 3, Assessed)
        .Assess(Layer.Skills, 3, Assessed)
        .Assess(Layer.Operations, 3, Assessed)
        .At(Now);

    [Fact]
    public void a_spread_just_below_the_threshold_raises_nothing()
    {
        // Compute (1.5·4 + 4 + 3 + 0.5·2 + 3) / 5 = 3.4; Data 2.0: 1.4 levels apart.
        Assert.Empty(Rules.Evaluate(Profile(4, 4, 3, 2, 3), Spread));
    }

    [Fact]
    public void a_spread_exactly_at_the_threshold_is_raised_with_the_rules_severity()
    {
        // Compute (1.5·4 + 4 + 3 + 0.5·3 + 3) / 5 = 3.5; Data 2.0: 1.5 levels, 37.5 points apart.
        var finding = Assert.Single(Rules.Evaluate(Profile(4, 4, 3, 3, 3), Spread));

        Assert.Equal("spread", finding.RuleId);
        Assert.Equal("spread", finding.Kind);
        Assert.Equal("", finding.Subject);
        Assert.Equal(FlagSeverity.Medium, finding.Severity);
        Assert.Equal([Layer.Compute, Layer.Data], finding.Layers);
        Assert.Equal(
            [new("strongestLevel", 3.5), new("weakestLevel", 2.0), new("spreadLevels", 1.5), new Figure("spreadPoints", 37.5)],
            finding.Figures);
    }

    [Fact]
    public void the_threshold_is_checked_on_the_levels_as_cited()
    {
        // Operations (4 + 3 + 3 + 1.5·4) / 4.5 = 3.56, cited 3.6; Governance (1 + 1.5·3 + 2 + 2 + 2) / 5.5 = 2.09,
        // cited 2.1. Unrounded they are 1.46 apart, but as cited 1.5: at the threshold, and the flag says so.
        var facts = new History()
            .Assess(Layer.Operations, Assessed, 4, 3, 3, 4)
            .Assess(Layer.Governance, Assessed, 1, 3, 2, 2, 2)
            .At(Now);

        var finding = Assert.Single(Rules.Evaluate(facts, Spread));

        Assert.Equal([Layer.Operations, Layer.Governance], finding.Layers);
        Assert.Equal(
            [new("strongestLevel", 3.6), new("weakestLevel", 2.1), new("spreadLevels", 1.5), new Figure("spreadPoints", 37.5)],
            finding.Figures);
    }

    [Fact]
    public void a_spread_just_above_the_threshold_is_raised()
    {
        // Compute 3.6 (fourth indicator at 4); Data 2.0: 1.6 levels, 40 points apart.
        var finding = Assert.Single(Rules.Evaluate(Profile(4, 4, 3, 4, 3), Spread));

        Assert.Equal(1.6, finding.Figures.Single(f => f.Name == "spreadLevels").Value);
        Assert.Equal(40.0, finding.Figures.Single(f => f.Name == "spreadPoints").Value);
        Assert.Equal(FlagSeverity.Medium, finding.Severity);
    }

    [Theory]
    [InlineData(3, FlagSeverity.Medium)] // Compute 4.4: 2.4 apart
    [InlineData(4, FlagSeverity.High)] // Compute 4.5: 2.5 apart, at highAtLevels
    [InlineData(5, FlagSeverity.High)] // Compute 4.6: 2.6 apart
    public void the_severity_rises_to_high_from_high_at_levels(int fourthComputeIndicator, FlagSeverity severity)
    {
        var finding = Assert.Single(Rules.Evaluate(Profile(5, 5, 4, fourthComputeIndicator, 4), Spread));

        Assert.Equal(severity, finding.Severity);
    }

    [Fact]
    public void without_high_at_levels_the_severity_is_the_rules_whatever_the_spread()
    {
        var rule = Spread.With(("highAtLevels", null));

        var finding = Assert.Single(Rules.Evaluate(Profile(5, 5, 5, 5, 5), rule));

        Assert.Equal(3.0, finding.Figures.Single(f => f.Name == "spreadLevels").Value);
        Assert.Equal(FlagSeverity.Medium, finding.Severity);
    }

    [Fact]
    public void the_explanation_cites_the_layers_levels_and_spread_in_english_and_hindi()
    {
        var finding = Assert.Single(Rules.Evaluate(Profile(4, 4, 3, 3, 3), Spread));

        Assert.Equal(
            "Compute is at level 3.5 but Data is at level 2.0: 1.5 levels (37.5 points) apart, at or above the threshold of 1.5. "
            + "The agency is moving forward, but its layers are not in step.",
            finding.Explanation.En);
        Assert.Equal(
            "कंप्यूट स्तर 3.5 पर है, लेकिन डेटा स्तर 2.0 पर है: दोनों में 1.5 स्तरों (37.5 अंकों) का अंतर है, जो 1.5 की सीमा के बराबर या उससे अधिक है। "
            + "एजेंसी आगे बढ़ रही है, पर उसकी परतें साथ-साथ नहीं बढ़ रहीं।",
            finding.Explanation.Hi);
    }

    [Fact]
    public void layers_not_yet_assessed_are_left_out()
    {
        // Only Skills (level 1) and Operations (level 3) are assessed: 2 levels apart, Skills the weakest.
        var facts = new History()
            .Assess(Layer.Skills, 1, Assessed)
            .Assess(Layer.Operations, 3, Assessed)
            .At(Now);

        var finding = Assert.Single(Rules.Evaluate(facts, Spread));

        Assert.Equal([Layer.Operations, Layer.Skills], finding.Layers);
        Assert.Equal(2.0, finding.Figures.Single(f => f.Name == "spreadLevels").Value);
    }

    [Fact]
    public void one_assessed_layer_or_none_raises_nothing()
    {
        Assert.Empty(Rules.Evaluate(new History().At(Now), Spread));
        Assert.Empty(Rules.Evaluate(new History().Assess(Layer.Data, 5, Assessed).At(Now), Spread.With(("minLevels", "0"))));
    }

    [Fact]
    public void assessments_after_the_moment_evaluated_do_not_count()
    {
        var facts = new History()
            .Assess(Layer.Compute, 3, Assessed)
            .Assess(Layer.Data, 3, Assessed)
            .Assess(Layer.Compute, 5, Now.AddDays(1))
            .At(Now);

        Assert.Empty(Rules.Evaluate(facts, Spread));
    }

    [Fact]
    public void the_latest_level_of_an_indicator_counts()
    {
        // Data was at 1 (3 levels below Compute), then reassessed at 3.
        var facts = new History()
            .Assess(Layer.Compute, 4, Assessed)
            .Assess(Layer.Data, 1, Assessed)
            .Assess(Layer.Data, 3, Assessed.AddDays(20))
            .At(Now);

        Assert.Empty(Rules.Evaluate(facts, Spread));
    }
}
