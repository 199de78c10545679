using Hangfire;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// Makes the deliveries of stored webhook events: one per enabled subscription that wants the event, each with its
/// payload serialised once, then enqueues a delivery job for each. One fan-out at a time across every portal process
/// (an advisory lock), so the evaluation's own fan-out and the maintenance job's never both make an event's deliveries.
/// </summary>
public sealed partial class WebhookFanOut(
    IDocumentStore store,
    NpgsqlDataSource database,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookFanOut> logger)
{
    private const long LockKey = 727_103;
    private const int MaxEvents = 500;

    /// <summary>Fans out these events (those not done yet); returns the deliveries made.</summary>
    public Task<IReadOnlyList<Guid>> FanOutAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken ct)
    {
        var ids = eventIds.ToArray();
        return RunAsync(q => q.Where(e => ids.Contains(e.Id)), ct);
    }

    /// <summary>Fans out every event staged before <paramref name="before"/> and not fanned out yet (the backstop).</summary>
    public Task<IReadOnlyList<Guid>> FanOutStagedBeforeAsync(DateTimeOffset before, CancellationToken ct) =>
        RunAsync(q => q.Where(e => e.StagedAt < before), ct);

    private async Task<IReadOnlyList<Guid>> RunAsync(Func<IQueryable<WebhookEvent>, IQueryable<WebhookEvent>> which, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        List<Guid> made;
        try
        {
            made = await MakeDeliveriesAsync(which, ct);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }

        foreach (var id in made)
        {
            // A lost enqueue leaves the delivery pending and due: the maintenance job re-enqueues it.
            jobs.Enqueue<WebhookDeliveryJob>(j => j.RunAsync(id, CancellationToken.None));
        }

        return made;
    }

    private async Task<List<Guid>> MakeDeliveriesAsync(Func<IQueryable<WebhookEvent>, IQueryable<WebhookEvent>> which, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var events = await which(session.Query<WebhookEvent>().Where(e => !e.FannedOut))
            .OrderBy(e => e.StagedAt)
            .Take(MaxEvents)
            .ToListAsync(ct);
        if (events.Count == 0)
        {
            return [];
        }

        var subscriptions = await session.Query<WebhookSubscription>().Where(s => s.Enabled).ToListAsync(ct);
        var now = time.GetUtcNow();
        var made = new List<Guid>();
        foreach (var e in events)
        {
            var deliveries = subscriptions.Where(s => s.Wants(e.Event))
                .Select(s => (Subscription: s, Id: DeliveryId(e.Id, s.Id)))
                .Select(d => (d.Subscription, d.Id, Payload: WebhookPayloads.ForFlag(d.Id, e)))
                .ToList();
            if (deliveries.Any(d => d.Payload is null))
            {
                // Too large to send (stored before the caps were what they are): dropped, so later events are not held up.
                LogTooLarge(e.Id, e.Event, e.Flag.Id);
                deliveries.Clear();
            }

            foreach (var (subscription, id, payload) in deliveries)
            {
                session.Store(new WebhookDelivery
                {
                    Id = id,
                    SubscriptionId = subscription.Id,
                    Event = e.Event,
                    FlagId = e.Flag.Id,
                    AgencyId = e.Agency.Id,
                    AgencyName = e.Agency.Name,
                    Payload = payload!,
                    Status = DeliveryStatus.Pending,
                    MaxAttempts = options.Value.MaxAttempts,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
                made.Add(id);
            }

            session.Store(e with { FannedOut = true, FannedOutAt = now });
        }

        await session.SaveChangesAsync(ct);
        LogFannedOut(events.Count, made.Count);
        return made;
    }

    /// <summary>The same event to the same subscription is always the same delivery (and the same <c>X-Portal-Delivery</c>).</summary>
    private static Guid DeliveryId(Guid eventId, Guid subscriptionId) =>
        NotificationIds.From($"webhook-delivery/{eventId:N}/{subscriptionId:N}");

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Events} webhook event(s) fanned out into {Deliveries} deliveries")]
    private partial void LogFannedOut(int events, int deliveries);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Webhook event {EventId} ({Event}, flag {FlagId}) is larger than a payload may be: it is not sent to any subscription")]
    private partial void LogTooLarge(Guid eventId, string @event, Guid flagId);
}
