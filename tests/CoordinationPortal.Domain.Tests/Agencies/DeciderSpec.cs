using System.Text.Json;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Tests.Framework;

namespace CoordinationPortal.Domain.Tests.Agencies;

/// <summary>
/// Given(past events).When(command).Then(new events) / .ThenRejectedWith(error codes). The past events are
/// folded with <see cref="Agency.Fold"/> and the command decided against <see cref="SmallFramework"/>.
/// </summary>
internal static class DeciderSpec
{
    public static Scenario Given(params object[] events) => new(events);
}

internal sealed class Scenario(IReadOnlyList<object> given)
{
    public Outcome When(AgencyCommand command) =>
        new(AgencyDecider.Decide(command, Agency.Fold(given), SmallFramework.Instance));
}

internal sealed class Outcome(Decision decision)
{
    public Decision Decision { get; } = decision;

    /// <summary>The command is accepted and records exactly these events (compared by value, lists included).</summary>
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
        Assert.Empty(Decision.Events);
        Assert.Equal(codes.Order(StringComparer.Ordinal), Decision.Errors.Select(e => e.Code).Order(StringComparer.Ordinal));
    }

    private static string Describe(object e) => e.GetType().Name + " " + JsonSerializer.Serialize(e, e.GetType());
}
