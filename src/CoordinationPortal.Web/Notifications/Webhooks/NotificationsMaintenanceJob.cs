using CoordinationPortal.Web.Operations;
using Hangfire;
using Marten;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// Every five minutes (Hangfire): re-enqueues pending deliveries overdue by more than <see cref="WebhookOptions.OverdueGrace"/>
/// (their job was lost: the process stopped between the evaluation's commit and the enqueue, an enqueue failed, a worker
/// died), and deletes finished deliveries and read notifications past their retention. The grace is well beyond a job's
/// usual wait in Hangfire's queue, so a backlog does not get every delivery in it enqueued twice.
/// </summary>
public sealed partial class NotificationsMaintenanceJob(
    IDocumentStore store,
    NotificationQueries notifications,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<NotificationsMaintenanceJob> logger)
{
    public const string RecurringId = "notifications-maintenance";

    private const int MaxPerRun = 500;

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [Queue(JobQueues.Notifications)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Only deliveries overdue by more than the grace: one merely waiting in a backlog still has its job.
        var overdueBefore = now - options.Value.OverdueGrace;
        await using var session = store.LightweightSession();
        var overdue = await session.Query<WebhookDelivery>()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt < overdueBefore)
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.Id)
            .Take(MaxPerRun)
            .ToListAsync(ct);
        foreach (var id in overdue)
        {
            jobs.Enqueue<WebhookDeliveryJob>(j => j.RunAsync(id, CancellationToken.None));
        }

        var o = options.Value;
        var finishedBefore = now.AddDays(-Math.Max(1, o.DeliveryRetentionDays));
        session.DeleteWhere<WebhookDelivery>(d => d.Status != DeliveryStatus.Pending && d.FinishedAt < finishedBefore);
        await session.SaveChangesAsync(ct);
        await notifications.PurgeReadAsync(TimeSpan.FromDays(Math.Max(1, o.ReadNotificationRetentionDays)), ct);
        LogRan(overdue.Count);
        return overdue.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notifications maintenance: {Overdue} overdue deliveries re-enqueued")]
    private partial void LogRan(int overdue);
}
