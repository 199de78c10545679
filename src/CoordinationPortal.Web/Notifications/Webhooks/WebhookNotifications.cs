using CoordinationPortal.Web.OutOfStep;
using Hangfire;
using Marten;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// Turns flag notices into webhook deliveries: one per enabled subscription that wants the event, stored pending in the
/// evaluation's transaction (so a delivery exists exactly when its flag event does), and enqueued as a Hangfire job once
/// that transaction has committed. A delivery whose enqueue is lost is due already, and the maintenance job finds it.
/// </summary>
public sealed partial class WebhookNotifications(
    IBackgroundJobClient jobs, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookNotifications> logger) : IFlagSubscriber
{
    private readonly List<(FlagNotice Notice, Guid DeliveryId)> staged = [];

    public void Stage(IDocumentSession session, IReadOnlyList<FlagNotice> notices)
    {
        if (notices.Count == 0)
        {
            return;
        }

        // Stage is synchronous (it runs inside the evaluator's unit of work); the subscriptions are a handful of rows.
        var subscriptions = session.Query<WebhookSubscription>().Where(s => s.Enabled).ToList();
        var now = time.GetUtcNow();
        foreach (var notice in notices)
        {
            var type = WebhookPayloads.EventType(notice.Kind);
            foreach (var subscription in subscriptions.Where(s => s.Wants(type)))
            {
                var id = NotificationIds.For("webhook", notice.Flag.Id, notice.Flag.Occurrence, notice.Kind, subscription.Id.ToString("N"));
                session.Store(new WebhookDelivery
                {
                    Id = id,
                    SubscriptionId = subscription.Id,
                    Event = type,
                    FlagId = notice.Flag.Id,
                    AgencyId = notice.Agency.Id,
                    AgencyName = notice.Agency.Name,
                    Payload = WebhookPayloads.ForFlag(id, notice),
                    Status = DeliveryStatus.Pending,
                    MaxAttempts = options.Value.MaxAttempts,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
                staged.Add((notice, id));
            }
        }
    }

    public Task CommittedAsync(IReadOnlyList<FlagNotice> notices, CancellationToken ct)
    {
        var committed = staged.Where(s => notices.Any(n => ReferenceEquals(n, s.Notice))).ToList();
        foreach (var (_, deliveryId) in committed)
        {
            try
            {
                jobs.Enqueue<WebhookDeliveryJob>(j => j.RunAsync(deliveryId, CancellationToken.None));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogEnqueueFailed(e, deliveryId);
            }

            staged.RemoveAll(s => s.DeliveryId == deliveryId);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} could not be enqueued; the maintenance job will pick it up")]
    private partial void LogEnqueueFailed(Exception e, Guid deliveryId);
}
