using System.Threading.Channels;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>
/// Agencies to evaluate because their scorecard or their endpoints' state just changed. The change that enqueues is
/// already committed and its caller does not wait: a background worker evaluates within moments, several changes to
/// one agency coalescing into one evaluation. Should the process stop first, the scheduled evaluation
/// (<see cref="FlagEvaluationJob"/>) catches up.
/// </summary>
public sealed class FlagEvaluationRequests
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid agencyId) => _channel.Writer.TryWrite(agencyId);

    /// <summary>Waits for at least one agency, then takes every agency queued by then, each once.</summary>
    internal async Task<IReadOnlyCollection<Guid>> NextBatchAsync(CancellationToken ct)
    {
        var first = await _channel.Reader.ReadAsync(ct);
        var batch = new HashSet<Guid> { first };
        while (batch.Count < FlagEvaluator.BatchSize && _channel.Reader.TryRead(out var next))
        {
            batch.Add(next);
        }

        return batch;
    }
}

/// <summary>Drains <see cref="FlagEvaluationRequests"/>: one evaluation at a time, each in its own scope.</summary>
public sealed partial class FlagEvaluationWorker(FlagEvaluationRequests queue, IServiceScopeFactory scopes, ILogger<FlagEvaluationWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyCollection<Guid> batch;
            try
            {
                batch = await queue.NextBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<FlagEvaluator>().EvaluateAsync(batch, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(e, batch.Count);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Out-of-step evaluation of {Agencies} changed agencies failed; the scheduled evaluation will catch up")]
    private partial void LogFailed(Exception e, int agencies);
}
