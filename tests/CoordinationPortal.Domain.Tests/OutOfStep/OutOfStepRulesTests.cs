using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

public sealed class OutOfStepRulesTests
{
    private static readonly DateTimeOffset Assessed = History.On(2026, 1, 10);
    private static readonly DateTimeOffset Now = History.On(2026, 3, 1);

    private static AgencyFacts ComputeFarAhead() => new History()
        .Assess(Layer.Compute, 5, Assessed)
        .Assess(Layer.Data, 1, Assessed)
        .At(Now);

    [Fact]
    public void the_kinds_are_named_as_in_the_rules_file()
    {
        Assert.Equal(["spread", "lead", "velocity", "staleness", "claimed-vs-measured", "slipping-commitment"], OutOfStepRules.Registry.Select(k => k.Name));
        Assert.Same(LeadRule.Kind, OutOfStepRules.Describe("lead"));
        Assert.Null(OutOfStepRules.Describe("Lead"));
    }

    [Fact]
    public void findings_come_in_rule_order()
    {
        var findings = OutOfStepRules.Evaluate(ComputeFarAhead(), Rules.Seed, Rules.Framework);

        Assert.Equal(["spread", "compute-leads-data"], findings.Select(f => f.RuleId));
    }

    [Fact]
    public void a_disabled_rule_is_not_evaluated()
    {
        var rules = Rules.Seed with { Rules = [.. Rules.Seed.Rules.Select(r => r.Id == "spread" ? r with { Enabled = false } : r)] };

        var findings = OutOfStepRules.Evaluate(ComputeFarAhead(), rules, Rules.Framework);

        Assert.Equal(["compute-leads-data"], findings.Select(f => f.RuleId));
    }

    [Fact]
    public void a_rule_of_a_kind_no_function_implements_fails_loudly()
    {
        var rule = Rules.SeedRule("spread") with { Kind = "sprawl" };

        var e = Assert.Throws<ArgumentException>(() => Rules.Evaluate(ComputeFarAhead(), rule));

        Assert.Contains("'sprawl'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_active_rules_follow_a_copy_made_with_other_rules()
    {
        var rules = Rules.Seed with { Rules = [.. Rules.Seed.Rules.Select(r => r.Id == "spread" ? r with { Enabled = false } : r)] };

        Assert.Contains("spread", Rules.Seed.ActiveIds);
        Assert.DoesNotContain("spread", rules.ActiveIds);
        Assert.DoesNotContain(rules.Active, r => r.Id == "spread");
        Assert.Same(rules.ActiveIds, rules.ActiveIds);
        Assert.Throws<NotSupportedException>(() => rules.ActiveIds.Add("spread"));
        Assert.Equal(Rules.Seed, Rules.Seed with { });
        Assert.NotEqual(Rules.Seed, rules);
    }

    [Fact]
    public void no_history_finds_nothing()
    {
        Assert.Empty(OutOfStepRules.Evaluate(new History().At(Now), Rules.Seed, Rules.Framework));
    }

    [Fact]
    public void the_context_derives_levels_now_and_as_of_an_earlier_moment()
    {
        var facts = new History()
            .Assess(Layer.Skills, 2, History.On(2025, 6, 1))
            .Assess("skills.training-coverage", 4, History.On(2026, 1, 1))
            .At(Now);
        var context = new RuleContext(facts, Rules.Framework);

        // Skills (4 + 2 + 2 + 2) / 4 = 2.5 now; 2.0 before the reassessment; nothing before the first.
        Assert.Equal(2.5, context.Level(Layer.Skills));
        Assert.Equal(37.5, context.Scores.Skills);
        Assert.Equal(2.0, context.LevelAsOf(History.On(2025, 12, 31), Layer.Skills));
        Assert.Equal(2.5, context.LevelAsOf(History.On(2026, 1, 1), Layer.Skills));
        Assert.Null(context.LevelAsOf(History.On(2025, 5, 31), Layer.Skills));
        Assert.Null(context.Level(Layer.Data));
        Assert.Equal(History.On(2026, 1, 1), context.LastAssessed(Layer.Skills));
        Assert.Null(context.LastAssessed(Layer.Data));
        Assert.Equal("कौशल", context.LayerName(Layer.Skills).Hi);
        Assert.Equal(new DateOnly(2026, 3, 1), context.Today);
    }

    [Fact]
    public void an_indicator_the_framework_does_not_have_counts_for_nothing()
    {
        var facts = new AgencyFacts(History.AgencyId, Now, [new LevelChange("compute.retired", Layer.Compute, 5, Assessed)], MeasuredEvidence.None);
        var context = new RuleContext(facts, Rules.Framework);

        Assert.Null(context.Level(Layer.Compute));
        Assert.Null(context.LastAssessed(Layer.Compute));
    }
}
