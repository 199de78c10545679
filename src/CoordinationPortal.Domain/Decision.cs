namespace CoordinationPortal.Domain;

/// <summary>Why a command was refused. <see cref="Code"/> names a localised message; <see cref="Field"/> the input at fault.</summary>
public sealed record DomainError(string Code, string? Field = null);

/// <summary>What a decider answers: the events to append, or why it refuses. Every stream's decider returns one.</summary>
public sealed record Decision(IReadOnlyList<object> Events, IReadOnlyList<DomainError> Errors)
{
    public bool IsAccepted => Errors.Count == 0;

    public static Decision Accept(params object[] events) => new(events, []);

    public static Decision Reject(params DomainError[] errors) => new([], errors);

    public static Decision Reject(IReadOnlyList<DomainError> errors) => new([], errors);
}
