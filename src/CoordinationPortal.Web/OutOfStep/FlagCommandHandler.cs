using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using JasperFx;
using Marten;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>
/// Acknowledges a flag: an admin, or an agency lead who leads the flag's agency, says what is being done about it.
/// The board and the API both come through here; the decider checks the note and that the flag is still open.
/// </summary>
public sealed partial class FlagCommandHandler(IDocumentSession session, PortalClock clock, ILogger<FlagCommandHandler> logger)
{
    public async Task<CommandOutcome> AcknowledgeAsync(ClaimsPrincipal user, Guid flagId, string? note, long? expectedVersion, CancellationToken ct)
    {
        var name = user.Identity?.Name;
        if (string.IsNullOrEmpty(name))
        {
            return new CommandOutcome.Forbidden();
        }

        var stream = await session.Events.FetchForWriting<Flag>(flagId, ct);
        var flag = stream.Aggregate;
        if (flag is null)
        {
            return new CommandOutcome.NotFound();
        }

        if (!await MayAcknowledgeAsync(user, flag.AgencyId, ct))
        {
            return new CommandOutcome.Forbidden();
        }

        var current = stream.CurrentVersion ?? flag.Version;
        if (expectedVersion is { } expected && expected != current)
        {
            return new CommandOutcome.Conflict(current);
        }

        var decision = FlagDecider.Decide(new AcknowledgeFlag(flagId, note ?? "", name, clock.Now), flag);
        if (!decision.IsAccepted)
        {
            return new CommandOutcome.Invalid(decision.Errors);
        }

        stream.AppendMany(decision.Events);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            // The evaluation changed the flag (updated or resolved it) between reading and saving.
            LogConflict(flagId, name);
            await using var fresh = session.DocumentStore.QuerySession();
            var now = await fresh.Events.FetchStreamStateAsync(flagId, ct);
            return new CommandOutcome.Conflict(now?.Version ?? current);
        }

        LogAcknowledged(flagId, flag.RuleId, flag.AgencyId, name);
        return new CommandOutcome.Accepted(flagId, current + decision.Events.Count, decision.Events.Count);
    }

    /// <summary>Admins, and agency leads who lead that agency (the same rule as changing the agency).</summary>
    public async Task<bool> MayAcknowledgeAsync(ClaimsPrincipal user, Guid agencyId, CancellationToken ct)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return true;
        }

        var agency = await session.LoadAsync<AgencySummary>(agencyId, ct);
        return agency is not null && AgencyEditHandler.CanEdit(user, agency.Leads);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Flag {FlagId} ({RuleId}, agency {AgencyId}) acknowledged by {User}")]
    private partial void LogAcknowledged(Guid flagId, string ruleId, Guid agencyId, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Version conflict on flag {FlagId} for an acknowledgement by {User}")]
    private partial void LogConflict(Guid flagId, string user);
}
