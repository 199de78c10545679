using System.Security.Cryptography;
using System.Text;
using CoordinationPortal.Domain.Agencies;
using Hangfire;
using Marten;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>What an admin asks for when adding a webhook. An empty secret means "generate one".</summary>
public sealed record NewWebhook(string? Name, string? Url, IReadOnlyList<string>? Events, string? Secret, bool Enabled = true);

/// <summary>The outcome of adding a webhook: the subscription and, only when the portal generated it, the secret (shown once).</summary>
public sealed record WebhookCreated(WebhookSubscription Subscription, string? GeneratedSecret);

/// <summary>A subscription with how its latest delivery went, for the admin list.</summary>
public sealed record WebhookRow(WebhookSubscription Subscription, WebhookDelivery? Latest, int Pending);

public enum SecretChangeResult
{
    /// <summary>The secret was rotated, or the previous secret revoked.</summary>
    Changed,

    /// <summary>There was no previous secret to revoke: nothing was written.</summary>
    Unchanged,

    NotFound,

    /// <summary>The chosen secret is refused (<see cref="SecretChange.Errors"/>: Secret.Invalid, Secret.Unchanged).</summary>
    Invalid,
}

/// <summary>
/// What rotating a secret or revoking the previous one did: the subscription after it (null when missing) and, only
/// when the portal generated the new secret, that secret (shown once).
/// </summary>
public sealed record SecretChange(SecretChangeResult Result, WebhookSubscription? Subscription = null, string? GeneratedSecret = null)
{
    public IReadOnlyList<DomainError> Errors { get; init; } = [];
}

/// <summary>
/// The admin side of webhooks: add, list, enable or disable, delete (with its log), send a test, rotate the secret and
/// revoke the previous one. The rules are <see cref="WebhookDecider"/>'s; changes go through the kernel's
/// <see cref="DocumentCommandRunner"/> (an update under optimistic concurrency, made again on what is stored now when
/// another writer got there first): no write is lost, and a subscription deleted meanwhile stays deleted.
/// </summary>
public sealed partial class WebhookAdmin(
    IDocumentStore store,
    DocumentCommandRunner documents,
    WebhookSecrets secrets,
    WebhookDeliveryJob job,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookAdmin> logger)
{
    public const int LogLimit = 100;

    /// <summary>The subscriptions by name, without their deliveries (one query).</summary>
    public async Task<IReadOnlyList<WebhookSubscription>> SubscriptionsAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<WebhookSubscription>().OrderBy(s => s.Name).ToListAsync(ct);
    }

    /// <summary>The subscriptions by name, each with its latest delivery and how many wait: two round trips in all.</summary>
    public async Task<IReadOnlyList<WebhookRow>> ListAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var subscriptions = await session.Query<WebhookSubscription>().OrderBy(s => s.Name).ToListAsync(ct);
        if (subscriptions.Count == 0)
        {
            return [];
        }

        var batch = session.CreateBatchQuery();
        var queries = subscriptions.Select(s =>
        {
            var id = s.Id;
            return (Subscription: s,
                Latest: batch.Query<WebhookDelivery>().Where(d => d.SubscriptionId == id).OrderByDescending(d => d.CreatedAt).FirstOrDefault(),
                Pending: batch.Query<WebhookDelivery>().Where(d => d.SubscriptionId == id && d.Status == DeliveryStatus.Pending).Count());
        }).ToList();
        await batch.Execute(ct);

        var rows = new List<WebhookRow>(queries.Count);
        foreach (var q in queries)
        {
            rows.Add(new WebhookRow(q.Subscription, await q.Latest, (int)await q.Pending));
        }

        return rows;
    }

    public async Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<WebhookSubscription>(id, ct);
    }

    /// <summary>Adds a subscription, or returns the mistakes. The secret is stored only encrypted.</summary>
    public async Task<(WebhookCreated? Created, IReadOnlyList<DomainError> Errors)> CreateAsync(NewWebhook request, string by, CancellationToken ct)
    {
        var generated = string.IsNullOrEmpty(request.Secret) ? WebhookSecrets.Generate() : null;
        var secret = generated ?? request.Secret!;
        var decision = WebhookDecider.Create(request, Guid.NewGuid(), WebhookSecrets.IsAcceptable(secret) ? secrets.Protect(secret) : "", by, time.GetUtcNow());
        if (decision.After is not { } subscription)
        {
            return (null, decision.Errors);
        }

        await using var session = store.LightweightSession();
        session.Insert(subscription);
        await session.SaveChangesAsync(ct);
        return (new WebhookCreated(subscription, generated), []);
    }

    /// <summary>Enables or disables the subscription; disabling cancels its deliveries still waiting (tests aside), in the same commit.</summary>
    public async Task<WebhookSubscription?> SetEnabledAsync(Guid id, bool enabled, CancellationToken ct)
    {
        var result = await documents.RunAsync<WebhookSubscription>(id, s => WebhookDecider.SetEnabled(s, enabled), ct, enabled ? null : CancelWaitingAsync);
        return result.Kind == DocumentResultKind.NotFound ? null : result.Document;
    }

    private async Task CancelWaitingAsync(IDocumentSession session, WebhookSubscription before, WebhookSubscription after, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var pending = await session.Query<WebhookDelivery>()
            .Where(d => d.SubscriptionId == after.Id && d.Status == DeliveryStatus.Pending && d.Event != WebhookEvents.Test)
            .ToListAsync(ct);
        foreach (var delivery in pending)
        {
            // Update under the version read here: a delivery the job finished meanwhile fails the save, and the runner
            // decides again on what is stored now, where it is no longer pending.
            session.Update(delivery.Cancelled(now));
        }
    }

    /// <summary>
    /// Replaces the secret of a subscription, enabled or disabled, with <paramref name="chosen"/>, or with a generated one
    /// when that is empty (validated as when adding). The current secret stays, encrypted, as the previous one for
    /// <see cref="WebhookOptions.SecretOverlap"/>: deliveries carry signatures under both meanwhile. A job is scheduled
    /// for the end of the overlap to delete it (the recurring <see cref="WebhookSecretExpiryJob"/> run is the backstop).
    /// A current secret that no longer decrypts (the key ring was lost or replaced) could not sign as the previous one, so
    /// it is dropped at once: no overlap, and deliveries are signed with the new secret only.
    /// </summary>
    public async Task<SecretChange> RotateSecretAsync(Guid id, string? chosen, string by, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(chosen) && !WebhookSecrets.IsAcceptable(chosen))
        {
            return new SecretChange(SecretChangeResult.Invalid) { Errors = [new DomainError("Secret.Invalid", "Secret")] };
        }

        var generated = string.IsNullOrEmpty(chosen) ? WebhookSecrets.Generate() : null;
        var secret = generated ?? chosen!;
        var protectedNew = secrets.Protect(secret);
        var unreadable = false;
        var result = await documents.RunAsync<WebhookSubscription>(id, subscription =>
        {
            var current = TryReveal(subscription);
            unreadable = current is null;
            return WebhookDecider.Rotate(subscription, current, secret, protectedNew, options.Value.SecretOverlap, by, time.GetUtcNow());
        }, ct);
        var change = ToSecretChange(result);
        if (change.Result == SecretChangeResult.Changed && unreadable)
        {
            LogCurrentUnreadable(id);
        }

        if (change is not { Result: SecretChangeResult.Changed, Subscription: { } rotated })
        {
            return change;
        }

        LogRotated(id, by, rotated.PreviousSecretUntil);
        if (rotated.PreviousSecretUntil is { } until)
        {
            try
            {
                jobs.Schedule<WebhookSecretExpiryJob>(j => j.RunAsync(CancellationToken.None), until);
            }
            catch (BackgroundJobClientException e)
            {
                // The rotation is saved and its secret must still be shown; the recurring run deletes the previous one.
                LogExpiryNotScheduled(e, id);
            }
        }

        return change with { GeneratedSecret = generated };
    }

    /// <summary>Ends the overlap now: the previous secret is deleted and deliveries are signed with the current one only.</summary>
    public async Task<SecretChange> RevokePreviousSecretAsync(Guid id, string by, CancellationToken ct)
    {
        var change = ToSecretChange(await documents.RunAsync<WebhookSubscription>(id, s => WebhookDecider.RevokePrevious(s, by, time.GetUtcNow()), ct));
        if (change.Result == SecretChangeResult.Changed)
        {
            LogRevoked(id, by);
        }

        return change;
    }

    private static SecretChange ToSecretChange(DocumentResult<WebhookSubscription> result) => result.Kind switch
    {
        DocumentResultKind.Changed => new SecretChange(SecretChangeResult.Changed, result.Document),
        DocumentResultKind.Unchanged => new SecretChange(SecretChangeResult.Unchanged, result.Document),
        DocumentResultKind.Invalid => new SecretChange(SecretChangeResult.Invalid, result.Document) { Errors = result.Errors },
        _ => new SecretChange(SecretChangeResult.NotFound),
    };

    /// <summary>The secret signing now; null when it no longer decrypts.</summary>
    private string? TryReveal(WebhookSubscription subscription)
    {
        try
        {
            return secrets.Reveal(subscription);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Deletes the subscription and its delivery log; pending deliveries are not sent.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<WebhookSubscription>(id, ct) is null)
        {
            return false;
        }

        session.Delete<WebhookSubscription>(id);
        session.DeleteWhere<WebhookDelivery>(d => d.SubscriptionId == id);
        await session.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The subscription's deliveries, newest first (at most <see cref="LogLimit"/>).</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(Guid id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<WebhookDelivery>()
            .Where(d => d.SubscriptionId == id)
            .OrderByDescending(d => d.CreatedAt)
            .Take(LogLimit)
            .ToListAsync(ct);
    }

    /// <summary>Sends a <c>webhook.test</c> delivery at once (one attempt, no retries) and returns it with the attempt logged.</summary>
    public async Task<WebhookDelivery?> SendTestAsync(Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var deliveryId = Guid.NewGuid();
        await using (var session = store.LightweightSession())
        {
            if (await session.LoadAsync<WebhookSubscription>(id, ct) is null)
            {
                return null;
            }

            session.Store(new WebhookDelivery
            {
                Id = deliveryId,
                SubscriptionId = id,
                Event = WebhookEvents.Test,
                Payload = WebhookPayloads.ForTest(deliveryId, id, now),
                Status = DeliveryStatus.Pending,
                MaxAttempts = 1,
                CreatedAt = now,
                NextAttemptAt = now,
            });
            await session.SaveChangesAsync(ct);
        }

        await job.RunAsync(deliveryId, ct);
        await using var query = store.QuerySession();
        return await query.LoadAsync<WebhookDelivery>(deliveryId, ct);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Webhook subscription {SubscriptionId}: secret rotated by {By}; the previous secret signs until {PreviousUntil}")]
    private partial void LogRotated(Guid subscriptionId, string by, DateTimeOffset? previousUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId}: previous secret revoked by {By}")]
    private partial void LogRevoked(Guid subscriptionId, string by);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook subscription {SubscriptionId}: the job deleting the previous secret could not be scheduled; the recurring run will")]
    private partial void LogExpiryNotScheduled(Exception e, Guid subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook subscription {SubscriptionId}: the replaced secret could not be decrypted (was the key ring lost or replaced?), so it is not kept as the previous one; deliveries are signed with the new secret only")]
    private partial void LogCurrentUnreadable(Guid subscriptionId);
}
