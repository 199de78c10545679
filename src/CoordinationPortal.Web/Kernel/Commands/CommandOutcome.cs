namespace CoordinationPortal.Web.Kernel.Commands;

/// <summary>What became of a command, whichever stream or document it ran against. Pages and the API word it through
/// <see cref="OutcomeMessages"/> and <see cref="OutcomeResults"/>.</summary>
public abstract record CommandOutcome
{
    /// <summary>Saved: <see cref="Id"/> is the stream (agency, endpoint, flag, ...), <see cref="Version"/> what it is now.</summary>
    public sealed record Accepted(Guid Id, long Version, int Appended) : CommandOutcome;

    public sealed record Invalid(IReadOnlyList<DomainError> Errors) : CommandOutcome;

    /// <summary>Someone else changed it first; <see cref="CurrentVersion"/> is what it is now.</summary>
    public sealed record Conflict(long CurrentVersion) : CommandOutcome;

    public sealed record Forbidden : CommandOutcome;

    public sealed record NotFound : CommandOutcome;
}
