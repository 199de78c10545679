using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// One rule from <c>seed-data/out-of-step-rules.json</c>: which kind of check it is (the function that runs it), its
/// severity, its settings (thresholds, layers, windows; numbers and layer names as strings), and the texts a flag
/// shows. Several rules may share a kind with different settings (the four lead rules are one kind).
/// </summary>
public sealed record RuleDefinition(
    string Id,
    string Kind,
    FlagSeverity Severity,
    bool Enabled,
    IReadOnlyDictionary<string, string> Settings,
    LocalizedText Title,
    LocalizedText Explanation);

/// <summary>The rules in force. <see cref="ActiveIds"/> are the enabled ones; a flag of any other rule is withdrawn.</summary>
public sealed record RuleSet(string Version, IReadOnlyList<RuleDefinition> Rules)
{
    public IEnumerable<RuleDefinition> Active => Rules.Where(r => r.Enabled);

    public ISet<string> ActiveIds => Active.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// A kind of rule: a pure function of one rule's settings and one agency's facts. Adding a kind of check is one
/// function registered in <see cref="OutOfStepRules.Kinds"/> and one entry in the rules file.
/// </summary>
public delegate IEnumerable<Finding> RuleFunction(RuleDefinition rule, RuleContext context);

/// <summary>One agency's facts with what the rules derive from them, computed once per evaluation.</summary>
public sealed class RuleContext(AgencyFacts facts, ReadinessFramework framework)
{
    public AgencyFacts Facts { get; } = facts;

    public ReadinessFramework Framework { get; } = framework;
}
