namespace CoordinationPortal.Domain.OutOfStep;

public enum FlagSeverity
{
    Low,
    Medium,
    High,
}

public enum FlagStatus
{
    Open,
    Acknowledged,
    Resolved,
}

/// <summary>One number a flag cites, e.g. ("computeLevel", 4.0). Names are stable keys for the API and the strings.</summary>
public sealed record Figure(string Name, double Value);

// One stream per flag: the flag of one rule (and subject) for one agency, from its first raising on.
// A flag that clears is resolved; if the condition returns, the same stream is raised again (the next occurrence).

/// <summary>The condition of a rule holds for an agency: raised (first time or again after it cleared).</summary>
public sealed record FlagRaised(
    Guid FlagId,
    Guid AgencyId,
    string RuleId,
    string Kind,
    string Subject,
    FlagSeverity Severity,
    IReadOnlyList<Layer> Layers,
    IReadOnlyList<Figure> Figures,
    LocalizedText Explanation,
    int Occurrence,
    DateTimeOffset At);

/// <summary>Still raised, but the numbers, the layers or the severity changed since the last event.</summary>
public sealed record FlagUpdated(
    Guid FlagId,
    FlagSeverity Severity,
    IReadOnlyList<Layer> Layers,
    IReadOnlyList<Figure> Figures,
    LocalizedText Explanation,
    DateTimeOffset At);

/// <summary>A lead of the agency or an admin has seen the flag and says what is being done.</summary>
public sealed record FlagAcknowledged(Guid FlagId, string Note, string By, DateTimeOffset At);

public enum ResolutionReason
{
    /// <summary>The rule no longer holds for the agency.</summary>
    ConditionCleared,

    /// <summary>The rule was removed or disabled in the rules file.</summary>
    RuleWithdrawn,
}

/// <summary>Resolved automatically: the condition cleared (or its rule was withdrawn).</summary>
public sealed record FlagResolved(Guid FlagId, ResolutionReason Reason, DateTimeOffset At);
