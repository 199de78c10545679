using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>The seed lead rules: the lead layer more than 1.0 level above the lag layer (strictly).</summary>
public sealed class LeadRuleTests
{
    private static readonly DateTimeOffset Assessed = History.On(2026, 1, 10);
    private static readonly DateTimeOffset Now = History.On(2026, 3, 1);

    private static RuleDefinition ComputeLeadsData => Rules.SeedRule("compute-leads-data");

    /// <summary>Data at 2, Compute as its five indicators say; the other layers not assessed.</summary>
    private static AgencyFacts Profile(params int[] compute) => new History()
        .Assess(Layer.Compute, Assessed, compute)
        .Assess(Layer.Data, 2, Assessed)
        .At(Now);

    [Fact]
    public void just_below_the_margin_raises_nothing()
    {
        // Compute (1.5·3 + 3 + 3 + 0.5·2 + 3) / 5 = 2.9, Data 2.0: 0.9 ahead.
        Assert.Empty(Rules.Evaluate(Profile(3, 3, 3, 2, 3), ComputeLeadsData));
    }

    [Fact]
    public void exactly_at_the_margin_raises_nothing()
    {
        // Compute 3.0, Data 2.0: 1.0 ahead, which is not more than the margin of 1.0.
        Assert.Empty(Rules.Evaluate(Profile(3, 3, 3, 3, 3), ComputeLeadsData));
    }

    [Fact]
    public void just_above_the_margin_is_raised()
    {
        // Compute (1.5·3 + 3 + 3 + 0.5·4 + 3) / 5 = 3.1, Data 2.0: 1.1 ahead.
        var finding = Assert.Single(Rules.Evaluate(Profile(3, 3, 3, 4, 3), ComputeLeadsData));

        Assert.Equal("compute-leads-data", finding.RuleId);
        Assert.Equal("lead", finding.Kind);
        Assert.Equal("", finding.Subject);
        Assert.Equal(FlagSeverity.High, finding.Severity);
        Assert.Equal([Layer.Compute, Layer.Data], finding.Layers);
        Assert.Equal([new("leadLevel", 3.1), new("lagLevel", 2.0), new Figure("gapLevels", 1.1)], finding.Figures);
    }

    [Fact]
    public void the_margin_is_checked_on_the_levels_as_cited()
    {
        // Operations (2 + 3 + 3 + 1.5·4) / 4.5 = 3.11, cited 3.1; Governance (1 + 1.5·3 + 2 + 2 + 2) / 5.5 = 2.09,
        // cited 2.1. Unrounded they are 1.02 apart, but the flag would read "1.0 levels apart, more than 1.0".
        var facts = new History()
            .Assess(Layer.Operations, Assessed, 2, 3, 3, 4)
            .Assess(Layer.Governance, Assessed, 1, 3, 2, 2, 2)
            .At(Now);
        var context = new RuleContext(facts, Rules.Framework);
        Assert.True(context.Level(Layer.Operations) - context.Level(Layer.Governance) > 1.0);

        Assert.Empty(Rules.Evaluate(facts, Rules.SeedRule("operations-leads-governance")));
    }

    [Fact]
    public void the_explanation_is_the_rules_own_sentence_citing_both_levels_in_english_and_hindi()
    {
        var finding = Assert.Single(Rules.Evaluate(Profile(4, 4, 4, 4, 4), ComputeLeadsData));

        Assert.Equal(
            "Compute is at level 4.0 but Data is at level 2.0: compute is scaling faster than data quality improves "
            + "(2.0 levels apart, more than the margin of 1.0).",
            finding.Explanation.En);
        Assert.Equal(
            "कंप्यूट स्तर 4.0 पर है, लेकिन डेटा स्तर 2.0 पर है: कंप्यूट का विस्तार डेटा की गुणवत्ता में सुधार से तेज़ हो रहा है "
            + "(दोनों में 2.0 स्तरों का अंतर, जो 1.0 की सीमा से अधिक है)।",
            finding.Explanation.Hi);
    }

    [Theory]
    [InlineData("compute-leads-data", Layer.Compute, Layer.Data, FlagSeverity.High, "compute is scaling faster than data quality improves")]
    [InlineData("operations-leads-governance", Layer.Operations, Layer.Governance, FlagSeverity.Medium, "AI use cases are expanding faster than governance matures")]
    [InlineData("operations-leads-skills", Layer.Operations, Layer.Skills, FlagSeverity.Medium, "AI is going into operation faster than teams can be trained")]
    [InlineData("data-leads-governance", Layer.Data, Layer.Governance, FlagSeverity.High, "a risk to privacy")]
    public void each_seed_lead_rule_compares_its_own_pair(string ruleId, Layer lead, Layer lag, FlagSeverity severity, string says)
    {
        var facts = new History()
            .Assess(lead, 4, Assessed)
            .Assess(lag, 2, Assessed)
            .At(Now);

        var findings = OutOfStepRules.Evaluate(facts, Rules.Seed, Rules.Framework).Where(f => f.Kind == "lead").ToList();

        var finding = Assert.Single(findings);
        Assert.Equal(ruleId, finding.RuleId);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal([lead, lag], finding.Layers);
        Assert.Contains(says, finding.Explanation.En, StringComparison.Ordinal);
        Assert.StartsWith($"{Rules.Framework.LayerOf(lead).Name.Hi} स्तर 4.0 पर है, लेकिन {Rules.Framework.LayerOf(lag).Name.Hi} स्तर 2.0 पर है", finding.Explanation.Hi, StringComparison.Ordinal);
    }

    [Fact]
    public void a_lag_layer_ahead_of_the_lead_raises_nothing()
    {
        var facts = new History()
            .Assess(Layer.Compute, 1, Assessed)
            .Assess(Layer.Data, 5, Assessed)
            .At(Now);

        Assert.Empty(Rules.Evaluate(facts, ComputeLeadsData));
    }

    [Fact]
    public void a_lag_layer_not_yet_assessed_raises_nothing()
    {
        Assert.Empty(Rules.Evaluate(new History().Assess(Layer.Compute, 5, Assessed).At(Now), ComputeLeadsData));
    }

    [Fact]
    public void the_margin_is_read_from_the_rule()
    {
        var rule = ComputeLeadsData.With(("marginLevels", "2"));

        Assert.Empty(Rules.Evaluate(Profile(4, 4, 4, 4, 4), rule));
        Assert.Single(Rules.Evaluate(Profile(4, 4, 4, 5, 4), rule));
    }
}
