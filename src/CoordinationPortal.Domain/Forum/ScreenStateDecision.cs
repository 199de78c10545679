namespace CoordinationPortal.Domain.Forum;

/// <summary>
/// What <see cref="ScreenStateDecider"/> answers: the screen state as it should be now (<see cref="After"/>), nothing to
/// change (neither after nor errors), or why not. The web kernel's document runner takes the same three answers; the
/// domain has its own type because it depends on nothing.
/// </summary>
public sealed record ScreenStateDecision(ScreenState? After, IReadOnlyList<DomainError> Errors)
{
    public bool IsAccepted => Errors.Count == 0;

    public static ScreenStateDecision Change(ScreenState after) => new(after, []);

    public static ScreenStateDecision Unchanged { get; } = new(null, []);

    public static ScreenStateDecision Reject(params DomainError[] errors) => new(null, errors);
}
