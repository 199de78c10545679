using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Kernel.Changes;
using Marten;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>
/// Acknowledges a flag: an admin, or an agency lead who leads the flag's agency, says what is being done about it.
/// The board and the API both come through here and the shared runner; the decider checks the note and that the flag
/// is still open. A concurrent evaluation that updated or resolved the flag makes a conflict.
/// </summary>
public sealed partial class FlagCommandHandler(IDocumentSession session, StreamCommandRunner runner, PortalClock clock, ChangeFeed changes, ILogger<FlagCommandHandler> logger)
{
    public async Task<CommandOutcome> AcknowledgeAsync(ClaimsPrincipal user, Guid flagId, string? note, long? expectedVersion, CancellationToken ct)
    {
        var name = user.Identity?.Name;
        if (string.IsNullOrEmpty(name))
        {
            return new CommandOutcome.Forbidden();
        }

        var command = new AcknowledgeFlag(flagId, note ?? "", name, clock.Now);
        return await runner.RunAsync(
            new StreamCommand<Flag>(flagId, nameof(AcknowledgeFlag), name, expectedVersion, Flag.Evolve, flag => FlagDecider.Decide(command, flag))
            {
                MayAct = (flag, token) => new ValueTask<bool>(MayAcknowledgeAsync(user, flag.AgencyId, token)),
                Stage = (s, flag, _) => changes.Stage(s, new PortalChange(ChangeKinds.Flag, flag.Id, flag.AgencyId)),
                Committed = (flag, _) =>
                {
                    LogAcknowledged(flagId, flag.RuleId, flag.AgencyId, name);
                    return Task.CompletedTask;
                },
            },
            ct);
    }

    /// <summary>Admins, and agency leads who lead that agency (the same rule as changing the agency).</summary>
    public async Task<bool> MayAcknowledgeAsync(ClaimsPrincipal user, Guid agencyId, CancellationToken ct)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return AgencyEditHandler.ActsFor(user, agencyId);
        }

        var agency = await session.LoadAsync<AgencySummary>(agencyId, ct);
        return agency is not null && AgencyEditHandler.CanEdit(user, agency.Id, agency.Leads);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Flag {FlagId} ({RuleId}, agency {AgencyId}) acknowledged by {User}")]
    private partial void LogAcknowledged(Guid flagId, string ruleId, Guid agencyId, string user);
}
