using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Notifications.Webhooks;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CoordinationPortal.Integration.Tests.Notifications.NotificationTestBed;

namespace CoordinationPortal.Integration.Tests.Notifications;

/// <summary>
/// A subscription deleted while an admin's change (enable or disable, rotate, revoke) or the secret expiry job is between
/// reading it and saving it stays deleted: the change finds it gone rather than writing it back. The deletion is made in
/// a transaction the test holds open: the change reads the subscription as it still is for everyone else, its save waits
/// on the deleted row, and the test commits the deletion only once PostgreSQL shows the save waiting on it, so the
/// deletion lands between the read and the save every time, however slow the machine.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class WebhookDeletionRaceTests(PortalFixture portal)
{
    /// <summary>Generous: it bounds a wait that ends as soon as the save is blocked, which takes moments.</summary>
    private static readonly TimeSpan BlockedWithin = TimeSpan.FromSeconds(60);

    private IServiceProvider Services => portal.Factory.Services;

    [Fact]
    public async Task disabling_a_subscription_deleted_meanwhile_neither_brings_it_back_nor_its_deliveries()
    {
        var subscription = await SubscribeAsync(Services, "https://hooks.example.org/race-disable", "race-disable-0123456789");
        try
        {
            var delivery = await StorePendingAsync(subscription.Id);

            var result = await DeletedWhileSavingAsync(subscription.Id, [delivery.Id], () => WithAdminAsync(a => a.SetEnabledAsync(subscription.Id, false, CancellationToken.None)));

            Assert.Null(result); // not found: it is gone
            Assert.Null(await LoadAsync<WebhookSubscription>(subscription.Id));
            Assert.Null(await LoadAsync<WebhookDelivery>(delivery.Id)); // the cancelled delivery was not written back either
        }
        finally
        {
            await DeleteAsync(Services, subscription.Id); // should the race not have deleted it
        }
    }

    [Fact]
    public async Task rotating_the_secret_of_a_subscription_deleted_meanwhile_does_not_bring_it_back()
    {
        var subscription = await SubscribeAsync(Services, "https://hooks.example.org/race-rotate", "race-rotate-0123456789");
        try
        {
            var change = await DeletedWhileSavingAsync(subscription.Id, [], () => WithAdminAsync(a => a.RotateSecretAsync(subscription.Id, null, Demo.Admin.Email, CancellationToken.None)));

            Assert.Equal(SecretChangeResult.NotFound, change.Result);
            Assert.Null(change.GeneratedSecret); // no secret shown for a rotation that did not happen
            Assert.Null(await LoadAsync<WebhookSubscription>(subscription.Id));
        }
        finally
        {
            await DeleteAsync(Services, subscription.Id);
        }
    }

    [Fact]
    public async Task revoking_the_previous_secret_of_a_subscription_deleted_meanwhile_does_not_bring_it_back()
    {
        var subscription = await SubscribeAsync(Services, "https://hooks.example.org/race-revoke", "race-revoke-0123456789");
        try
        {
            var rotated = await WithAdminAsync(a => a.RotateSecretAsync(subscription.Id, null, Demo.Admin.Email, CancellationToken.None));
            Assert.NotNull(rotated.Subscription?.PreviousProtectedSecret);

            var change = await DeletedWhileSavingAsync(subscription.Id, [], () => WithAdminAsync(a => a.RevokePreviousSecretAsync(subscription.Id, Demo.Admin.Email, CancellationToken.None)));

            Assert.Equal(SecretChangeResult.NotFound, change.Result);
            Assert.Null(await LoadAsync<WebhookSubscription>(subscription.Id));
        }
        finally
        {
            await DeleteAsync(Services, subscription.Id);
        }
    }

    [Fact]
    public async Task the_expiry_job_skips_a_subscription_deleted_meanwhile_and_still_drops_the_others()
    {
        var deleted = await ExpiredAsync("https://hooks.example.org/race-expire-deleted");
        var other = await ExpiredAsync("https://hooks.example.org/race-expire-other");
        try
        {
            var dropped = await DeletedWhileSavingAsync(deleted.Id, [], async () =>
            {
                await using var scope = Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<WebhookSecretExpiryJob>().RunAsync(CancellationToken.None);
            });

            Assert.Null(await LoadAsync<WebhookSubscription>(deleted.Id));
            // The conflict cost the other subscription nothing: saved on its own, its previous secret is dropped.
            var stored = (await LoadAsync<WebhookSubscription>(other.Id))!;
            Assert.Null(stored.PreviousProtectedSecret);
            Assert.Equal(WebhookSecretEventKind.PreviousExpired, stored.SecretEvents[^1].Kind);
            Assert.True(dropped >= 1, "the other subscription's previous secret is counted as dropped");
        }
        finally
        {
            await DeleteAsync(Services, deleted.Id);
            await DeleteAsync(Services, other.Id);
        }
    }

    /// <summary>
    /// Runs <paramref name="change"/> while a transaction deletes the subscription (and <paramref name="deliveries"/>,
    /// as deleting a webhook does): the change reads the subscription, its save waits on the row the deletion holds,
    /// and the deletion commits. Fails the test if the change never waits on the deletion.
    /// </summary>
    private async Task<T> DeletedWhileSavingAsync<T>(Guid subscriptionId, Guid[] deliveries, Func<Task<T>> change)
    {
        await using var deletion = new NpgsqlConnection(portal.Database.ConnectionString);
        await deletion.OpenAsync();
        await using var transaction = await deletion.BeginTransactionAsync();
        var pid = (int)(await ScalarAsync(deletion, "SELECT pg_backend_pid()"))!;
        Assert.Equal(1, await ExecuteAsync(deletion, "DELETE FROM portal.mt_doc_webhooksubscription WHERE id = $1", subscriptionId));
        foreach (var delivery in deliveries)
        {
            Assert.Equal(1, await ExecuteAsync(deletion, "DELETE FROM portal.mt_doc_webhookdelivery WHERE id = $1", delivery));
        }

        var running = Task.Run(change);
        await using (var watcher = new NpgsqlConnection(portal.Database.ConnectionString))
        {
            await watcher.OpenAsync();
            var deadline = DateTimeOffset.UtcNow + BlockedWithin;
            // Each query in its own transaction: pg_stat_activity is read afresh every time.
            while ((long)(await ScalarAsync(watcher, "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", pid))! == 0)
            {
                Assert.False(running.IsCompleted, "the change finished without waiting on the deletion: " + running.Exception?.GetBaseException().Message);
                Assert.True(DateTimeOffset.UtcNow < deadline, $"the change did not wait on the deletion within {BlockedWithin.TotalSeconds} s");
                await Task.Delay(50);
            }
        }

        await transaction.CommitAsync();
        return await running;
    }

    private async Task<T> WithAdminAsync<T>(Func<WebhookAdmin, Task<T>> act)
    {
        await using var scope = Services.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<WebhookAdmin>());
    }

    /// <summary>A subscription rotated an hour ago whose previous secret's overlap ended a minute ago (the job has yet to run).</summary>
    private async Task<WebhookSubscription> ExpiredAsync(string url)
    {
        var subscription = await SubscribeAsync(Services, url, "race-expire-" + Guid.NewGuid().ToString("N"));
        await WithAdminAsync(a => a.RotateSecretAsync(subscription.Id, null, Demo.Admin.Email, CancellationToken.None));
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var rotated = (await session.LoadAsync<WebhookSubscription>(subscription.Id))!;
        var expired = rotated with { PreviousSecretUntil = DateTimeOffset.UtcNow.AddMinutes(-1) };
        session.Update(expired);
        await session.SaveChangesAsync();
        return expired;
    }

    private async Task<WebhookDelivery> StorePendingAsync(Guid subscriptionId)
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
            NextAttemptAt = now.AddHours(1),
        };
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(delivery);
        await session.SaveChangesAsync();
        return delivery;
    }

    private async Task<T?> LoadAsync<T>(Guid id) where T : notnull
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<T>(id);
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
