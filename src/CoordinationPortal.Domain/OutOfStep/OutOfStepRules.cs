using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>The kinds of out-of-step rule the portal knows, and the evaluation of a rule set for one agency.</summary>
public static class OutOfStepRules
{
    /// <summary>
    /// Every kind, described: its name (the rules file's <c>kind</c> and <see cref="Finding.Kind"/>), the settings and
    /// texts the parser checks a rule against, and the function that evaluates it.
    /// <para>
    /// To add a kind of check: write its function and its <see cref="RuleKind"/> in one
    /// file (see <see cref="LeadRule"/>), add that <see cref="RuleKind"/> here, and add a rule of the kind to
    /// <c>seed-data/out-of-step-rules.json</c>. Nothing else changes: evaluation, flags and their lifecycle are the same
    /// for every kind.
    /// </para>
    /// </summary>
    public static IReadOnlyList<RuleKind> Registry { get; } =
    [
        SpreadRule.Kind,
        LeadRule.Kind,
        VelocityRule.Kind,
        StalenessRule.Kind,
        ClaimedVsMeasuredRule.Kind,
        SlippingCommitmentRule.Kind,
    ];

    private static readonly Dictionary<string, RuleKind> ByName = Registry.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The description of a kind, or null for a name no kind has.</summary>
    public static RuleKind? Describe(string kind) => ByName.GetValueOrDefault(kind);

    /// <summary>
    /// What the enabled rules find for one agency, in rule order. The agency's scores, levels and dates are derived
    /// once (<see cref="RuleContext"/>) and shared by every rule.
    /// </summary>
    public static IReadOnlyList<Finding> Evaluate(AgencyFacts facts, RuleSet rules, ReadinessFramework framework)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var context = new RuleContext(facts, framework);
        List<Finding>? findings = null;
        foreach (var rule in rules.Rules)
        {
            if (!rule.Enabled)
            {
                continue;
            }

            if (!ByName.TryGetValue(rule.Kind, out var kind))
            {
                throw new ArgumentException($"Rule '{rule.Id}' is of kind '{rule.Kind}', which no rule function implements.", nameof(rules));
            }

            foreach (var finding in kind.Evaluate(rule, context))
            {
                (findings ??= []).Add(finding);
            }
        }

        return findings ?? [];
    }
}
