using CoordinationPortal.Web.OutOfStep;
using Hangfire;
using Marten;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// Turns flag notices into webhook deliveries. <see cref="StageAsync"/> reads the enabled subscriptions through the
/// evaluation's session and stores one pending delivery, its payload serialised, per subscription that wants each notice,
/// so deliveries commit with the flag events or not at all. <see cref="CommittedAsync"/> then enqueues a delivery job for
/// each. A delivery's id is derived from its notice and subscription, so nothing is kept between the two calls (after the
/// commit the deliveries are found by their ids) and staging a notice again makes nothing new. An enqueue that is lost
/// (the process stopped after the commit) is made up by the maintenance job once the delivery is overdue.
/// </summary>
public sealed partial class WebhookNotifications(
    IDocumentStore store,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookNotifications> logger) : IFlagSubscriber
{
    public async Task StageAsync(IDocumentSession session, IReadOnlyList<FlagNotice> notices, CancellationToken ct)
    {
        if (notices.Count == 0)
        {
            return;
        }

        var subscriptions = await session.Query<WebhookSubscription>().Where(s => s.Enabled).ToListAsync(ct);
        var now = time.GetUtcNow();
        var deliveries = new List<WebhookDelivery>();
        foreach (var notice in notices)
        {
            var e = WebhookPayloads.EventFor(notice);
            var made = subscriptions.Where(s => s.Wants(e.Event))
                .Select(s => (Subscription: s, Id: DeliveryId(notice, s.Id)))
                .Select(d => (d.Subscription, d.Id, Payload: WebhookPayloads.ForFlag(d.Id, e)))
                .ToList();
            if (made.Any(d => d.Payload is null))
            {
                // Defensive: WebhookPayloads caps every field so that a notice's event always fits, so this is not reached
                // today; it is kept so that a later change to the caps or the payload cannot make a delivery too large to
                // send. Too large: dropped for every subscription, and the other notices' deliveries staged as usual.
                LogTooLarge(e.Event, notice.Flag.Id, notice.Flag.Occurrence);
                continue;
            }

            deliveries.AddRange(made.Select(d => new WebhookDelivery
            {
                Id = d.Id,
                SubscriptionId = d.Subscription.Id,
                Event = e.Event,
                FlagId = notice.Flag.Id,
                AgencyId = notice.Agency.Id,
                AgencyName = e.Agency.Name,
                Payload = d.Payload!,
                Status = DeliveryStatus.Pending,
                MaxAttempts = options.Value.MaxAttempts,
                CreatedAt = now,
                NextAttemptAt = now,
            }));
        }

        if (deliveries.Count == 0)
        {
            return;
        }

        // A delivery staged already (the same notice told again) is left as it is: never reset, never sent twice.
        var ids = deliveries.Select(d => d.Id).ToArray();
        var existing = await session.Query<WebhookDelivery>().Where(d => d.Id.IsOneOf(ids)).Select(d => d.Id).ToListAsync(ct);
        foreach (var delivery in deliveries.Where(d => !existing.Contains(d.Id)))
        {
            session.Store(delivery);
        }
    }

    /// <summary>
    /// Enqueues the notices' pending deliveries; a failure is the evaluator's to log, and the maintenance job enqueues
    /// them once they are overdue.
    /// </summary>
    public async Task CommittedAsync(IReadOnlyList<FlagNotice> notices, CancellationToken ct)
    {
        if (notices.Count == 0)
        {
            return;
        }

        await using var session = store.QuerySession();
        // Disabled subscriptions too: one disabled since the staging has its delivery cancelled by the job.
        var subscriptionIds = await session.Query<WebhookSubscription>().Select(s => s.Id).ToListAsync(ct);
        var ids = notices.SelectMany(n => subscriptionIds.Select(s => DeliveryId(n, s))).Distinct().ToArray();
        var pending = await session.Query<WebhookDelivery>()
            .Where(d => d.Id.IsOneOf(ids) && d.Status == DeliveryStatus.Pending)
            .Select(d => d.Id)
            .ToListAsync(ct);
        foreach (var id in pending)
        {
            jobs.Enqueue<WebhookDeliveryJob>(j => j.RunAsync(id, CancellationToken.None));
        }
    }

    /// <summary>
    /// One notice (flag, occurrence, kind) to one subscription is always the same delivery, and the same
    /// <c>X-Portal-Delivery</c>.
    /// </summary>
    public static Guid DeliveryId(FlagNotice notice, Guid subscriptionId) =>
        NotificationIds.For("webhook-delivery", notice.Flag.Id, notice.Flag.Occurrence, notice.Kind, subscriptionId.ToString("N"));

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Webhook event {Event} of flag {FlagId} (occurrence {Occurrence}) is larger than a payload may be: it is not sent to any subscription")]
    private partial void LogTooLarge(string @event, Guid flagId, int occurrence);
}
