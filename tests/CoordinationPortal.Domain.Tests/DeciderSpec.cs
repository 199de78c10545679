using System.Text.Json;

namespace CoordinationPortal.Domain.Tests;

/// <summary>
/// Given(past events).When(command).Then(new events) / .ThenRejectedWith(error codes), for any decider: the past
/// events are folded with <c>evolve</c> (from no state) and the command decided against the result with <c>decide</c>.
/// </summary>
/// <example>
/// <code>
/// var endpoint = new DeciderSpec&lt;InferenceEndpoint, EndpointCommand&gt;(InferenceEndpoint.Evolve, EndpointDecider.Decide);
/// endpoint.Given(registered).When(new PauseEndpoint(id, by, at)).Then(new EndpointPaused(id, by, at));
/// </code>
/// </example>
internal sealed class DeciderSpec<TState, TCommand>(Func<TState?, object, TState?> evolve, Func<TCommand, TState?, Decision> decide)
    where TState : class
{
    public Scenario<TState, TCommand> Given(params object[] events) =>
        new(events.Aggregate((TState?)null, evolve), decide);
}

/// <summary>The state the given events leave, waiting for a command.</summary>
internal sealed class Scenario<TState, TCommand>(TState? state, Func<TCommand, TState?, Decision> decide)
    where TState : class
{
    /// <summary>The state folded from the given events (null when they register nothing).</summary>
    public TState? State { get; } = state;

    public Outcome When(TCommand command) => new(decide(command, State));
}

/// <summary>What the decider answered, with assertions on it.</summary>
internal sealed class Outcome(Decision decision)
{
    public Decision Decision { get; } = decision;

    /// <summary>The command is accepted and records exactly these events, in this order (compared by value, lists included).</summary>
    public void Then(params object[] expected)
    {
        Assert.True(Decision.IsAccepted, "Expected the command to be accepted, but it was rejected with: " + string.Join(", ", Decision.Errors));
        Assert.Equal(expected.Select(Describe), Decision.Events.Select(Describe));
    }

    /// <summary>The command is accepted and records nothing.</summary>
    public void ThenNothingHappens() => Then();

    /// <summary>The command is refused with exactly these error codes (in any order) and records nothing.</summary>
    public void ThenRejectedWith(params string[] codes)
    {
        Assert.NotEmpty(codes);
        Assert.False(Decision.IsAccepted, "Expected the command to be refused, but it was accepted with: " + string.Join(", ", Decision.Events.Select(Describe)));
        Assert.Empty(Decision.Events);
        Assert.Equal(codes.Order(StringComparer.Ordinal), Decision.Errors.Select(e => e.Code).Order(StringComparer.Ordinal));
    }

    private static string Describe(object e) => e.GetType().Name + " " + JsonSerializer.Serialize(e, e.GetType());
}
