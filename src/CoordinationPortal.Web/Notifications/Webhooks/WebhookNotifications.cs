using CoordinationPortal.Web.OutOfStep;
using Marten;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// Turns flag notices into webhook deliveries. Stage stores one <see cref="WebhookEvent"/> per notice in the evaluation's
/// transaction (so an event exists exactly when its flag change does); once that has committed, the fan-out makes one
/// pending delivery per enabled subscription that wants it and enqueues a Hangfire job for each. An event whose fan-out
/// is lost (the process stopped after the commit) is fanned out by the maintenance job.
/// </summary>
public sealed partial class WebhookNotifications(WebhookFanOut fanOut, TimeProvider time, ILogger<WebhookNotifications> logger) : IFlagSubscriber
{
    private readonly List<(FlagNotice Notice, Guid EventId)> staged = [];

    public void Stage(IDocumentSession session, IReadOnlyList<FlagNotice> notices)
    {
        var now = time.GetUtcNow();
        foreach (var notice in notices)
        {
            var id = NotificationIds.For("webhook-event", notice.Flag.Id, notice.Flag.Occurrence, notice.Kind, "");
            session.Store(WebhookPayloads.EventFor(id, notice, now));
            staged.Add((notice, id));
        }
    }

    public async Task CommittedAsync(IReadOnlyList<FlagNotice> notices, CancellationToken ct)
    {
        var committed = staged.Where(s => notices.Any(n => ReferenceEquals(n, s.Notice))).Select(s => s.EventId).Distinct().ToList();
        staged.RemoveAll(s => committed.Contains(s.EventId));
        if (committed.Count == 0)
        {
            return;
        }

        try
        {
            await fanOut.FanOutAsync(committed, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFanOutFailed(e, committed.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} webhook event(s) could not be fanned out now; the maintenance job will")]
    private partial void LogFanOutFailed(Exception e, int count);
}
