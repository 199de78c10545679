using CoordinationPortal.Web.Operations;
using Hangfire;
using Marten;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// Deletes the previous secrets whose overlap has ended (a Hangfire job): scheduled by each rotation for the end of its
/// overlap, and run every five minutes as the backstop. Deliveries stop using a previous secret at the end of its overlap
/// whether or not this has run yet; this removes its ciphertext from the database. Each subscription is saved on its own:
/// one that an admin changes or deletes meanwhile is skipped (the next run finds it as it is then) and the others are
/// still dropped.
/// </summary>
public sealed partial class WebhookSecretExpiryJob(IDocumentStore store, DocumentCommandRunner documents, TimeProvider time, ILogger<WebhookSecretExpiryJob> logger)
{
    public const string RecurringId = "webhook-secrets-expire";

    /// <summary>Drops every previous secret whose overlap has ended and returns how many it dropped.</summary>
    [Queue(JobQueues.Notifications)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<Guid> expired;
        await using (var query = store.QuerySession())
        {
            expired = await query.Query<WebhookSubscription>()
                .Where(s => s.PreviousSecretUntil != null && s.PreviousSecretUntil <= now)
                .Select(s => s.Id)
                .ToListAsync(ct);
        }

        var dropped = 0;
        foreach (var id in expired)
        {
            if (await TryDropAsync(id, now, ct))
            {
                dropped++;
            }
        }

        return dropped;
    }

    private async Task<bool> TryDropAsync(Guid id, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            // One try: a subscription an admin changes or deletes meanwhile is left for the next run, as it is then.
            var result = await documents.RunAsync<WebhookSubscription>(id, s => WebhookDecider.ExpirePrevious(s, now), ct, attempts: 1);
            if (result.Kind != DocumentResultKind.Changed)
            {
                return false;
            }
        }
        catch (Exception e) when (DocumentCommandRunner.IsConflict(e))
        {
            LogSkipped(id);
            return false;
        }

        LogDropped(id);
        return true;
    }

    public static void Schedule(IRecurringJobManager recurring) =>
        recurring.AddOrUpdate<WebhookSecretExpiryJob>(RecurringId, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId}: the previous secret's overlap ended; it is deleted")]
    private partial void LogDropped(Guid subscriptionId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Webhook subscription {SubscriptionId}: changed or deleted while its previous secret was being dropped; left for the next run")]
    private partial void LogSkipped(Guid subscriptionId);
}
