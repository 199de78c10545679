using System.Text.Json;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Domain.Tests.Forum;

/// <summary>
/// Given(the screen state, the session).When(an operator's command).Then(the state it leaves) / ThenUnchanged /
/// ThenRejectedWith(codes) for <see cref="ScreenStateDecider"/>. The session is in progress with two agenda items unless
/// a test says otherwise; "now" is 20 March 2026, 10:30 in India.
/// </summary>
internal static class ScreenStateSpec
{
    public const string Chair = "meera.iyer@meity.gov.in";
    public const string Secretary = "rahul.das@meity.gov.in";

    public static readonly Guid SessionId = new("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
    public static readonly Guid PollId = new("3c2b1a09-8f7e-4d6c-9b5a-493827161504");
    public static readonly Guid OtherPollId = new("7d6c5b4a-3928-4716-8504-f3e2d1c0b9a8");
    public static readonly Guid Stranger = new("e7f8a9b0-1c2d-4e3f-8a5b-6c7d8e9f0a1b");
    public static readonly DateTimeOffset Now = new(2026, 3, 20, 10, 30, 0, new TimeSpan(5, 30, 0));

    public static readonly AgendaItem Capacity = new(new Guid("11111111-2222-4333-8444-555555555555"), "GPU capacity report", 20, "Asha Rao");
    public static readonly AgendaItem Budget = new(new Guid("66666666-7777-4888-9999-aaaaaaaaaaaa"), "Budget", 15, null);

    public static readonly GroupSession Session = new()
    {
        Id = SessionId,
        Title = "Quarterly coordination",
        StartsAt = Now.AddMinutes(-30),
        EndsAt = Now.AddHours(2),
        Agenda = [Capacity, Budget],
        State = SessionState.InProgress,
        StartedAt = Now.AddMinutes(-30),
    };

    public static ScreenState Default => ScreenState.Default(SessionId);

    public static ScreenStateScenario Given(ScreenState state, GroupSession? session = null) => new(state, session ?? Session);

    public static ScreenStateScenario GivenDefault(SessionState sessionState = SessionState.InProgress) =>
        new(Default, Session with { State = sessionState });

    /// <summary>What a change stamps on the state besides what it changes.</summary>
    public static ScreenState Stamped(ScreenState state, DateTimeOffset at, string by = Chair) => state with { ChangedBy = by, ChangedAt = at };
}

internal sealed class ScreenStateScenario(ScreenState state, GroupSession session)
{
    public ScreenState State { get; } = state;

    public ScreenStateOutcome When(ScreenCommand command) => new(ScreenStateDecider.Decide(command, State, session));

    public ScreenStateOutcome WhenAll(params ScreenCommand[] commands) => new(ScreenStateDecider.DecideAll(commands, State, session));
}

internal sealed class ScreenStateOutcome(ScreenStateDecision decision)
{
    public ScreenStateDecision Decision { get; } = decision;

    /// <summary>Accepted, and the state is now exactly <paramref name="expected"/> (compared by value, lists included).</summary>
    public ScreenState Then(ScreenState expected)
    {
        Assert.True(Decision.IsAccepted, "Expected a change, but it was refused with: " + string.Join(", ", Decision.Errors));
        Assert.NotNull(Decision.After);
        Assert.Equal(Describe(expected), Describe(Decision.After));
        return Decision.After;
    }

    /// <summary>Accepted, changing nothing.</summary>
    public void ThenUnchanged()
    {
        Assert.True(Decision.IsAccepted, "Expected nothing to change, but it was refused with: " + string.Join(", ", Decision.Errors));
        Assert.Null(Decision.After);
    }

    /// <summary>Refused with exactly these codes (any order), each tagged with a field.</summary>
    public void ThenRejectedWith(params string[] codes)
    {
        Assert.False(Decision.IsAccepted, "Expected a refusal, but it was accepted: " + (Decision.After is null ? "unchanged" : Describe(Decision.After)));
        Assert.Null(Decision.After);
        Assert.Equal(codes.Order(StringComparer.Ordinal), Decision.Errors.Select(e => e.Code).Order(StringComparer.Ordinal));
        Assert.All(Decision.Errors, e => Assert.False(string.IsNullOrEmpty(e.Field), e.Code + " names no field"));
    }

    private static string Describe(ScreenState state) => JsonSerializer.Serialize(state);
}
