using CoordinationPortal.Web.Operations;
using System.Security.Cryptography;
using Hangfire;
using Marten;
using Marten.Exceptions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>What one run of <see cref="WebhookDeliveryJob.RunAsync"/> did.</summary>
public enum DeliveryRun
{
    Delivered,

    /// <summary>The attempt failed; another is scheduled with the back-off delay.</summary>
    RetryScheduled,

    /// <summary>The attempt failed and it was the last one.</summary>
    Failed,

    /// <summary>The subscription is disabled (the delivery cancelled) or deleted (the delivery deleted too): nothing sent.</summary>
    Cancelled,

    /// <summary>
    /// Nothing to do: delivered or finished already, not due yet, gone (deleted with its subscription, even during the
    /// attempt), or another worker is attempting it now.
    /// </summary>
    Skipped,
}

/// <summary>
/// One attempt at one delivery (a Hangfire job). Safe to run twice for the same delivery, or concurrently: an advisory lock
/// lets one worker at a time attempt it, and only a pending delivery that is due is sent, so a delivered one is never sent
/// again. A failure, including an unexpected error of the portal's own (<c>InternalError</c>), is recorded in the delivery
/// log and the next attempt scheduled through Hangfire after the back-off delay, so every pending delivery ends once
/// its attempts are spent; the maintenance job re-enqueues any due delivery whose job was lost.
/// </summary>
public sealed partial class WebhookDeliveryJob(
    IDocumentStore store,
    NpgsqlDataSource database,
    WebhookSender sender,
    WebhookSecrets secrets,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliveryJob> logger)
{
    // Hangfire's own retries would bypass the back-off and the log; a run that throws is picked up by the maintenance job.
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [Queue(JobQueues.Notifications)]
    public async Task<DeliveryRun> RunAsync(Guid deliveryId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        if (!await TryLockAsync(connection, deliveryId, ct))
        {
            return DeliveryRun.Skipped;
        }

        try
        {
            return await AttemptAsync(deliveryId, ct);
        }
        finally
        {
            await UnlockAsync(connection, deliveryId);
        }
    }

    private async Task<DeliveryRun> AttemptAsync(Guid deliveryId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var delivery = await session.LoadAsync<WebhookDelivery>(deliveryId, ct);
        var now = time.GetUtcNow();
        // Half a second's slack for clocks that differ between the process that scheduled and the one that runs; a run
        // earlier than that sends nothing, and the maintenance job re-enqueues the delivery once it is overdue.
        if (delivery is not { Status: DeliveryStatus.Pending } || delivery.NextAttemptAt > now.AddMilliseconds(500))
        {
            return DeliveryRun.Skipped;
        }

        var subscription = await session.LoadAsync<WebhookSubscription>(delivery.SubscriptionId, ct);
        if (subscription is null)
        {
            // Made just as its subscription was deleted (with its log): nothing to send, and no log to keep it in.
            session.Delete<WebhookDelivery>(delivery.Id);
            await session.SaveChangesAsync(ct);
            return DeliveryRun.Cancelled;
        }

        if (!subscription.Enabled && !delivery.IsTest)
        {
            session.Update(delivery.Cancelled(now));
            return await SaveAsync(session, ct) is true ? DeliveryRun.Cancelled : DeliveryRun.Skipped;
        }

        var attempt = await TryAttemptAsync(delivery, subscription, ct);
        var after = delivery.After(attempt, options.Value.RetryDelays);
        // Update, not Store: a delivery deleted with its subscription during the attempt stays deleted. Under the version
        // read before the attempt: a delivery an admin cancelled meanwhile is read again and the attempt recorded on it.
        session.Update(after);
        var saved = await SaveAsync(session, ct);
        for (var retry = 0; saved is null && retry < DocumentCommandRunner.DefaultAttempts; retry++)
        {
            await using var again = store.LightweightSession();
            var stored = await again.LoadAsync<WebhookDelivery>(deliveryId, ct);
            if (stored is null)
            {
                return DeliveryRun.Skipped; // deleted with its subscription
            }

            after = stored.Recorded(attempt, options.Value.RetryDelays);
            again.Update(after);
            saved = await SaveAsync(again, ct);
        }

        if (saved is not true)
        {
            return DeliveryRun.Skipped;
        }

        LogAttempt(delivery.Id, subscription.Id, attempt.Number, attempt.StatusCode, attempt.Error, after.Status);

        if (after is { Status: DeliveryStatus.Pending, NextAttemptAt: { } next })
        {
            jobs.Schedule<WebhookDeliveryJob>(j => j.RunAsync(deliveryId, CancellationToken.None), next);
            return DeliveryRun.RetryScheduled;
        }

        return after.Status == DeliveryStatus.Delivered ? DeliveryRun.Delivered : DeliveryRun.Failed;
    }

    /// <summary>Sends the delivery; an error of the portal's own (the secret cannot be decrypted, a bug) is a failed attempt too.</summary>
    private async Task<DeliveryAttempt> TryAttemptAsync(WebhookDelivery delivery, WebhookSubscription subscription, CancellationToken ct)
    {
        try
        {
            var secret = secrets.Reveal(subscription);
            return await sender.SendAsync(delivery, subscription.Url, secret, TryRevealPrevious(delivery, subscription), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogAttemptError(e, delivery.Id, subscription.Id);
            return new DeliveryAttempt(delivery.Attempts.Count + 1, time.GetUtcNow(), 0, null, DeliveryAttempt.InternalError, e.GetType().Name, null);
        }
    }

    /// <summary>
    /// The previous secret while its overlap runs. One that no longer decrypts (the key ring was lost or replaced) must not
    /// stop deliveries that the current secret can sign: they are signed with the current one only, and a warning logged.
    /// </summary>
    private string? TryRevealPrevious(WebhookDelivery delivery, WebhookSubscription subscription)
    {
        try
        {
            return secrets.RevealPrevious(subscription, time.GetUtcNow());
        }
        catch (CryptographicException e)
        {
            LogPreviousUnreadable(e, delivery.Id, subscription.Id);
            return null;
        }
    }

    /// <summary>
    /// Saves the session's update of the delivery: true when saved, false when the delivery was deleted meanwhile, null
    /// when another writer changed it since it was read (an admin cancelled it).
    /// </summary>
    private static async Task<bool?> SaveAsync(IDocumentSession session, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (NonExistentDocumentException)
        {
            return false;
        }
        catch (Exception e) when (DocumentCommandRunner.IsConflict(e))
        {
            return null;
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, Guid deliveryId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = AdvisoryLocks.WebhookDelivery(deliveryId) });
        return await command.ExecuteScalarAsync(ct) is true;
    }

    private static async Task UnlockAsync(NpgsqlConnection connection, Guid deliveryId)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = AdvisoryLocks.WebhookDelivery(deliveryId) });
        await command.ExecuteScalarAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Webhook delivery {DeliveryId} to subscription {SubscriptionId}: attempt {Attempt} answered {StatusCode} {Error}; now {Status}")]
    private partial void LogAttempt(Guid deliveryId, Guid subscriptionId, int attempt, int? statusCode, string? error, DeliveryStatus status);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook delivery {DeliveryId} to subscription {SubscriptionId}: the previous secret cannot be decrypted; signed with the current secret only")]
    private partial void LogPreviousUnreadable(Exception e, Guid deliveryId, Guid subscriptionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} to subscription {SubscriptionId}: the attempt failed in the portal")]
    private partial void LogAttemptError(Exception e, Guid deliveryId, Guid subscriptionId);
}
