namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>What a setting of a rule holds, and so how the rules file is checked.</summary>
public enum SettingType
{
    /// <summary>A number between the setting's minimum and maximum (levels, for instance).</summary>
    Number,

    /// <summary>A whole number of days between the setting's minimum and maximum.</summary>
    Days,

    /// <summary>One layer name, as the framework's layers are named in code: Compute, Data, Governance, Skills, Operations.</summary>
    Layer,

    /// <summary>Layer names separated by commas, at least one, none twice.</summary>
    LayerList,
}

/// <summary>One setting a kind of rule reads; <see cref="Min"/> and <see cref="Max"/> bound numbers and days.</summary>
public sealed record RuleSetting(string Name, SettingType Type, bool Required = true, double Min = 0, double Max = double.MaxValue);

/// <summary>
/// A text a kind of rule fills in: <c>explanation</c> (the rule's <see cref="RuleDefinition.Explanation"/>) or a named
/// case (<see cref="RuleDefinition.Cases"/>), and the placeholders it may use, e.g. <c>{lead}</c>.
/// </summary>
public sealed record RuleText(string Name, IReadOnlyList<string> Placeholders)
{
    public const string Explanation = "explanation";
}

/// <summary>
/// A kind of rule: its name in the rules file, the function that evaluates it, the settings it reads, the texts it
/// fills in, and any check across settings (returning problems, in English). The parser checks every rule against its
/// kind, so a rules file that parses can be evaluated.
/// </summary>
public sealed record RuleKind(
    string Name,
    RuleFunction Evaluate,
    IReadOnlyList<RuleSetting> Settings,
    IReadOnlyList<RuleText> Texts,
    Func<RuleDefinition, IEnumerable<string>>? Check = null);
