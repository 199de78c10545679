using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Tests.Framework;

namespace CoordinationPortal.Domain.Tests.Agencies;

/// <summary>
/// The agency decider through <see cref="DeciderSpec{TState, TCommand}"/>: past events folded with
/// <see cref="Agency.Evolve"/>, commands decided against <see cref="SmallFramework"/>.
/// </summary>
internal static class AgencySpec
{
    private static readonly DeciderSpec<Agency, AgencyCommand> Spec =
        new(Agency.Evolve, (command, state) => AgencyDecider.Decide(command, state, SmallFramework.Instance));

    public static Scenario<Agency, AgencyCommand> Given(params object[] events) => Spec.Given(events);
}
