using CoordinationPortal.Domain.Agencies;
using Marten;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>What an admin asks for when adding a webhook. An empty secret means "generate one".</summary>
public sealed record NewWebhook(string? Name, string? Url, IReadOnlyList<string>? Events, string? Secret, bool Enabled = true);

/// <summary>The outcome of adding a webhook: the subscription and, only when the portal generated it, the secret (shown once).</summary>
public sealed record WebhookCreated(WebhookSubscription Subscription, string? GeneratedSecret);

/// <summary>A subscription with how its latest delivery went, for the admin list.</summary>
public sealed record WebhookRow(WebhookSubscription Subscription, WebhookDelivery? Latest, int Pending);

/// <summary>The admin side of webhooks: add, list, enable or disable, delete (with its log), and send a test.</summary>
public sealed class WebhookAdmin(IDocumentStore store, WebhookSecrets secrets, WebhookDeliveryJob job, TimeProvider time)
{
    public const int MaxNameLength = 200;
    public const int MaxUrlLength = 2000;
    public const int LogLimit = 100;

    /// <summary>
    /// An absolute http(s) URL with a host and no credentials or fragment. Whether its address may be reached is decided
    /// when connecting, every time (names can resolve differently later), by the probes' SSRF guard.
    /// </summary>
    public static bool IsAcceptableUrl(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && text.Trim().Length <= MaxUrlLength
        && Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host)
        && string.IsNullOrEmpty(uri.UserInfo)
        && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>Every mistake in the request, as codes (Name.Required, Name.TooLong, Url.Invalid, Events.Required, Events.Unknown, Secret.Invalid) with the field.</summary>
    public static IReadOnlyList<DomainError> Validate(NewWebhook request)
    {
        var errors = new List<DomainError>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new DomainError("Name.Required", "Name"));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new DomainError("Name.TooLong", "Name"));
        }

        if (!IsAcceptableUrl(request.Url))
        {
            errors.Add(new DomainError("Url.Invalid", "Url"));
        }

        var events = request.Events ?? [];
        if (events.Count == 0)
        {
            errors.Add(new DomainError("Events.Required", "Events"));
        }
        else if (events.Any(e => !WebhookEvents.Subscribable.Contains(e, StringComparer.Ordinal)))
        {
            errors.Add(new DomainError("Events.Unknown", "Events"));
        }

        if (!string.IsNullOrEmpty(request.Secret) && !WebhookSecrets.IsAcceptable(request.Secret))
        {
            errors.Add(new DomainError("Secret.Invalid", "Secret"));
        }

        return errors;
    }

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
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var generated = string.IsNullOrEmpty(request.Secret) ? WebhookSecrets.Generate() : null;
        var subscription = new WebhookSubscription
        {
            Id = Guid.NewGuid(),
            Name = request.Name!.Trim(),
            Url = request.Url!.Trim(),
            ProtectedSecret = secrets.Protect(generated ?? request.Secret!),
            Events = WebhookEvents.Subscribable.Where(e => request.Events!.Contains(e, StringComparer.Ordinal)).ToList(),
            Enabled = request.Enabled,
            CreatedBy = by,
            CreatedAt = time.GetUtcNow(),
        };
        await using var session = store.LightweightSession();
        session.Store(subscription);
        await session.SaveChangesAsync(ct);
        return (new WebhookCreated(subscription, generated), []);
    }

    /// <summary>Enables or disables the subscription; disabling cancels its deliveries still waiting (tests aside), in the same commit.</summary>
    public async Task<WebhookSubscription?> SetEnabledAsync(Guid id, bool enabled, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var subscription = await session.LoadAsync<WebhookSubscription>(id, ct);
        if (subscription is null)
        {
            return null;
        }

        subscription = subscription with { Enabled = enabled };
        session.Store(subscription);
        if (!enabled)
        {
            var now = time.GetUtcNow();
            var pending = await session.Query<WebhookDelivery>()
                .Where(d => d.SubscriptionId == id && d.Status == DeliveryStatus.Pending && d.Event != WebhookEvents.Test)
                .ToListAsync(ct);
            foreach (var delivery in pending)
            {
                session.Store(delivery.Cancelled(now));
            }
        }

        await session.SaveChangesAsync(ct);
        return subscription;
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
}
