using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Domain.Scoring;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>
/// A made-up agency that a rule flags, and what the rule finds for it: <see cref="Findings"/> come from
/// <see cref="OutOfStepRules.Evaluate"/>, so the methodology page shows what the code does, never typed numbers.
/// </summary>
public sealed record WorkedExample(RuleDefinition Rule, AgencyFacts Facts, LayerScores Scores, IReadOnlyList<Finding> Findings);

/// <summary>
/// Builds, for each kind of rule, a small assessment history (one indicator per layer, so a layer's level is its
/// indicator's level) that crosses the rule's thresholds as the rules file sets them, and evaluates the rule on it.
/// </summary>
public static class WorkedExamples
{
    /// <summary>A fixed moment, so the page reads the same every day.</summary>
    public static DateTimeOffset At { get; } = new(2026, 1, 15, 10, 0, 0, TimeSpan.FromHours(5.5));

    private const string ExampleEndpoint = "example-llm";

    /// <summary>The example for the rule, or null for a kind that has no example yet (a kind added since).</summary>
    public static WorkedExample? For(RuleDefinition rule, ReadinessFramework framework)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(framework);
        var facts = rule.Kind switch
        {
            SpreadRule.KindName => Spread(rule, framework),
            LeadRule.KindName => Lead(rule, framework),
            VelocityRule.KindName => Velocity(rule, framework),
            StalenessRule.KindName => Staleness(rule, framework),
            ClaimedVsMeasuredRule.KindName => ClaimedVsMeasured(rule, framework),
            SlippingCommitmentRule.KindName => SlippingCommitment(rule, framework),
            _ => null,
        };
        if (facts is null)
        {
            return null;
        }

        // Only this rule, enabled: the finding shown is this rule's, whatever else the rules file holds.
        var findings = OutOfStepRules.Evaluate(facts, new RuleSet("example", [rule with { Enabled = true }]), framework);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var change in facts.History.Where(c => c.At <= facts.At))
        {
            levels[change.IndicatorId] = change.Level;
        }

        return new WorkedExample(rule, facts, Scores.Layers(framework, levels), findings);
    }

    /// <summary>The strongest layer a whole number of levels (at least the threshold) above the weakest; the others between.</summary>
    private static AgencyFacts Spread(RuleDefinition rule, ReadinessFramework framework)
    {
        var gap = Math.Clamp((int)Math.Ceiling(rule.Number("minLevels")), 1, 4);
        var weak = Math.Max(1, Math.Min(2, 5 - gap));
        var levels = Uniform(weak + (gap / 2));
        levels[Layer.Compute] = weak + gap;
        levels[Layer.Data] = weak;
        return Facts([.. Assessed(framework, levels, At.AddDays(-60))]);
    }

    /// <summary>The lead layer the smallest whole number of levels above the lag layer that is more than the margin.</summary>
    private static AgencyFacts Lead(RuleDefinition rule, ReadinessFramework framework)
    {
        var gap = Math.Clamp((int)Math.Floor(rule.Number("marginLevels")) + 1, 1, 4);
        var lag = Math.Max(1, Math.Min(2, 5 - gap));
        var levels = Uniform(lag + (gap / 2));
        levels[rule.Layer("lead")] = lag + gap;
        levels[rule.Layer("lag")] = lag;
        return Facts([.. Assessed(framework, levels, At.AddDays(-60))]);
    }

    /// <summary>
    /// Every layer at one level before the window; within it Compute rises by the minimum rise (rounded up to a
    /// whole level) and Data stays flat, or falls when the setting asks for a fall.
    /// </summary>
    private static AgencyFacts Velocity(RuleDefinition rule, ReadinessFramework framework)
    {
        var window = rule.Days("windowDays");
        var rise = Math.Max(1, (int)Math.Ceiling(rule.Number("minRiseLevels")));
        var flatMax = rule.Number("flatMaxChangeLevels");
        var drop = flatMax >= 0 ? 0 : (int)Math.Ceiling(-flatMax);
        var start = Math.Clamp(Math.Min(3, 5 - rise), 1 + drop, 5);
        var before = At.AddDays(-window - 30);
        var within = At.AddDays(-Math.Min(30, Math.Max(1, window / 2)));
        List<LevelChange> history = [.. Assessed(framework, Uniform(start), before)];
        history.Add(Change(framework, Layer.Compute, Math.Min(5, start + rise), within));
        if (drop > 0)
        {
            history.Add(Change(framework, Layer.Data, Math.Max(1, start - drop), within.AddMinutes(1)));
        }

        return Facts(history);
    }

    /// <summary>Data last assessed a month beyond the limit; every other layer assessed yesterday.</summary>
    private static AgencyFacts Staleness(RuleDefinition rule, ReadinessFramework framework)
    {
        var staleDays = rule.Days("staleDays");
        var others = Uniform(3);
        others.Remove(Layer.Data);
        List<LevelChange> history = [Change(framework, Layer.Data, 3, At.AddDays(-staleDays - 30))];
        history.AddRange(Assessed(framework, others, At.AddDays(-1)));
        return Facts(history);
    }

    /// <summary>
    /// The first layer the rule checks self-assessed at the level it asks about (the others lower), and one endpoint
    /// that answered 1,956 of 2,016 probes over the week (every five minutes), short of a 99.5 % availability target.
    /// </summary>
    private static AgencyFacts ClaimedVsMeasured(RuleDefinition rule, ReadinessFramework framework)
    {
        var claimed = Math.Clamp((int)Math.Ceiling(rule.Number("minClaimedLevel")), 1, 5);
        var levels = Uniform(Math.Max(1, claimed - 1));
        levels[rule.LayerList("layers")[0]] = claimed;

        var targets = new SloTargets(AvailabilityPercent: 99.5, P95TtftMs: 800, MinOutputTokensPerSecond: 20);
        var ttft = new LogHistogram();
        var tokens = new LogHistogram();
        for (var i = 0; i < 1956; i++)
        {
            ttft.Add(420 + (i % 200));
            tokens.Add(35);
        }

        var week = SloMath.Evaluate(SloWindow.Week, new SloWindowStats(2016, 1956, 0, 60, ttft, tokens), targets);
        var measured = new MeasuredEvidence([new EndpointMeasure(Guid.Empty, ExampleEndpoint, targets, week)]);
        return Facts([.. Assessed(framework, levels, At.AddDays(-60))], measured);
    }

    /// <summary>The example's action item: a fixed id, so the example's flag subject reads the same every time.</summary>
    public static Guid ExampleActionItem { get; } = new("5a1e0c3b-7d2f-4e8a-9b61-0c4d2e8f1a37");

    /// <summary>
    /// Every layer at level 3 but Data at 2 (the weakest), and one open action item on Data that is overdue by as many
    /// days as raise the severity to Medium (or ten days when the rule does not escalate); a second item, not yet due,
    /// shows that only overdue items count.
    /// </summary>
    private static AgencyFacts SlippingCommitment(RuleDefinition rule, ReadinessFramework framework)
    {
        var levels = Uniform(3);
        levels[Layer.Data] = 2;
        var today = DateOnly.FromDateTime(At.DateTime);
        var overdue = rule.Settings.ContainsKey("mediumAfterDays") ? rule.Days("mediumAfterDays") : 10;
        return Facts([.. Assessed(framework, levels, At.AddDays(-60))]) with
        {
            Commitments =
            [
                new(ExampleActionItem, "Publish the data-sharing policy / डेटा-साझाकरण नीति प्रकाशित करें", Layer.Data, today.AddDays(-overdue)),
                new(new Guid("9c3b1f5e-2a4d-4c6e-8f0a-1b2c3d4e5f60"), "Train the data stewards / डेटा प्रबंधकों को प्रशिक्षित करें", Layer.Data, today.AddDays(30)),
            ],
        };
    }

    private static Dictionary<Layer, int> Uniform(int level) => Layers.All.ToDictionary(l => l, _ => Math.Clamp(level, 1, 5));

    private static IEnumerable<LevelChange> Assessed(ReadinessFramework framework, Dictionary<Layer, int> levels, DateTimeOffset at) =>
        Layers.All.Where(levels.ContainsKey).Select((layer, i) => Change(framework, layer, levels[layer], at.AddMinutes(i)));

    /// <summary>The layer's first indicator at the level: with one indicator assessed, the layer's level is that level.</summary>
    private static LevelChange Change(ReadinessFramework framework, Layer layer, int level, DateTimeOffset at) =>
        new(framework.LayerOf(layer).Indicators[0].Id, layer, level, at);

    private static AgencyFacts Facts(List<LevelChange> history, MeasuredEvidence? measured = null) =>
        new(Guid.Empty, At, history.OrderBy(c => c.At).ToList(), measured ?? MeasuredEvidence.None);
}
