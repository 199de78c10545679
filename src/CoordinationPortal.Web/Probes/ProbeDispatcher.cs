using CoordinationPortal.Web.Operations;
using CoordinationPortal.Web.Probes.Engine;
using CoordinationPortal.Web.Probes.Storage;
using Hangfire;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Probes;

/// <summary>
/// The probe schedule, run by Hangfire. A recurring job starts a dispatch round each minute; a round claims, every
/// second, the endpoints that are due and probes them with bounded concurrency, each at its due time. Claims are
/// atomic in PostgreSQL (<see cref="ProbeStore.ClaimDueAsync"/>), so however many processes run rounds at once —
/// overlapping rounds, several workers — each endpoint is probed once per interval.
/// </summary>
public sealed partial class ProbeDispatcher(
    ProbeStore probes,
    IServiceScopeFactory scopes,
    IOptions<ProbeOptions> options,
    TimeProvider time,
    ILogger<ProbeDispatcher> logger)
{
    public const string RecurringId = "probes-dispatch";
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>The recurring job: one round until just before the next minute's round starts.</summary>
    [AutomaticRetry(Attempts = 0)]
    [Queue(JobQueues.Probes)]
    public Task RunRoundAsync(CancellationToken ct) => DispatchAsync(TimeSpan.FromSeconds(58), ct);

    /// <summary>Claims and probes due endpoints for <paramref name="duration"/>, then waits for its probes to finish. Returns the probes run.</summary>
    public async Task<int> DispatchAsync(TimeSpan duration, CancellationToken ct)
    {
        var worker = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var concurrency = Math.Max(1, options.Value.Concurrency);
        using var slots = new SemaphoreSlim(concurrency);
        var running = new List<Task>();
        var probed = 0;
        var end = time.GetUtcNow() + duration;
        while (!ct.IsCancellationRequested && time.GetUtcNow() < end)
        {
            IReadOnlyList<(Guid EndpointId, DateTimeOffset Due)> claimed;
            try
            {
                claimed = await probes.ClaimDueAsync(worker, Tick, concurrency * 4, ct);
            }
            catch (Npgsql.NpgsqlException e)
            {
                LogClaimFailed(e);
                claimed = [];
            }

            foreach (var (endpointId, due) in claimed)
            {
                probed++;
                running.Add(ProbeAtAsync(endpointId, due, slots, ct));
            }

            running.RemoveAll(t => t.IsCompleted);
            try
            {
                await Task.Delay(Tick, time, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running);
        return probed;
    }

    private async Task ProbeAtAsync(Guid endpointId, DateTimeOffset due, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            var wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, ct);
            }

            await slots.WaitAsync(ct);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ProbeRunner>().ProbeAsync(endpointId, ct);
            }
            finally
            {
                slots.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the endpoint is claimed again next interval.
        }
        catch (Exception e)
        {
            LogProbeFailed(e, endpointId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim due probes; trying again in a second")]
    private partial void LogClaimFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording the probe of endpoint {EndpointId} failed")]
    private partial void LogProbeFailed(Exception e, Guid endpointId);
}
