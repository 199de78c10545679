using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.Notifications;
using CoordinationPortal.Web.Notifications.Webhooks;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CoordinationPortal.Integration.Tests.Notifications.NotificationTestBed;

namespace CoordinationPortal.Integration.Tests.Hardening;

/// <summary>
/// Disabling a subscription cancels its waiting deliveries; a delivery the job delivers meanwhile stays Delivered,
/// whichever commits first. Each race is forced, not hoped for: the job's save is made in a transaction the test holds
/// open until PostgreSQL shows the cancellation waiting on it, or the receiver holds the job's request until the
/// cancellation has committed.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class WebhookDeliveryRaceTests(PortalFixture portal, WebhookReceiver receiver) : IClassFixture<WebhookReceiver>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private IServiceProvider Services => WebhookHost(portal).Services;

    [Fact]
    public async Task a_delivery_delivered_while_disabling_reads_it_is_not_overwritten_as_cancelled()
    {
        var subscription = await SubscribeAsync(Services, "https://hooks.example.org/race-delivered", "race-delivered-0123456789");
        try
        {
            var delivery = await StorePendingAsync(subscription.Id, DateTimeOffset.UtcNow.AddHours(1));

            // The job's save, held open: disabling reads the delivery as still pending, and its save waits on this row.
            await using var job = new NpgsqlConnection(portal.Database.ConnectionString);
            await job.OpenAsync();
            await using var transaction = await job.BeginTransactionAsync();
            var pid = (int)(await ScalarAsync(job, "SELECT pg_backend_pid()"))!;
            Assert.Equal(1, await ExecuteAsync(job,
                """
                UPDATE portal.mt_doc_webhookdelivery
                SET data = jsonb_set(jsonb_set(data, ARRAY[CASE WHEN data ? 'Status' THEN 'Status' ELSE 'status' END], '"Delivered"'),
                                     ARRAY[CASE WHEN data ? 'NextAttemptAt' THEN 'NextAttemptAt' ELSE 'nextAttemptAt' END], 'null'),
                    mt_version = gen_random_uuid()
                WHERE id = $1
                """, delivery.Id));

            var disabling = Task.Run(async () =>
            {
                await using var scope = Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<WebhookAdmin>().SetEnabledAsync(subscription.Id, false, CancellationToken.None);
            });
            await WaitUntilBlockedByAsync(pid, disabling);
            await transaction.CommitAsync();

            var disabled = await disabling;

            Assert.False(disabled!.Enabled);
            Assert.Equal(DeliveryStatus.Delivered, (await DeliveryAsync(Services, delivery.Id)).Status);
        }
        finally
        {
            await DeleteAsync(Services, subscription.Id);
        }
    }

    [Fact]
    public async Task a_delivery_sent_while_an_admin_disables_the_subscription_is_recorded_as_delivered()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var url = receiver.Hook([200], answerWhen: answer.Task);
        var subscription = await SubscribeAsync(Services, url, "race-sending-0123456789");
        try
        {
            var delivery = await StorePendingAsync(subscription.Id, DateTimeOffset.UtcNow.AddSeconds(-1));
            var running = RunDeliveryAsync(Services, delivery.Id);
            await receiver.FirstRequestAsync(url, Within); // the job is waiting for the answer now

            await DisableAsync(Services, subscription.Id);
            Assert.Equal(DeliveryStatus.Cancelled, (await DeliveryAsync(Services, delivery.Id)).Status);
            answer.SetResult();

            Assert.Equal(DeliveryRun.Delivered, await running);
            var stored = await DeliveryAsync(Services, delivery.Id);
            Assert.Equal(DeliveryStatus.Delivered, stored.Status);
            Assert.True(Assert.Single(stored.Attempts).Succeeded);
        }
        finally
        {
            answer.TrySetResult();
            await DeleteAsync(Services, subscription.Id);
        }
    }

    private async Task<WebhookDelivery> StorePendingAsync(Guid subscriptionId, DateTimeOffset due)
    {
        var now = DateTimeOffset.UtcNow;
        var delivery = new WebhookDelivery
        {
            Id = Guid.NewGuid(),
            SubscriptionId = subscriptionId,
            Event = WebhookEvents.FlagRaised,
            Payload = "{}",
            Status = DeliveryStatus.Pending,
            MaxAttempts = 6,
            CreatedAt = now,
            NextAttemptAt = due,
        };
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(delivery);
        await session.SaveChangesAsync();
        return delivery;
    }

    private async Task WaitUntilBlockedByAsync(int pid, Task running)
    {
        await using var watcher = new NpgsqlConnection(portal.Database.ConnectionString);
        await watcher.OpenAsync();
        var deadline = DateTimeOffset.UtcNow + Within;
        while ((long)(await ScalarAsync(watcher, "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", pid))! == 0)
        {
            Assert.False(running.IsCompleted, "disabling finished without waiting on the job's save: " + running.Exception?.GetBaseException().Message);
            Assert.True(DateTimeOffset.UtcNow < deadline, $"disabling did not wait on the job's save within {Within.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteScalarAsync();
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync();
    }
}
