using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>
/// Rule titles from the rules in force (<see cref="RuleSet"/>), when the portal has loaded a rules file; until then,
/// and for a flag whose rule was withdrawn, the rule id stands in.
/// </summary>
public sealed class RuleTitles(IServiceProvider services)
{
    private readonly RuleSet? _rules = services.GetService<RuleSet>();

    public IReadOnlyList<string> RuleIds => _rules?.Rules.Select(r => r.Id).ToList() ?? [];

    public string Title(string ruleId, string language) =>
        _rules?.Rules.FirstOrDefault(r => r.Id == ruleId)?.Title.For(language) is { Length: > 0 } title ? title : ruleId;

    public LocalizedText? Localized(string ruleId) => _rules?.Rules.FirstOrDefault(r => r.Id == ruleId)?.Title;
}
