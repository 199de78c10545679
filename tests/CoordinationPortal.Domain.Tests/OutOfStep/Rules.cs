using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>The seed rules and framework, and rules of one kind with chosen settings for threshold tests.</summary>
internal static class Rules
{
    public static RuleSet Seed { get; } =
        RuleSetParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-data", "out-of-step-rules.json")));

    public static ReadinessFramework Framework { get; } =
        FrameworkParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-data", "framework", "readiness-framework.v1.json")));

    public static RuleDefinition SeedRule(string id) => Seed.Rules.Single(r => r.Id == id);

    /// <summary>The seed rule with some settings changed (or removed, with a null value).</summary>
    public static RuleDefinition With(this RuleDefinition rule, params (string Name, string? Value)[] settings)
    {
        var changed = rule.Settings.ToDictionary(StringComparer.Ordinal);
        foreach (var (name, value) in settings)
        {
            if (value is null)
            {
                changed.Remove(name);
            }
            else
            {
                changed[name] = value;
            }
        }

        return rule with { Settings = changed };
    }

    public static RuleSet Only(params RuleDefinition[] rules) => new("test", rules);

    public static IReadOnlyList<Finding> Evaluate(AgencyFacts facts, params RuleDefinition[] rules) =>
        OutOfStepRules.Evaluate(facts, Only(rules), Framework);
}
