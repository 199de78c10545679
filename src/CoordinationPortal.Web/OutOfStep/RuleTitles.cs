using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>Rule titles from the rules in force; for a flag whose rule was withdrawn, the rule id stands in.</summary>
public sealed class RuleTitles(RuleSet rules)
{
    public IReadOnlyList<string> RuleIds => [.. rules.Rules.Select(r => r.Id)];

    public string Title(string ruleId, string language) =>
        Localized(ruleId)?.For(language) is { Length: > 0 } title ? title : ruleId;

    public LocalizedText? Localized(string ruleId) => rules.Rules.FirstOrDefault(r => r.Id == ruleId)?.Title;
}
