using CoordinationPortal.Web.OutOfStep;
using Marten;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// Turns flag notices into webhook deliveries. Stage stores one <see cref="WebhookEvent"/> per notice in the evaluation's
/// transaction (so an event exists exactly when its flag change does); once that has committed, the fan-out makes one
/// pending delivery per enabled subscription that wants it and enqueues a Hangfire job for each. An event whose fan-out
/// is lost (the process stopped after the commit) is fanned out by the maintenance job.
/// </summary>
public sealed class WebhookNotifications(WebhookFanOut fanOut, TimeProvider time) : IFlagSubscriber
{
    public void Stage(IDocumentSession session, IReadOnlyList<FlagNotice> notices)
    {
        var now = time.GetUtcNow();
        foreach (var notice in notices)
        {
            session.Store(WebhookPayloads.EventFor(EventId(notice), notice, now));
        }
    }

    /// <summary>Fans out the notices' events; a failure is the evaluator's to log, and the maintenance job fans them out later.</summary>
    public async Task CommittedAsync(IReadOnlyList<FlagNotice> notices, CancellationToken ct)
    {
        if (notices.Count > 0)
        {
            await fanOut.FanOutAsync(notices.Select(EventId).Distinct().ToList(), ct);
        }
    }

    /// <summary>The same for the same notice, so a retried evaluation overwrites its event rather than adding one.</summary>
    private static Guid EventId(FlagNotice notice) =>
        NotificationIds.For("webhook-event", notice.Flag.Id, notice.Flag.Occurrence, notice.Kind, "");
}
