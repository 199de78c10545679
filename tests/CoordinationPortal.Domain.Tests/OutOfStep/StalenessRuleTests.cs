using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>The seed <c>stale-layer</c> rule: a layer last assessed more than 270 days ago while another was assessed since.</summary>
public sealed class StalenessRuleTests
{
    private static readonly DateTimeOffset Now = History.On(2026, 3, 1);
    private static readonly DateTimeOffset Recently = History.On(2026, 2, 1);

    private static RuleDefinition Stale => Rules.SeedRule("stale-layer");

    private static AgencyFacts GovernanceAssessedDaysAgo(int days) => new History()
        .Assess(Layer.Governance, 3, Now.AddDays(-days))
        .Assess(Layer.Data, 3, Recently)
        .At(Now);

    [Fact]
    public void a_layer_assessed_just_under_the_limit_is_not_stale() =>
        Assert.Empty(Rules.Evaluate(GovernanceAssessedDaysAgo(269), Stale));

    [Fact]
    public void a_layer_assessed_exactly_at_the_limit_is_not_stale() =>
        Assert.Empty(Rules.Evaluate(GovernanceAssessedDaysAgo(270), Stale));

    [Fact]
    public void a_layer_assessed_just_over_the_limit_is_stale_and_cites_the_date()
    {
        // 271 days before 1 March 2026 is 3 June 2025.
        var finding = Assert.Single(Rules.Evaluate(GovernanceAssessedDaysAgo(271), Stale));

        Assert.Equal("stale-layer", finding.RuleId);
        Assert.Equal("staleness", finding.Kind);
        Assert.Equal("Governance", finding.Subject);
        Assert.Equal(FlagSeverity.Low, finding.Severity);
        Assert.Equal([Layer.Governance], finding.Layers);
        Assert.Equal([new Figure("lastAssessedDate", 20250603)], finding.Figures);
        Assert.Equal(
            "Governance was last assessed on 2025-06-03, more than 270 days ago, while other layers have been assessed since: "
            + "its level may no longer show where the agency stands.",
            finding.Explanation.En);
        Assert.Equal(
            "अभिशासन का पिछला आकलन 2025-06-03 को हुआ था, 270 दिनों से भी पहले, जबकि अन्य परतों का आकलन उसके बाद हुआ है: "
            + "हो सकता है इसका स्तर अब एजेंसी की वास्तविक स्थिति न दर्शाए।",
            finding.Explanation.Hi);
    }

    [Fact]
    public void the_last_assessment_of_any_indicator_of_the_layer_counts()
    {
        var facts = new History()
            .Assess(Layer.Governance, 3, Now.AddDays(-400))
            .Assess("governance.risk-assessment", 4, Now.AddDays(-100))
            .Assess(Layer.Data, 3, Recently)
            .At(Now);

        Assert.Empty(Rules.Evaluate(facts, Stale));
    }

    [Fact]
    public void every_stale_layer_is_a_flag_of_its_own()
    {
        var facts = new History()
            .Assess(Layer.Compute, 3, Now.AddDays(-300))
            .Assess(Layer.Skills, 3, Now.AddDays(-500))
            .Assess(Layer.Data, 3, Recently)
            .At(Now);

        var findings = Rules.Evaluate(facts, Stale);

        Assert.Equal(["Compute", "Skills"], findings.Select(f => f.Subject));
        Assert.Equal(
            [20250505, 20241017],
            findings.Select(f => f.Figures.Single().Value));
    }

    [Fact]
    public void when_every_layer_is_old_none_is_singled_out()
    {
        var facts = new History()
            .Assess(Layer.Compute, 3, Now.AddDays(-300))
            .Assess(Layer.Data, 3, Now.AddDays(-280))
            .At(Now);

        Assert.Empty(Rules.Evaluate(facts, Stale));
    }

    [Theory]
    [InlineData(270, true)] // within staleDays: the other layer counts as assessed since
    [InlineData(271, false)] // both over the limit: neither is singled out
    public void another_layer_assessed_up_to_the_limit_counts_as_recent(int otherDaysAgo, bool raised)
    {
        var facts = new History()
            .Assess(Layer.Governance, 3, Now.AddDays(-400))
            .Assess(Layer.Data, 3, Now.AddDays(-otherDaysAgo))
            .At(Now);

        var findings = Rules.Evaluate(facts, Stale);

        Assert.Equal(raised ? ["Governance"] : [], findings.Select(f => f.Subject));
    }

    [Fact]
    public void a_layer_never_assessed_is_not_stale()
    {
        var facts = new History().Assess(Layer.Data, 3, Recently).At(Now);

        Assert.Empty(Rules.Evaluate(facts, Stale));
    }

    [Fact]
    public void days_are_counted_between_dates_in_the_offset_of_the_moment_evaluated()
    {
        // 2 June 2025 20:00 UTC is 3 June 2025 01:30 in India: 271 days before 1 March 2026, not 272.
        var facts = new History()
            .Assess(Layer.Governance, 3, new DateTimeOffset(2025, 6, 2, 20, 0, 0, TimeSpan.Zero))
            .Assess(Layer.Data, 3, Recently)
            .At(Now);

        var finding = Assert.Single(Rules.Evaluate(facts, Stale));

        Assert.Equal(20250603, finding.Figures[0].Value);
    }

    [Fact]
    public void the_flag_reads_the_same_on_later_days_while_nothing_is_assessed()
    {
        var history = new History()
            .Assess(Layer.Governance, 3, Now.AddDays(-300))
            .Assess(Layer.Data, 3, Recently);

        var today = Assert.Single(Rules.Evaluate(history.At(Now), Stale));
        var later = Assert.Single(Rules.Evaluate(history.At(Now.AddDays(30)), Stale));

        Assert.Equal(today.Figures, later.Figures);
        Assert.Equal(today.Explanation, later.Explanation);
    }
}
