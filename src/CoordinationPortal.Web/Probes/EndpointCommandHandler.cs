using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Probes.Engine;
using CoordinationPortal.Web.Probes.Storage;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

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
/// Endpoint commands, through the shared <see cref="StreamCommandRunner"/>. Only admins and the leads of the endpoint's
/// agency may change an agency's endpoints. The decider decides the API-key events too (a form's new key is a second
/// command decided after the settings); the encrypted key is staged in the same transaction as those events, and the
/// probe schedule follows the registry (registered or resumed: due now; paused or retired: off).
/// </summary>
public sealed class EndpointCommandHandler(
    IDocumentSession session,
    StreamCommandRunner runner,
    EndpointSecrets secrets,
    ProbeStore probes,
    PortalClock clock,
    ChangeFeed changes,
    NpgsqlDataSource database,
    IOptions<ProbeOptions> options)
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
        if (apiKey is ApiKeyChange.Replace set && EndpointDecider.ValidateApiKey(set.Key) is { Count: > 0 } keyErrors)
        {
            return new CommandOutcome.Invalid(keyErrors);
        }

        if (command is RegisterEndpoint register)
        {
            return await RegisterAsync(user, register with { WithApiKey = apiKey is ApiKeyChange.Replace }, apiKey, ct);
        }

        // Only the settings form carries an API key field; other commands keep the stored key.
        EndpointCommand[] commands = (command, apiKey) switch
        {
            (ChangeEndpointSettings, ApiKeyChange.Replace) => [command, new SetEndpointApiKey(command.EndpointId, command.By, command.At)],
            (ChangeEndpointSettings, ApiKeyChange.Remove) => [command, new RemoveEndpointApiKey(command.EndpointId, command.By, command.At)],
            _ => [command],
        };

        return await runner.RunAsync(
            new StreamCommand<InferenceEndpoint>(command.EndpointId, command.GetType().Name, command.By, expectedVersion,
                InferenceEndpoint.Evolve, endpoint => EndpointDecider.DecideAll(commands, endpoint))
            {
                MayAct = (endpoint, token) => new ValueTask<bool>(MayChangeAsync(user, endpoint.AgencyId, token)),
                // Operators' versions: health and SLO events recorded by the probes do not make an edit conflict.
                VersionOf = (endpoint, _) => endpoint.RegistryVersion,
                Stage = (s, endpoint, events) =>
                {
                    foreach (var e in events)
                    {
                        switch (e)
                        {
                            case EndpointApiKeySet when apiKey is ApiKeyChange.Replace key:
                                secrets.Stage(s, endpoint.Id, key.Key);
                                break;
                            case EndpointApiKeyRemoved or EndpointRetired:
                                EndpointSecrets.StageRemoval(s, endpoint.Id);
                                break;
                        }
                    }

                    // New targets, a pause or a retirement change what the endpoint says about its agency's claims.
                    changes.Stage(s, new PortalChange(ChangeKinds.Endpoint, endpoint.Id, endpoint.AgencyId));
                },
                Committed = (after, token) => probes.ScheduleAsync(after.Id, after.Settings.IntervalSeconds, active: !after.Paused && !after.Retired, token),
            },
            ct);
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

        // The agency's registrations take turns, so two at once cannot both find room under its quota.
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var turn = await AdvisoryLocks.HoldAsync(connection, AdvisoryLocks.EndpointRegistration(command.AgencyId), ct);
        var registered = await session.Query<InferenceEndpoint>().CountAsync(e => e.AgencyId == command.AgencyId && !e.Retired, ct);
        var decision = EndpointDecider.DecideRegistration(command, null,
            new AgencyEndpointQuota(registered, options.Value.MaxEndpointsPerAgency));
        var outcome = await runner.StartAsync<InferenceEndpoint>(command.EndpointId, nameof(RegisterEndpoint), command.By, decision, "Endpoint.AlreadyRegistered", ct,
            s =>
            {
                if (apiKey is ApiKeyChange.Replace key)
                {
                    secrets.Stage(s, command.EndpointId, key.Key);
                }

                changes.Stage(s, new PortalChange(ChangeKinds.Endpoint, command.EndpointId, command.AgencyId));
            });
        if (outcome is CommandOutcome.Accepted)
        {
            var accepted = (EndpointRegistered)decision.Events[0];
            await probes.ScheduleAsync(command.EndpointId, accepted.Settings.IntervalSeconds, active: true, ct);
            return new CommandOutcome.Accepted(command.EndpointId, 1, decision.Events.Count);
        }

        return outcome;
    }
}
