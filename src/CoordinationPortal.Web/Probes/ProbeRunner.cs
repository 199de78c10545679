using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Probes.Engine;
using CoordinationPortal.Web.Probes.Storage;
using Marten;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Probes;

/// <summary>
/// Probes one endpoint and records what it found: the sample, the damped health, and — when the reported health
/// changes outside a maintenance window — the event on the endpoint's stream.
/// </summary>
public sealed partial class ProbeRunner(
    IDocumentStore store,
    ProbeEngine engine,
    ProbeStore probes,
    EndpointSecrets secrets,
    IOptions<ProbeOptions> options,
    TimeProvider time,
    ChangeFeed changes,
    ILogger<ProbeRunner> logger)
{
    /// <summary>"Probe now" (a Hangfire job an operator enqueues): outside the schedule, recorded like any probe.</summary>
    [Hangfire.AutomaticRetry(Attempts = 0)]
    public Task ProbeNowAsync(Guid endpointId, CancellationToken ct) => ProbeAsync(endpointId, ct);

    public async Task<ProbeResult?> ProbeAsync(Guid endpointId, CancellationToken ct)
    {
        InferenceEndpoint? endpoint;
        await using (var query = store.QuerySession())
        {
            endpoint = await query.LoadAsync<InferenceEndpoint>(endpointId, ct);
        }

        if (endpoint is null || endpoint.Retired)
        {
            await probes.ScheduleAsync(endpointId, EndpointDecider.MaxIntervalSeconds, active: false, ct);
            return null;
        }

        var apiKey = endpoint.HasApiKey ? await secrets.RevealAsync(endpointId, ct) : null;
        ProbeResult result;
        try
        {
            result = await engine.ProbeAsync(new ProbeTarget(endpointId, endpoint.Settings, apiKey), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The engine maps every wire failure to a reason; anything else is a defect, recorded as one, never lost.
            LogProbeDefect(e, endpointId);
            result = new ProbeResult(time.GetUtcNow(),
                new ProbeVerdict(ProbeState.Down, new ProbeReason(ReasonCode.NetworkError, Excerpt: ReasonExcerpt.Sanitize(e.Message))),
                null, null, false, null, null);
        }

        await RecordAsync(endpoint, result, ct);
        return result;
    }

    public async Task RecordAsync(InferenceEndpoint endpoint, ProbeResult result, CancellationToken ct)
    {
        var inMaintenance = endpoint.InMaintenance(result.At);
        await using var connection = await probes.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var status = await ProbeRows.LockStatusAsync(connection, tx, endpoint.Id, ct);
        var tracker = status?.Tracker ?? HealthTracker.New;
        var step = Damping.Next(tracker, result.Verdict.State, options.Value.Damping, inMaintenance);
        await ProbeRows.InsertSampleAsync(connection, tx, endpoint.Id, result, inMaintenance, ct);
        await ProbeRows.SaveStatusAsync(connection, tx, endpoint.Id, step.Tracker, result, ct);
        await changes.StageAsync(connection, tx, new PortalChange(ChangeKinds.ProbeRecorded, endpoint.Id, endpoint.AgencyId), ct);

        // The stream's health is the announced one: announce only what it does not already say, so a retry after a
        // failed commit cannot announce the same change twice.
        if (step.ChangedTo is { } changed
            && HealthEvents.ForChange(endpoint.Id, endpoint.Health, changed, result.Verdict.Reason, result.At) is { } announcement)
        {
            // Fetched for writing, so the stream version is checked and the snapshot keeps the right version.
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<InferenceEndpoint>(endpoint.Id, ct);
            stream.AppendOne(announcement);
            // A probe-state change: the agency's claimed-vs-measured flag may now hold or clear.
            changes.Stage(session, new PortalChange(ChangeKinds.EndpointHealth, endpoint.Id, endpoint.AgencyId));
            await session.SaveChangesAsync(ct);
            LogHealthChanged(endpoint.Id, endpoint.Settings.Name, changed, result.Verdict.Reason.Code);
        }

        await tx.CommitAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Probing endpoint {EndpointId} failed unexpectedly")]
    private partial void LogProbeDefect(Exception e, Guid endpointId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint {EndpointId} ({Name}) is now {Health}: {Reason}")]
    private partial void LogHealthChanged(Guid endpointId, string name, EndpointHealth health, ReasonCode reason);
}
