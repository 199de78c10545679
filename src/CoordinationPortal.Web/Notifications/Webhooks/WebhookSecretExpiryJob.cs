using Hangfire;
using JasperFx;
using Marten;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// Deletes the previous secrets whose overlap has ended (a Hangfire job): scheduled by each rotation for the end of its
/// overlap, and run every five minutes as the backstop. Deliveries stop using a previous secret at the end of its overlap
/// whether or not this has run yet; this removes its ciphertext from the database.
/// </summary>
public sealed partial class WebhookSecretExpiryJob(IDocumentStore store, TimeProvider time, ILogger<WebhookSecretExpiryJob> logger)
{
    public const string RecurringId = "webhook-secrets-expire";
    private const int ConflictAttempts = 10;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DropExpiredAsync(ct);
            }
            catch (ConcurrencyException) when (attempt < ConflictAttempts)
            {
                // An admin changed one of them meanwhile (rotated again, revoked): read them again.
            }
        }
    }

    private async Task<int> DropExpiredAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var now = time.GetUtcNow();
        var expired = await session.Query<WebhookSubscription>()
            .Where(s => s.PreviousSecretUntil != null && s.PreviousSecretUntil <= now)
            .ToListAsync(ct);
        foreach (var subscription in expired)
        {
            session.Store(subscription.WithoutPreviousSecret(WebhookSecretEventKind.PreviousExpired, subscription.PreviousSecretUntil!.Value, ""));
        }

        await session.SaveChangesAsync(ct);
        foreach (var subscription in expired)
        {
            LogDropped(subscription.Id);
        }

        return expired.Count;
    }

    public static void Schedule(IRecurringJobManager recurring) =>
        recurring.AddOrUpdate<WebhookSecretExpiryJob>(RecurringId, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId}: the previous secret's overlap ended; it is deleted")]
    private partial void LogDropped(Guid subscriptionId);
}
