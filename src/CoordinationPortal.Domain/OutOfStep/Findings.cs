using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>One indicator assessment in an agency's history: what the scorecard history of the rules is made of.</summary>
public sealed record LevelChange(string IndicatorId, Layer Layer, int Level, DateTimeOffset At);

/// <summary>One endpoint of the agency and what it delivered over the last 7 days.</summary>
public sealed record EndpointMeasure(Guid EndpointId, string Name, SloTargets Targets, SloReport Week);

/// <summary>
/// What the live probes say about an agency. <see cref="HasEndpoints"/> false means nothing is registered (so a
/// claim of operations maturity is unsupported); an endpoint without samples in the week counts neither way.
/// </summary>
public sealed record MeasuredEvidence(IReadOnlyList<EndpointMeasure> Endpoints)
{
    public static MeasuredEvidence None { get; } = new([]);

    public bool HasEndpoints => Endpoints.Count > 0;
}

/// <summary>
/// An action item the agency owns that is neither done nor dropped at the moment evaluated: what it is, the layer it
/// serves and when it is due. Working groups supply them (through the web layer's commitment source); the domain knows
/// nothing else of working groups. <see cref="Title"/> is user text, cited verbatim.
/// </summary>
public sealed record Commitment(Guid ActionItemId, string Title, Layer Layer, DateOnly DueDate);

/// <summary>
/// Everything the rules look at for one agency at one moment: its assessment history (in business-time order), its
/// measurements and its open commitments. Rules are pure functions of this (and their settings), so they can be
/// tested without storage.
/// </summary>
public sealed record AgencyFacts(Guid AgencyId, DateTimeOffset At, IReadOnlyList<LevelChange> History, MeasuredEvidence Measured)
{
    /// <summary>The agency's action items open (neither done nor dropped) at <see cref="At"/>; none unless a source supplies them.</summary>
    public IReadOnlyList<Commitment> Commitments { get; init; } = [];
}

/// <summary>
/// A rule's condition holds: what the flag will say. <see cref="Subject"/> distinguishes several flags of one rule
/// for one agency (e.g. the stale layer), and is empty when the rule raises at most one. Figures must stay the same
/// while the data behind them does (cite dates, not "days ago"), so re-evaluation does not churn.
/// </summary>
public sealed record Finding(
    string RuleId,
    string Kind,
    string Subject,
    FlagSeverity Severity,
    IReadOnlyList<Layer> Layers,
    IReadOnlyList<Figure> Figures,
    LocalizedText Explanation)
{
    /// <summary>
    /// A finding of <paramref name="rule"/> whose figures are the numbers its explanation cites: each is listed once, in
    /// <paramref name="figures"/> (so a figure and its citation cannot drift apart), and the other placeholders (layer
    /// names, the rule's own settings) in <paramref name="others"/>.
    /// </summary>
    public static Finding Citing(
        RuleDefinition rule, IReadOnlyList<Layer> layers, IReadOnlyList<Citation> figures, IReadOnlyList<Citation> others,
        string subject = "", FlagSeverity? severity = null) =>
        new(
            rule.Id,
            rule.Kind,
            subject,
            severity ?? rule.Severity,
            layers,
            [.. figures.Select(c => new Figure(c.Name, c.Value ?? throw new ArgumentException($"{c.Name} cites no number.", nameof(figures))))],
            Citation.Fill(rule.Explanation, [.. figures, .. others]));
}
