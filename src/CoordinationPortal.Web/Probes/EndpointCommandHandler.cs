using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.Probes.Storage;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace CoordinationPortal.Web.Probes;

/// <summary>What an operator's API key field asks for: leave the stored key, replace it, or remove it.</summary>
public abstract record ApiKeyChange
{
    public sealed record Keep : ApiKeyChange;

    public sealed record Replace(string Key) : ApiKeyChange;

    public sealed record Remove : ApiKeyChange;

    public static ApiKeyChange KeepIt { get; } = new Keep();
}

/// <summary>
/// Runs a command against an endpoint's stream. Only admins and the leads of the endpoint's agency may change an
/// agency's endpoints. The encrypted API key is written in the same transaction as the events, and the probe schedule
/// follows the registry (registered or resumed: due now; paused or retired: off).
/// </summary>
public sealed partial class EndpointCommandHandler(
    IDocumentSession session,
    EndpointSecrets secrets,
    ProbeStore probes,
    PortalClock clock,
    FlagEvaluationRequests flags,
    ILogger<EndpointCommandHandler> logger)
{
    public async Task<CommandOutcome> HandleAsync(
        ClaimsPrincipal user, EndpointCommand command, long? expectedVersion, ApiKeyChange? apiKey, CancellationToken ct)
    {
        var name = user.Identity?.Name;
        if (string.IsNullOrEmpty(name))
        {
            return new CommandOutcome.Forbidden();
        }

        command = command with { By = name, At = clock.Now };
        apiKey ??= ApiKeyChange.KeepIt;
        if (apiKey is ApiKeyChange.Replace set && (string.IsNullOrWhiteSpace(set.Key) || set.Key.Trim().Length > EndpointSecrets.MaxKeyLength))
        {
            return new CommandOutcome.Invalid([new DomainError("Endpoint.ApiKey.Invalid", "ApiKey")]);
        }

        if (command is RegisterEndpoint register)
        {
            return await RegisterAsync(user, register with { WithApiKey = apiKey is ApiKeyChange.Replace }, apiKey, ct);
        }

        var stream = await session.Events.FetchForWriting<InferenceEndpoint>(command.EndpointId, ct);
        var endpoint = stream.Aggregate;
        if (endpoint is null)
        {
            return new CommandOutcome.NotFound();
        }

        if (!await MayChangeAsync(user, endpoint.AgencyId, ct))
        {
            return new CommandOutcome.Forbidden();
        }

        // Operators' versions: health and SLO events recorded by the probes do not make an edit conflict.
        var current = endpoint.RegistryVersion;
        if (expectedVersion is { } expected && expected != current)
        {
            return new CommandOutcome.Conflict(current);
        }

        var decision = EndpointDecider.Decide(command, endpoint);
        if (!decision.IsAccepted)
        {
            return new CommandOutcome.Invalid(decision.Errors);
        }

        var events = decision.Events.ToList();
        if (command is ChangeEndpointSettings)
        {
            switch (apiKey)
            {
                case ApiKeyChange.Replace key:
                    secrets.Stage(session, endpoint.Id, key.Key);
                    events.Add(new EndpointApiKeySet(endpoint.Id, command.By, command.At));
                    break;
                case ApiKeyChange.Remove when endpoint.HasApiKey:
                    EndpointSecrets.StageRemoval(session, endpoint.Id);
                    events.Add(new EndpointApiKeyRemoved(endpoint.Id, command.By, command.At));
                    break;
            }
        }
        else if (command is RetireEndpoint)
        {
            EndpointSecrets.StageRemoval(session, endpoint.Id);
        }

        if (events.Count == 0)
        {
            return new CommandOutcome.Accepted(endpoint.Id, current, 0);
        }

        stream.AppendMany(events);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            // Another write reached the stream between reading and saving (an operator, or a health event): the
            // caller sees a conflict and what the registry version is now.
            await using var fresh = session.DocumentStore.QuerySession();
            var now = await fresh.LoadAsync<InferenceEndpoint>(endpoint.Id, ct);
            return new CommandOutcome.Conflict(now?.RegistryVersion ?? current);
        }

        var after = events.Aggregate((InferenceEndpoint?)endpoint, InferenceEndpoint.Evolve)!;
        await probes.ScheduleAsync(after.Id, after.Settings.IntervalSeconds, active: !after.Paused && !after.Retired, ct);
        LogAppended(command.GetType().Name, endpoint.Id, command.By, events.Count);
        // New targets, a pause or a retirement change what the endpoint says about its agency's claims.
        flags.Enqueue(after.AgencyId);

        return new CommandOutcome.Accepted(endpoint.Id, after.RegistryVersion, events.Count);
    }

    /// <summary>Admins, and leads of that agency.</summary>
    public async Task<bool> MayChangeAsync(ClaimsPrincipal user, Guid agencyId, CancellationToken ct)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return true;
        }

        var agency = await session.LoadAsync<Agency>(agencyId, ct);
        return agency is not null && AgencyEditHandler.CanEdit(user, agency);
    }

    private async Task<CommandOutcome> RegisterAsync(ClaimsPrincipal user, RegisterEndpoint command, ApiKeyChange apiKey, CancellationToken ct)
    {
        if (await session.LoadAsync<Agency>(command.AgencyId, ct) is null)
        {
            return new CommandOutcome.Invalid([new DomainError("Agency.NotFound", "AgencyId")]);
        }

        if (!await MayChangeAsync(user, command.AgencyId, ct))
        {
            return new CommandOutcome.Forbidden();
        }

        var decision = EndpointDecider.Decide(command, null);
        if (!decision.IsAccepted)
        {
            return new CommandOutcome.Invalid(decision.Errors);
        }

        session.Events.StartStream<InferenceEndpoint>(command.EndpointId, decision.Events);
        if (apiKey is ApiKeyChange.Replace key)
        {
            secrets.Stage(session, command.EndpointId, key.Key);
        }

        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ExistingStreamIdCollisionException or ConcurrencyException)
        {
            return new CommandOutcome.Invalid([new DomainError("Endpoint.AlreadyRegistered")]);
        }

        var registered = (EndpointRegistered)decision.Events[0];
        await probes.ScheduleAsync(command.EndpointId, registered.Settings.IntervalSeconds, active: true, ct);
        LogAppended(nameof(RegisterEndpoint), command.EndpointId, command.By, decision.Events.Count);
        flags.Enqueue(command.AgencyId);
        return new CommandOutcome.Accepted(command.EndpointId, 1, decision.Events.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} on endpoint {EndpointId} by {User}: {Events} event(s)")]
    private partial void LogAppended(string command, Guid endpointId, string user, int events);
}
