namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>One raising of a flag, from raised to resolved (open while <see cref="ResolvedAt"/> is null).</summary>
public sealed record FlagEpisode(int Occurrence, FlagSeverity Severity, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt);

/// <summary>
/// A flag: the state folded from its stream. The flag id is derived from agency, rule and subject
/// (<see cref="FlagIds.For"/>), so evaluating twice finds the same stream and raises nothing twice.
/// </summary>
public sealed record Flag
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public Guid AgencyId { get; init; }
    public string RuleId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Subject { get; init; } = "";
    public FlagSeverity Severity { get; init; }
    public IReadOnlyList<Layer> Layers { get; init; } = [];
    public IReadOnlyList<Figure> Figures { get; init; } = [];
    public LocalizedText Explanation { get; init; } = new("", "");
    public FlagStatus Status { get; init; }
    public int Occurrence { get; init; }
    public DateTimeOffset RaisedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public ResolutionReason? ResolutionReason { get; init; }
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgementNote { get; init; }

    /// <summary>The severity before the last change of severity in this episode (null when it has kept its first one).</summary>
    public FlagSeverity? PreviousSeverity { get; init; }

    /// <summary>When the severity last changed in this episode.</summary>
    public DateTimeOffset? SeverityChangedAt { get; init; }

    public IReadOnlyList<FlagEpisode> Episodes { get; init; } = [];

    public bool IsOpen => Status != FlagStatus.Resolved;

    /// <summary>The first raising: the flag's identity, then the same as every later raising.</summary>
    public static Flag Raised(FlagRaised e) =>
        new Flag { Id = e.FlagId, AgencyId = e.AgencyId, RuleId = e.RuleId, Kind = e.Kind, Subject = e.Subject }.When(e);

    /// <summary>Raised (again, after it had cleared): a new episode, and any old acknowledgement no longer applies.</summary>
    public Flag When(FlagRaised e) => this with
    {
        Version = Version + 1,
        Severity = e.Severity,
        Layers = e.Layers,
        Figures = e.Figures,
        Explanation = e.Explanation,
        Status = FlagStatus.Open,
        Occurrence = e.Occurrence,
        RaisedAt = e.At,
        UpdatedAt = e.At,
        ResolvedAt = null,
        ResolutionReason = null,
        AcknowledgedBy = null,
        AcknowledgedAt = null,
        AcknowledgementNote = null,
        PreviousSeverity = null,
        SeverityChangedAt = null,
        Episodes = [.. Episodes, new FlagEpisode(e.Occurrence, e.Severity, e.At, null)],
    };

    public Flag When(FlagUpdated e) => this with
    {
        Version = Version + 1,
        Severity = e.Severity,
        Layers = e.Layers,
        Figures = e.Figures,
        Explanation = e.Explanation,
        UpdatedAt = e.At,
        PreviousSeverity = e.Severity == Severity ? PreviousSeverity : Severity,
        SeverityChangedAt = e.Severity == Severity ? SeverityChangedAt : e.At,
        Episodes = WithLastEpisode(last => last with { Severity = (FlagSeverity)Math.Max((int)last.Severity, (int)e.Severity) }),
    };

    public Flag When(FlagAcknowledged e) => this with
    {
        Version = Version + 1,
        Status = FlagStatus.Acknowledged,
        AcknowledgedBy = e.By,
        AcknowledgedAt = e.At,
        AcknowledgementNote = e.Note,
    };

    public Flag When(FlagResolved e) => this with
    {
        Version = Version + 1,
        Status = FlagStatus.Resolved,
        ResolvedAt = e.At,
        ResolutionReason = e.Reason,
        UpdatedAt = e.At,
        Episodes = WithLastEpisode(last => last with { ResolvedAt = e.At }),
    };

    /// <summary>The episodes with the current (last) one changed. A plain list: it loads faster than an immutable one.</summary>
    private IReadOnlyList<FlagEpisode> WithLastEpisode(Func<FlagEpisode, FlagEpisode> change) =>
        Episodes.Count == 0 ? Episodes : [.. Episodes.Take(Episodes.Count - 1), change(Episodes[^1])];

    public static Flag? Evolve(Flag? state, object @event) => (state, @event) switch
    {
        (null, FlagRaised e) => Raised(e),
        (null, _) => null,
        (_, FlagRaised e) => state.When(e),
        (_, FlagUpdated e) => state.When(e),
        (_, FlagAcknowledged e) => state.When(e),
        (_, FlagResolved e) => state.When(e),
        _ => state with { Version = state.Version + 1 },
    };

    public static Flag? Fold(IEnumerable<object> events) => events.Aggregate((Flag?)null, Evolve);
}
