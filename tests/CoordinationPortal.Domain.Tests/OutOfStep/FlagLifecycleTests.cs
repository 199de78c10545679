using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>
/// Flags through their life with the seed rules: findings reconciled against the flags they produced, folded with
/// <see cref="Flag.Evolve"/>, acknowledged through <see cref="FlagDecider"/>.
/// </summary>
public sealed class FlagLifecycleTests
{
    private static readonly DateTimeOffset Assessed = History.On(2026, 1, 10);
    private static readonly Guid ComputeLeadsDataFlag = FlagIds.For(History.AgencyId, "compute-leads-data", "");

    /// <summary>The agency's flags, as their streams fold.</summary>
    private readonly Dictionary<Guid, Flag> _flags = [];

    /// <summary>Compute at 4; Data, Governance, Skills and Operations at the level given, all assessed together.</summary>
    private static AgencyFacts Profile(int others, DateTimeOffset at) => new History()
        .Assess(Layer.Compute, 4, Assessed)
        .Assess(Layer.Data, others, Assessed)
        .Assess(Layer.Governance, others, Assessed)
        .Assess(Layer.Skills, others, Assessed)
        .Assess(Layer.Operations, others, Assessed)
        .At(at, MeasuredEvidence.None);

    private IReadOnlyList<FlagChange> Evaluate(AgencyFacts facts, RuleSet? rules = null)
    {
        rules ??= Rules.Seed;
        var findings = OutOfStepRules.Evaluate(facts, rules, Rules.Framework);
        var changes = FlagReconciler.Reconcile(facts.AgencyId, findings, [.. _flags.Values], facts.At, rules.ActiveIds);
        foreach (var change in changes)
        {
            Assert.Equal(change.IsNew, !_flags.ContainsKey(change.FlagId));
            Apply(change.FlagId, change.Event);
        }

        return changes;
    }

    private void Apply(Guid flagId, object @event) =>
        _flags[flagId] = Flag.Evolve(_flags.GetValueOrDefault(flagId), @event) ?? throw new InvalidOperationException("No flag.");

    [Fact]
    public void raised_acknowledged_resolved_when_clear_and_raised_again_when_it_returns()
    {
        // Compute 4 and the rest at 2: spread 2.0 (Medium), Compute leads Data by 2.0 (High).
        var raised = Evaluate(Profile(2, History.On(2026, 2, 1)));

        Assert.Equal(["spread", "compute-leads-data"], raised.Select(c => ((FlagRaised)c.Event).RuleId));
        Assert.All(raised, c => Assert.True(c.IsNew));
        var flag = _flags[ComputeLeadsDataFlag];
        Assert.Equal(FlagStatus.Open, flag.Status);
        Assert.Equal(1, flag.Occurrence);
        Assert.Equal(FlagSeverity.High, flag.Severity);
        Assert.StartsWith("Compute is at level 4.0 but Data is at level 2.0", flag.Explanation.En, StringComparison.Ordinal);

        var decision = FlagDecider.Decide(
            new AcknowledgeFlag(ComputeLeadsDataFlag, " Data-quality audits start in April. ", "asha.rao@meity.gov.in", History.On(2026, 2, 2)),
            flag);
        Assert.True(decision.IsAccepted);
        Apply(ComputeLeadsDataFlag, Assert.Single(decision.Events));
        Assert.Equal(FlagStatus.Acknowledged, _flags[ComputeLeadsDataFlag].Status);
        Assert.Equal("Data-quality audits start in April.", _flags[ComputeLeadsDataFlag].AcknowledgementNote);

        // The rest rise to 3: Compute leads Data by exactly the margin, the spread is 1.0 — both clear.
        var cleared = Evaluate(Profile(3, History.On(2026, 3, 1)));

        Assert.Equal(
            [(ComputeLeadsDataFlag, ResolutionReason.ConditionCleared), (FlagIds.For(History.AgencyId, "spread", ""), ResolutionReason.ConditionCleared)],
            cleared.Select(c => (c.FlagId, ((FlagResolved)c.Event).Reason)));
        flag = _flags[ComputeLeadsDataFlag];
        Assert.Equal(FlagStatus.Resolved, flag.Status);
        Assert.Equal(History.On(2026, 3, 1), flag.ResolvedAt);
        Assert.False(FlagDecider.Decide(new AcknowledgeFlag(flag.Id, "Seen.", "asha.rao@meity.gov.in", History.On(2026, 3, 2)), flag).IsAccepted);

        // The rest fall back to 2: raised again, the second occurrence, the old acknowledgement gone.
        var returned = Evaluate(Profile(2, History.On(2026, 4, 1)));

        var again = Assert.Single(returned, c => c.FlagId == ComputeLeadsDataFlag);
        Assert.False(again.IsNew);
        Assert.Equal(2, ((FlagRaised)again.Event).Occurrence);
        flag = _flags[ComputeLeadsDataFlag];
        Assert.Equal(FlagStatus.Open, flag.Status);
        Assert.Equal(2, flag.Occurrence);
        Assert.Null(flag.AcknowledgedBy);
        Assert.Null(flag.AcknowledgementNote);
        Assert.Null(flag.ResolvedAt);
        Assert.Equal(
            [new FlagEpisode(1, FlagSeverity.High, History.On(2026, 2, 1), History.On(2026, 3, 1)), new FlagEpisode(2, FlagSeverity.High, History.On(2026, 4, 1), null)],
            flag.Episodes);
    }

    [Fact]
    public void evaluating_unchanged_facts_again_changes_nothing()
    {
        Assert.NotEmpty(Evaluate(Profile(2, History.On(2026, 2, 1))));

        Assert.Empty(Evaluate(Profile(2, History.On(2026, 2, 1))));
        Assert.Empty(Evaluate(Profile(2, History.On(2026, 2, 20))));
    }

    [Fact]
    public void evaluating_every_seed_rule_twice_raises_nothing_twice()
    {
        // Every kind raised at once: spread (5 − 2), two lead rules, velocity (Compute +3, Data flat), Data and Skills
        // stale (assessed 304 days before), claimed-vs-measured (Operations at 4 with no endpoint).
        var facts = new History()
            .Assess(Layer.Compute, 2, History.On(2025, 5, 1))
            .Assess(Layer.Data, 2, History.On(2025, 5, 1))
            .Assess(Layer.Skills, 2, History.On(2025, 5, 1))
            .Assess(Layer.Compute, 5, History.On(2026, 1, 10))
            .Assess(Layer.Operations, 4, History.On(2026, 1, 10))
            .At(History.On(2026, 3, 1));

        var first = Evaluate(facts);

        Assert.Equal(
            [
                ("spread", ""), ("compute-leads-data", ""), ("operations-leads-skills", ""), ("velocity-divergence", ""),
                ("stale-layer", "Data"), ("stale-layer", "Skills"), ("claimed-vs-measured", "Operations"),
            ],
            first.Select(c => c.Event is FlagRaised e ? (e.RuleId, e.Subject) : default));
        Assert.Empty(Evaluate(facts));
    }

    [Fact]
    public void a_change_in_the_figures_updates_the_open_flag_and_keeps_its_acknowledgement()
    {
        Evaluate(Profile(2, History.On(2026, 2, 1)));
        Apply(ComputeLeadsDataFlag, new FlagAcknowledged(ComputeLeadsDataFlag, "Working on it.", "asha.rao@meity.gov.in", History.On(2026, 2, 2)));

        // Data's lawful-basis indicator (weight 1.5) rises: Data (2 + 2 + 0.5·2 + 2 + 1.5·3) / 5 = 2.3, still 1.7 behind Compute.
        var facts = new History()
            .Assess(Layer.Compute, 4, Assessed)
            .Assess(Layer.Data, Assessed, 2, 2, 2, 2, 3)
            .Assess(Layer.Governance, 2, Assessed)
            .Assess(Layer.Skills, 2, Assessed)
            .Assess(Layer.Operations, 2, Assessed)
            .At(History.On(2026, 2, 10), MeasuredEvidence.None);
        var changes = Evaluate(facts);

        var updated = Assert.IsType<FlagUpdated>(Assert.Single(changes, c => c.FlagId == ComputeLeadsDataFlag).Event);
        Assert.Equal([new("leadLevel", 4.0), new("lagLevel", 2.3), new Figure("gapLevels", 1.7)], updated.Figures);
        var flag = _flags[ComputeLeadsDataFlag];
        Assert.Equal(FlagStatus.Acknowledged, flag.Status);
        Assert.Equal(1, flag.Occurrence);
        Assert.StartsWith("Compute is at level 4.0 but Data is at level 2.3", flag.Explanation.En, StringComparison.Ordinal);
    }

    [Fact]
    public void a_rule_withdrawn_from_the_rules_resolves_its_open_flags_as_withdrawn()
    {
        Evaluate(Profile(2, History.On(2026, 2, 1)));
        var withoutLead = Rules.Seed with { Rules = [.. Rules.Seed.Rules.Where(r => r.Id != "compute-leads-data")] };

        var changes = Evaluate(Profile(2, History.On(2026, 2, 5)), withoutLead);

        var resolved = Assert.IsType<FlagResolved>(Assert.Single(changes).Event);
        Assert.Equal(ComputeLeadsDataFlag, resolved.FlagId);
        Assert.Equal(ResolutionReason.RuleWithdrawn, resolved.Reason);
        Assert.Equal(ResolutionReason.RuleWithdrawn, _flags[ComputeLeadsDataFlag].ResolutionReason);
    }

    [Fact]
    public void a_rule_disabled_in_the_rules_is_withdrawn_too()
    {
        Evaluate(Profile(2, History.On(2026, 2, 1)));
        var disabled = Rules.Seed with { Rules = [.. Rules.Seed.Rules.Select(r => r.Id == "spread" ? r with { Enabled = false } : r)] };

        var changes = Evaluate(Profile(2, History.On(2026, 2, 5)), disabled);

        var resolved = Assert.IsType<FlagResolved>(Assert.Single(changes).Event);
        Assert.Equal(FlagIds.For(History.AgencyId, "spread", ""), resolved.FlagId);
        Assert.Equal(ResolutionReason.RuleWithdrawn, resolved.Reason);
    }

    [Fact]
    public void flag_ids_are_the_same_every_time_and_differ_by_agency_rule_and_subject()
    {
        var other = new Guid("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
        var ids = new[]
        {
            FlagIds.For(History.AgencyId, "stale-layer", "Compute"),
            FlagIds.For(History.AgencyId, "stale-layer", "Data"),
            FlagIds.For(History.AgencyId, "stale-layer", ""),
            FlagIds.For(History.AgencyId, "spread", "Compute"),
            FlagIds.For(other, "stale-layer", "Compute"),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(ids[0], FlagIds.For(new Guid(History.AgencyId.ToString()), "stale-layer", "Compute"));
        Assert.Equal(5, ids[0].Version);
    }

    [Fact]
    public void each_stale_layer_is_a_flag_stream_of_its_own()
    {
        var facts = new History()
            .Assess(Layer.Compute, 3, History.On(2025, 1, 1))
            .Assess(Layer.Skills, 3, History.On(2025, 1, 1))
            .Assess(Layer.Data, 3, History.On(2026, 2, 1))
            .At(History.On(2026, 3, 1));

        var changes = Evaluate(facts);

        Assert.Equal(
            [FlagIds.For(History.AgencyId, "stale-layer", "Compute"), FlagIds.For(History.AgencyId, "stale-layer", "Skills")],
            changes.Where(c => c.Event is FlagRaised { RuleId: "stale-layer" }).Select(c => c.FlagId));

        // Skills is reassessed: its flag resolves, Compute's stays.
        var later = new History()
            .Assess(Layer.Compute, 3, History.On(2025, 1, 1))
            .Assess(Layer.Skills, 3, History.On(2025, 1, 1))
            .Assess(Layer.Data, 3, History.On(2026, 2, 1))
            .Assess(Layer.Skills, 3, History.On(2026, 3, 5))
            .At(History.On(2026, 3, 10));
        var resolved = Evaluate(later);

        Assert.Equal(FlagIds.For(History.AgencyId, "stale-layer", "Skills"), Assert.Single(resolved).FlagId);
        Assert.True(_flags[FlagIds.For(History.AgencyId, "stale-layer", "Compute")].IsOpen);
    }
}
