using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.OutOfStep;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace CoordinationPortal.Web.Agencies;

public abstract record CommandOutcome
{
    /// <summary>Saved: <see cref="Id"/> is the stream (agency or endpoint), <see cref="Version"/> what it is now.</summary>
    public sealed record Accepted(Guid Id, long Version, int Appended) : CommandOutcome;

    public sealed record Invalid(IReadOnlyList<DomainError> Errors) : CommandOutcome;

    /// <summary>Someone else changed the agency first; <see cref="CurrentVersion"/> is what it is now.</summary>
    public sealed record Conflict(long CurrentVersion) : CommandOutcome;

    public sealed record Forbidden : CommandOutcome;

    public sealed record NotFound : CommandOutcome;
}

/// <summary>
/// Runs a command against an agency's stream: checks who may do it, checks the version the user saw, asks the
/// decider, appends. Marten re-checks the version at commit, so a race between two saves is a conflict too.
/// Pages, the API and jobs all come through here.
/// </summary>
public sealed partial class AgencyCommandHandler(
    IDocumentSession session,
    ReadinessFramework framework,
    PortalClock clock,
    FlagEvaluationRequests flags,
    ILogger<AgencyCommandHandler> logger)
{
    public const string SystemActor = "system";

    public Task<CommandOutcome> HandleAsync(ClaimsPrincipal user, AgencyCommand command, long? expectedVersion, CancellationToken ct)
    {
        var name = user.Identity?.Name;
        if (string.IsNullOrEmpty(name))
        {
            return Task.FromResult<CommandOutcome>(new CommandOutcome.Forbidden());
        }

        return RunAsync(command with { By = name, At = clock.Now }, expectedVersion, agency => MayAct(user, command, agency), ct);
    }

    /// <summary>For the portal's own jobs (the staleness check): acts as <see cref="SystemActor"/> unless the command names someone.</summary>
    public Task<CommandOutcome> HandleAsSystemAsync(AgencyCommand command, CancellationToken ct) =>
        RunAsync(string.IsNullOrEmpty(command.By) ? command with { By = SystemActor } : command, null, _ => true, ct);

    private async Task<CommandOutcome> RunAsync(
        AgencyCommand command, long? expectedVersion, Func<Agency?, bool> mayAct, CancellationToken ct)
    {
        if (command is RegisterAgency)
        {
            if (!mayAct(null))
            {
                return new CommandOutcome.Forbidden();
            }

            var registration = AgencyDecider.Decide(command, null, framework);
            if (!registration.IsAccepted)
            {
                return new CommandOutcome.Invalid(registration.Errors);
            }

            session.Events.StartStream<Agency>(command.AgencyId, registration.Events);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is ExistingStreamIdCollisionException or ConcurrencyException)
            {
                return new CommandOutcome.Invalid([new DomainError("Agency.AlreadyRegistered")]);
            }

            return new CommandOutcome.Accepted(command.AgencyId, registration.Events.Count, registration.Events.Count);
        }

        var stream = await session.Events.FetchForWriting<Agency>(command.AgencyId, ct);
        var agency = stream.Aggregate;
        if (agency is null)
        {
            return new CommandOutcome.NotFound();
        }

        if (!mayAct(agency))
        {
            return new CommandOutcome.Forbidden();
        }

        var current = stream.CurrentVersion ?? agency.Version;
        if (expectedVersion is { } expected && expected != current)
        {
            return new CommandOutcome.Conflict(current);
        }

        var decision = AgencyDecider.Decide(command, agency, framework);
        if (!decision.IsAccepted)
        {
            return new CommandOutcome.Invalid(decision.Errors);
        }

        if (decision.Events.Count == 0)
        {
            return new CommandOutcome.Accepted(agency.Id, current, 0);
        }

        stream.AppendMany(decision.Events);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            LogConflict(logger, agency.Id, command.GetType().Name, command.By);
            await using var fresh = session.DocumentStore.QuerySession();
            var now = await fresh.Events.FetchStreamStateAsync(agency.Id, ct);
            return new CommandOutcome.Conflict(now?.Version ?? current);
        }

        LogAppended(logger, command.GetType().Name, agency.Id, command.By, decision.Events.Count);
        if (decision.Events.Any(e => e is IndicatorAssessed))
        {
            // Levels changed: have this agency's flags re-evaluated in the background (the caller does not wait).
            flags.Enqueue(agency.Id);
        }

        return new CommandOutcome.Accepted(agency.Id, current + decision.Events.Count, decision.Events.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Version conflict on agency {AgencyId} for {Command} by {User}")]
    private static partial void LogConflict(ILogger logger, Guid agencyId, string command, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} on agency {AgencyId} by {User}: {Events} event(s)")]
    private static partial void LogAppended(ILogger logger, string command, Guid agencyId, string user, int events);

    private static bool MayAct(ClaimsPrincipal user, AgencyCommand command, Agency? agency) => command switch
    {
        AssessIndicator or SubmitForReview => agency is not null && AgencyEditHandler.CanEdit(user, agency),
        _ => user.IsInRole(Roles.Admin),
    };
}
