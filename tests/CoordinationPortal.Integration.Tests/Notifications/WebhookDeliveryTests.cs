using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Notifications;
using CoordinationPortal.Web.Notifications.Webhooks;
using CoordinationPortal.Web.OutOfStep;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CoordinationPortal.Integration.Tests.Notifications.NotificationTestBed;

namespace CoordinationPortal.Integration.Tests.Notifications;

/// <summary>
/// Webhook deliveries to a real HTTP receiver on loopback, from notices handed to the subscribers as the evaluator does.
/// No Hangfire server runs in these tests: each attempt is made by calling the delivery job as Hangfire would, and the
/// jobs Hangfire was given (enqueued, or scheduled with the back-off delay) are read back from its storage.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class WebhookDeliveryTests(PortalFixture portal, WebhookReceiver receiver) : IClassFixture<WebhookReceiver>
{
    private IServiceProvider Services => WebhookHost(portal).Services;

    [Fact]
    public async Task a_raised_flag_is_posted_signed_and_the_receiver_can_verify_the_signature()
    {
        var secret = "s3cret-" + Guid.NewGuid().ToString("N");
        var url = receiver.Hook([200]);
        var subscription = await SubscribeAsync(Services, url, secret);
        try
        {
            var flag = await RaiseAsync(Services, Demo.LedAgency, "Compute is at level 4 but Data is at level 2", "कंप्यूट स्तर 4 पर है पर डेटा स्तर 2 पर");
            await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag, Demo.Lead.Email));

            var delivery = Assert.Single(await DeliveriesAsync(Services, subscription.Id));
            Assert.Equal(DeliveryStatus.Pending, delivery.Status);
            Assert.Equal(WebhookEvents.FlagRaised, delivery.Event);
            Assert.Single(Enqueued(Services, delivery.Id)); // enqueued once the notices were committed

            Assert.Equal(DeliveryRun.Delivered, await RunDeliveryAsync(Services, delivery.Id));

            var request = Assert.Single(receiver.For(url));
            Assert.Equal("application/json", request.Headers["Content-Type"]);
            Assert.Equal("flag.raised", request.Headers["X-Portal-Event"]);
            Assert.Equal(delivery.Id.ToString(), request.Headers["X-Portal-Delivery"]);
            var timestamp = long.Parse(request.Headers["X-Portal-Timestamp"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, 0, 60);

            // The receiver's own check: HMAC-SHA256 over "{timestamp}.{body}" with the shared secret.
            var signature = request.Headers["X-Portal-Signature"];
            Assert.Equal(ReceiverSignature(secret, timestamp, request.Body), signature);
            var tampered = request.Body.ToArray();
            tampered[^2] ^= 0x01;
            Assert.NotEqual(ReceiverSignature(secret, timestamp, tampered), signature);
            Assert.NotEqual(ReceiverSignature(secret, timestamp + 1, request.Body), signature);
            Assert.NotEqual(ReceiverSignature("another-secret-value", timestamp, request.Body), signature);

            using var json = JsonDocument.Parse(request.Body);
            var root = json.RootElement;
            Assert.Equal("flag.raised", root.GetProperty("type").GetString());
            Assert.Equal(delivery.Id, root.GetProperty("id").GetGuid());
            var f = root.GetProperty("flag");
            Assert.Equal(flag.Id, f.GetProperty("id").GetGuid());
            Assert.Equal("spread", f.GetProperty("rule").GetString());
            Assert.Equal("High", f.GetProperty("severity").GetString());
            Assert.Equal("Open", f.GetProperty("status").GetString());
            Assert.Equal("Compute,Data", string.Join(',', f.GetProperty("layers").EnumerateArray().Select(l => l.GetString())));
            Assert.Equal(4, f.GetProperty("figures")[0].GetProperty("value").GetDouble());
            Assert.Equal("Compute is at level 4 but Data is at level 2", f.GetProperty("explanation").GetProperty("en").GetString());
            Assert.Equal("कंप्यूट स्तर 4 पर है पर डेटा स्तर 2 पर", f.GetProperty("explanation").GetProperty("hi").GetString());
            Assert.Equal(1, f.GetProperty("occurrence").GetInt32());
            var agency = root.GetProperty("agency");
            Assert.Equal(Demo.LedAgency, agency.GetProperty("id").GetGuid());
            Assert.Equal("health", agency.GetProperty("sector").GetString());

            var delivered = await DeliveryAsync(Services, delivery.Id);
            Assert.Equal(DeliveryStatus.Delivered, delivered.Status);
            var attempt = Assert.Single(delivered.Attempts);
            Assert.Equal(200, attempt.StatusCode);
            Assert.Equal("thanks", attempt.ResponseExcerpt);

            // Idempotent: running the job again (a duplicate enqueue, the backstop) sends nothing.
            Assert.Equal(DeliveryRun.Skipped, await RunDeliveryAsync(Services, delivery.Id));
            Assert.Single(receiver.For(url));
        }
        finally
        {
            await DisableAsync(Services, subscription.Id);
        }
    }

    [Fact]
    public async Task a_failed_attempt_is_logged_and_retried_after_the_back_off_and_delivered_once()
    {
        // On the clocked host: the retry is due ten minutes after the first attempt, and the test moves the clock there.
        var services = ClockedHost(portal).Services;
        var url = receiver.Hook([500, 200]);
        var subscription = await SubscribeAsync(services, url, "retry-secret-" + Guid.NewGuid().ToString("N"));
        try
        {
            var flag = await RaiseAsync(services, Demo.LedAgency, "retry test", "पुनःप्रयास परीक्षण");
            await StageAndCommitAsync(services, Notice(FlagNoticeKind.Raised, flag, Demo.Lead.Email));
            var id = Assert.Single(await DeliveriesAsync(services, subscription.Id)).Id;

            Assert.Equal(DeliveryRun.RetryScheduled, await RunDeliveryAsync(services, id));
            var afterFirst = await DeliveryAsync(services, id);
            Assert.Equal(DeliveryStatus.Pending, afterFirst.Status);
            var first = Assert.Single(afterFirst.Attempts);
            Assert.Equal(500, first.StatusCode);
            Assert.Equal("answered 500", first.ResponseExcerpt);
            Assert.Equal(first.At + ClockedRetryDelay, afterFirst.NextAttemptAt);

            // Hangfire holds the retry in the scheduled state, due after the first back-off delay.
            var retry = Assert.Single(Scheduled(services, id));
            Assert.InRange(new DateTimeOffset(DateTime.SpecifyKind(retry.EnqueueAt, DateTimeKind.Utc)), afterFirst.NextAttemptAt!.Value - TimeSpan.FromSeconds(1), afterFirst.NextAttemptAt!.Value + TimeSpan.FromSeconds(1));

            // Not due yet (minutes away, however slow this machine): a run now sends nothing.
            Assert.Equal(DeliveryRun.Skipped, await RunDeliveryAsync(services, id));
            Assert.Single(receiver.For(url));

            HostClock.AdvancePast(afterFirst.NextAttemptAt);
            Assert.Equal(DeliveryRun.Delivered, await RunDeliveryAsync(services, id));
            Assert.Equal(DeliveryRun.Skipped, await RunDeliveryAsync(services, id));

            var delivered = await DeliveryAsync(services, id);
            Assert.Equal(DeliveryStatus.Delivered, delivered.Status);
            Assert.Equal([500, 200], delivered.Attempts.Select(a => a.StatusCode ?? 0).ToArray());
            Assert.Equal([1, 2], delivered.Attempts.Select(a => a.Number).ToArray());
            var received = receiver.For(url);
            Assert.Equal(2, received.Count);
            Assert.Single(received, r => r.AnsweredWith == 200);
            Assert.All(received, r => Assert.Equal(id.ToString(), r.Headers["X-Portal-Delivery"]));
            Assert.Equal(received[0].Body, received[1].Body); // the same payload on every attempt
        }
        finally
        {
            HostClock.Reset();
            await DeleteAsync(services, subscription.Id);
        }
    }

    [Fact]
    public async Task a_delivery_that_always_fails_ends_failed_after_the_maximum_attempts()
    {
        var url = receiver.Hook([503]);
        var subscription = await SubscribeAsync(Services, url, "failing-secret-" + Guid.NewGuid().ToString("N"), WebhookEvents.FlagResolved);
        try
        {
            var flag = await RaiseAsync(Services, Demo.LedAgency, "fails", "विफल");
            var resolved = await ResolveAsync(Services, flag);
            // Only resolutions are asked for: the raising makes no delivery.
            await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag, Demo.Lead.Email));
            Assert.Empty(await DeliveriesAsync(Services, subscription.Id));
            await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Resolved, resolved, Demo.Lead.Email));
            var delivery = Assert.Single(await DeliveriesAsync(Services, subscription.Id));
            Assert.Equal(WebhookEvents.FlagResolved, delivery.Event);
            Assert.Equal(6, delivery.MaxAttempts);

            var runs = new List<DeliveryRun>();
            for (var i = 0; i < 6; i++)
            {
                await WaitUntilAsync((await DeliveryAsync(Services, delivery.Id)).NextAttemptAt);
                runs.Add(await RunDeliveryAsync(Services, delivery.Id));
            }

            Assert.Equal([.. Enumerable.Repeat(DeliveryRun.RetryScheduled, 5), DeliveryRun.Failed], runs);
            var failed = await DeliveryAsync(Services, delivery.Id);
            Assert.Equal(DeliveryStatus.Failed, failed.Status);
            Assert.Equal(6, failed.Attempts.Count);
            Assert.All(failed.Attempts, a => Assert.Equal(503, a.StatusCode));
            Assert.Null(failed.NextAttemptAt);
            Assert.Equal(DeliveryRun.Skipped, await RunDeliveryAsync(Services, delivery.Id));
            Assert.Equal(6, receiver.For(url).Count);

            var payload = JsonDocument.Parse(receiver.For(url)[0].Body).RootElement;
            Assert.Equal("flag.resolved", payload.GetProperty("type").GetString());
            Assert.Equal("Resolved", payload.GetProperty("flag").GetProperty("status").GetString());
            Assert.Equal("ConditionCleared", payload.GetProperty("flag").GetProperty("resolutionReason").GetString());
        }
        finally
        {
            await DisableAsync(Services, subscription.Id);
        }
    }

    [Fact]
    public async Task loopback_and_metadata_addresses_are_refused_without_connecting()
    {
        // Something really listens on 127.0.0.1: were the guard bypassed, it would see a connection.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var loopback = await SubscribeAsync(Services, $"http://127.0.0.1:{port}/hook", "ssrf-secret-0123456789");
        var metadata = await SubscribeAsync(Services, "http://169.254.169.254/latest/meta-data/", "ssrf-secret-0123456789");
        try
        {
            var flag = await RaiseAsync(Services, Demo.LedAgency, "ssrf", "ssrf");
            await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag));

            foreach (var (subscription, address, kind) in new[] { (loopback, "127.0.0.1", "Loopback"), (metadata, "169.254.169.254", "CloudMetadata") })
            {
                var delivery = Assert.Single(await DeliveriesAsync(Services, subscription.Id));
                Assert.Equal(DeliveryRun.RetryScheduled, await RunDeliveryAsync(Services, delivery.Id));
                var attempt = Assert.Single((await DeliveryAsync(Services, delivery.Id)).Attempts);
                Assert.Equal("AddressRefused", attempt.Error);
                Assert.Equal($"{address}|{kind}", attempt.Detail);
                Assert.Null(attempt.StatusCode);
            }

            Assert.False(listener.Pending(), "the loopback listener was connected to");
        }
        finally
        {
            await DisableAsync(Services, loopback.Id);
            await DisableAsync(Services, metadata.Id);
        }
    }

    [Fact]
    public async Task a_redirect_is_not_followed_and_a_slow_receiver_times_out()
    {
        var redirecting = receiver.Hook([302]);
        var slow = receiver.Hook([200], delay: TimeSpan.FromSeconds(5));
        var a = await SubscribeAsync(Services, redirecting, "redirect-secret-0123456789");
        var b = await SubscribeAsync(Services, slow, "timeout-secret-0123456789");
        try
        {
            var flag = await RaiseAsync(Services, Demo.LedAgency, "redirect", "redirect");
            await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag));

            var toRedirect = Assert.Single(await DeliveriesAsync(Services, a.Id));
            Assert.Equal(DeliveryRun.RetryScheduled, await RunDeliveryAsync(Services, toRedirect.Id));
            var redirect = Assert.Single((await DeliveryAsync(Services, toRedirect.Id)).Attempts);
            Assert.Equal((302, "Redirect"), (redirect.StatusCode!.Value, redirect.Error!));
            Assert.Empty(receiver.For(redirecting + "-redirected"));

            var toSlow = Assert.Single(await DeliveriesAsync(Services, b.Id));
            Assert.Equal(DeliveryRun.RetryScheduled, await RunDeliveryAsync(Services, toSlow.Id));
            var timedOut = Assert.Single((await DeliveryAsync(Services, toSlow.Id)).Attempts);
            Assert.Equal("Timeout", timedOut.Error);
            // Not before the 2 s timeout; the error already says the 5 s answer was never waited for, so the ceiling only
            // leaves room for a loaded machine.
            Assert.InRange(timedOut.DurationMs, 1900, 15_000);
        }
        finally
        {
            await DisableAsync(Services, a.Id);
            await DisableAsync(Services, b.Id);
        }
    }

    [Fact]
    public async Task an_evaluation_whose_save_fails_leaves_no_delivery_and_no_notification()
    {
        var subscription = await SubscribeAsync(Services, receiver.Hook([200]), "unsaved-secret-0123456789");
        var lead = "unsaved-" + Guid.NewGuid().ToString("N")[..8] + "@portal.local";
        try
        {
            var flag = await RaiseAsync(Services, Demo.LedAgency, "unsaved", "unsaved");
            var notice = Notice(FlagNoticeKind.Resolved, flag, lead);
            var id = WebhookNotifications.DeliveryId(notice, subscription.Id);
            await using (var scope = Services.CreateAsyncScope())
            {
                // As the evaluator does: read the flag for writing, append its change, let every subscriber stage, save.
                var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
                await session.BeginTransactionAsync(CancellationToken.None);
                var stream = await session.Events.FetchForWriting<Flag>(flag.Id);
                stream.AppendOne(new FlagResolved(flag.Id, ResolutionReason.ConditionCleared, DateTimeOffset.UtcNow));
                foreach (var subscriber in scope.ServiceProvider.GetServices<IFlagSubscriber>())
                {
                    await subscriber.StageAsync(session, [notice], CancellationToken.None);
                }

                // Staged in the session: the delivery and the lead's notification would have committed with the event.
                Assert.Single(session.PendingChanges.AllChangedFor<WebhookDelivery>(), d => d.Id == id);
                Assert.Single(session.PendingChanges.AllChangedFor<Notification>(), n => n.Recipient == lead);

                // Someone else appended to the flag since it was read (another process resolved it): the save fails.
                await ResolveAsync(Services, flag);
                await Assert.ThrowsAnyAsync<JasperFx.ConcurrencyException>(() => session.SaveChangesAsync());
            }

            // Nothing it staged remains: neither the delivery nor the lead's notification.
            Assert.Empty(await DeliveriesAsync(Services, subscription.Id));
            await using var query = Services.GetRequiredService<IDocumentStore>().QuerySession();
            Assert.Null(await query.LoadAsync<WebhookDelivery>(id));
            Assert.Equal(0, await query.Query<Notification>().CountAsync(n => n.Recipient == lead));
        }
        finally
        {
            await DisableAsync(Services, subscription.Id);
        }
    }

    [Fact]
    public async Task staging_a_notice_again_neither_adds_a_delivery_nor_sends_it_again()
    {
        var url = receiver.Hook([200]);
        var subscription = await SubscribeAsync(Services, url, "again-secret-0123456789");
        try
        {
            var flag = await RaiseAsync(Services, Demo.LedAgency, "told twice", "told twice");
            var notice = Notice(FlagNoticeKind.Raised, flag);
            await StageAndCommitAsync(Services, notice);
            var delivery = Assert.Single(await DeliveriesAsync(Services, subscription.Id));
            Assert.Equal(WebhookNotifications.DeliveryId(notice, subscription.Id), delivery.Id);
            Assert.Equal(DeliveryRun.Delivered, await RunDeliveryAsync(Services, delivery.Id));

            // Told of the same raising again: the delivered delivery is kept as it is, not made pending again.
            await StageAndCommitAsync(Services, notice);
            var after = Assert.Single(await DeliveriesAsync(Services, subscription.Id));
            Assert.Equal(DeliveryStatus.Delivered, after.Status);
            Assert.Single(after.Attempts);
            Assert.Single(Enqueued(Services, delivery.Id)); // the first commit's only
            Assert.Equal(DeliveryRun.Skipped, await RunDeliveryAsync(Services, delivery.Id));
            Assert.Single(receiver.For(url));
        }
        finally
        {
            await DisableAsync(Services, subscription.Id);
        }
    }

    [Fact]
    public async Task the_maintenance_job_enqueues_a_pending_delivery_whose_job_was_lost_once_it_is_past_the_grace()
    {
        // On the clocked host: the test moves the clock across the grace instead of storing a due time in the past.
        var services = ClockedHost(portal).Services;
        var grace = services.GetRequiredService<IOptions<WebhookOptions>>().Value.OverdueGrace;
        Assert.Equal(TimeSpan.FromMinutes(5), grace); // the default
        var subscription = await SubscribeAsync(services, receiver.Hook([200]), "backstop-secret-0123456789");
        try
        {
            var flag = await RaiseAsync(services, Demo.LedAgency, "backstop", "backstop");
            var notice = Notice(FlagNoticeKind.Raised, flag);
            await using (var scope = services.CreateAsyncScope())
            {
                var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
                foreach (var subscriber in scope.ServiceProvider.GetServices<IFlagSubscriber>())
                {
                    await subscriber.StageAsync(session, [notice], CancellationToken.None);
                }

                await session.SaveChangesAsync();
                // CommittedAsync is never called: the process stopped between the commit and the enqueue.
            }

            var delivery = Assert.Single(await DeliveriesAsync(services, subscription.Id));
            Assert.Equal(DeliveryStatus.Pending, delivery.Status);
            Assert.Empty(Enqueued(services, delivery.Id));

            // Due just now, then overdue by a minute less than the grace: the job leaves it alone (its own job may just
            // be waiting in a backlog).
            await RunMaintenanceAsync(services);
            Assert.Empty(Enqueued(services, delivery.Id));
            HostClock.AdvancePast(delivery.NextAttemptAt!.Value + grace - TimeSpan.FromMinutes(1));
            await RunMaintenanceAsync(services);
            Assert.Empty(Enqueued(services, delivery.Id));

            // Overdue by a minute more than the grace: its job is taken for lost and it is enqueued, once.
            HostClock.AdvancePast(delivery.NextAttemptAt!.Value + grace + TimeSpan.FromMinutes(1));
            await RunMaintenanceAsync(services);
            Assert.Single(Enqueued(services, delivery.Id));
            Assert.Equal(DeliveryRun.Delivered, await RunDeliveryAsync(services, delivery.Id));

            // Delivered: no longer pending, so never enqueued again.
            await RunMaintenanceAsync(services);
            Assert.Single(Enqueued(services, delivery.Id));
            Assert.Equal(DeliveryRun.Skipped, await RunDeliveryAsync(services, delivery.Id));
        }
        finally
        {
            HostClock.Reset();
            await DeleteAsync(services, subscription.Id);
        }
    }

    [Fact]
    public async Task a_disabled_subscription_gets_no_new_deliveries_and_its_pending_ones_are_cancelled()
    {
        var url = receiver.Hook([200]);
        var subscription = await SubscribeAsync(Services, url, "disabled-secret-0123456789");
        var flag = await RaiseAsync(Services, Demo.LedAgency, "disabled", "disabled");
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag));
        var pending = Assert.Single(await DeliveriesAsync(Services, subscription.Id));

        await DisableAsync(Services, subscription.Id);
        // Cancelled by the disabling itself, not left for its job.
        var cancelled = await DeliveryAsync(Services, pending.Id);
        Assert.Equal(DeliveryStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.FinishedAt);
        Assert.Null(cancelled.NextAttemptAt);

        var resolved = await ResolveAsync(Services, flag);
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Resolved, resolved));
        Assert.Single(await DeliveriesAsync(Services, subscription.Id));

        Assert.Equal(DeliveryRun.Skipped, await RunDeliveryAsync(Services, pending.Id));
        Assert.Equal(DeliveryStatus.Cancelled, (await DeliveryAsync(Services, pending.Id)).Status);
        Assert.Empty(receiver.For(url));
    }

    [Fact]
    public async Task a_delivery_made_as_its_subscription_was_disabled_is_cancelled_by_its_job()
    {
        var url = receiver.Hook([200]);
        var subscription = await SubscribeAsync(Services, url, "late-disable-secret-0123456789");
        var flag = await RaiseAsync(Services, Demo.LedAgency, "late disable", "late disable");
        await DisableAsync(Services, subscription.Id);
        // The evaluation read the subscription as enabled just before the disabling committed.
        var delivery = await StorePendingAsync(subscription.Id, flag.Id);

        Assert.Equal(DeliveryRun.Cancelled, await RunDeliveryAsync(Services, delivery.Id));
        Assert.Equal(DeliveryStatus.Cancelled, (await DeliveryAsync(Services, delivery.Id)).Status);
        Assert.Empty(receiver.For(url));
    }

    [Fact]
    public async Task a_delivery_whose_subscription_is_gone_is_deleted_not_left_pending()
    {
        var delivery = await StorePendingAsync(Guid.NewGuid(), Guid.NewGuid());

        Assert.Equal(DeliveryRun.Cancelled, await RunDeliveryAsync(Services, delivery.Id));
        await using var query = Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Null(await query.LoadAsync<WebhookDelivery>(delivery.Id));
    }

    [Fact]
    public async Task a_delivery_deleted_with_its_subscription_during_the_attempt_stays_deleted()
    {
        // On the clocked host, whose attempts wait 30 s for an answer: the receiver answers only once the test lets it.
        var services = ClockedHost(portal).Services;
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var url = receiver.Hook([200], answerWhen: answer.Task);
        var subscription = await SubscribeAsync(services, url, "deleted-secret-0123456789");
        try
        {
            var flag = await RaiseAsync(services, Demo.LedAgency, "deleted", "deleted");
            await StageAndCommitAsync(services, Notice(FlagNoticeKind.Raised, flag));
            var delivery = Assert.Single(await DeliveriesAsync(services, subscription.Id));

            var run = RunDeliveryAsync(services, delivery.Id);
            try
            {
                // The receiver has the request and holds its answer back: the attempt is under way.
                await receiver.FirstRequestAsync(url, TimeSpan.FromSeconds(10));
                await using var scope = services.CreateAsyncScope();
                Assert.True(await scope.ServiceProvider.GetRequiredService<WebhookAdmin>().DeleteAsync(subscription.Id, CancellationToken.None));
            }
            finally
            {
                answer.TrySetResult();
            }

            Assert.Equal(DeliveryRun.Skipped, await run);
            Assert.Single(receiver.For(url));
            Assert.Empty(await DeliveriesAsync(services, subscription.Id));
            Assert.Empty(Scheduled(services, delivery.Id));
        }
        finally
        {
            await DeleteAsync(services, subscription.Id); // should the test have stopped before deleting it
        }
    }

    [Fact]
    public async Task an_error_of_the_portal_own_is_a_failed_attempt_with_back_off_and_ends_the_delivery()
    {
        var url = receiver.Hook([200]);
        var subscription = await SubscribeAsync(Services, url, "broken-secret-0123456789");
        try
        {
            // A secret that can no longer be decrypted (say the key ring was lost). Read first: subscriptions are saved
            // with an optimistic concurrency check.
            await using (var session = Services.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                var stored = (await session.LoadAsync<WebhookSubscription>(subscription.Id))!;
                session.Store(stored with { ProtectedSecret = "not-a-protected-secret" });
                await session.SaveChangesAsync();
            }

            var flag = await RaiseAsync(Services, Demo.LedAgency, "broken", "broken");
            await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag));
            var delivery = Assert.Single(await DeliveriesAsync(Services, subscription.Id));

            var runs = new List<DeliveryRun>();
            for (var i = 0; i < delivery.MaxAttempts; i++)
            {
                await WaitUntilAsync((await DeliveryAsync(Services, delivery.Id)).NextAttemptAt);
                runs.Add(await RunDeliveryAsync(Services, delivery.Id));
            }

            Assert.Equal([.. Enumerable.Repeat(DeliveryRun.RetryScheduled, delivery.MaxAttempts - 1), DeliveryRun.Failed], runs);
            var failed = await DeliveryAsync(Services, delivery.Id);
            Assert.Equal(DeliveryStatus.Failed, failed.Status);
            Assert.All(failed.Attempts, a => Assert.Equal((DeliveryAttempt.InternalError, (int?)null), (a.Error!, a.StatusCode)));
            Assert.Empty(receiver.For(url));
        }
        finally
        {
            await DisableAsync(Services, subscription.Id);
        }
    }

    [Fact]
    public async Task an_event_larger_than_a_payload_may_be_has_no_payload()
    {
        var flag = await RaiseAsync(Services, Demo.LedAgency, "big", "big");
        var e = WebhookPayloads.EventFor(Notice(FlagNoticeKind.Raised, flag));
        Assert.NotNull(WebhookPayloads.ForFlag(Guid.NewGuid(), e));

        // Past the caps (which a notice's event never is): too large to send, so not sent to anyone.
        var oversized = e with { Flag = e.Flag with { Explanation = new PayloadText(new string('ड', 20_000), "") } };
        Assert.Null(WebhookPayloads.ForFlag(Guid.NewGuid(), oversized));
    }

    [Fact]
    public async Task the_largest_payload_the_caps_allow_fits_even_with_every_character_escaped()
    {
        var flag = await RaiseAsync(Services, Demo.LedAgency, "cap", "cap");
        // Hindi is written as a six-byte \uXXXX escape by the default encoder, as are control characters.
        var text = new string('\u0001', 10_000);
        var hindi = new string('ड', 10_000);
        var longest = flag with
        {
            RuleId = text, Kind = text, Subject = text,
            Layers = [.. Enum.GetValues<CoordinationPortal.Domain.Layer>(), .. Enum.GetValues<CoordinationPortal.Domain.Layer>()],
            Figures = [.. Enumerable.Range(0, 100).Select(_ => new CoordinationPortal.Domain.OutOfStep.Figure(hindi, double.MinValue))],
            Explanation = new CoordinationPortal.Domain.LocalizedText(text, hindi),
        };
        var notice = new FlagNotice(FlagNoticeKind.Raised, longest, new FlagAgency(flag.AgencyId, hindi, text, hindi, []), DateTimeOffset.UtcNow);

        var e = WebhookPayloads.EventFor(notice);
        var payload = WebhookPayloads.ForFlag(Guid.NewGuid(), e);

        Assert.NotNull(payload);
        Assert.InRange(Encoding.UTF8.GetByteCount(payload), WebhookPayloads.MaxBytes / 2, WebhookPayloads.MaxBytes);
        Assert.Equal(WebhookPayloads.MaxFigures, e.Flag.Figures.Count);
        Assert.Equal(WebhookPayloads.MaxText, e.Flag.Explanation.Hi.Length);
    }

    private async Task<WebhookDelivery> StorePendingAsync(Guid subscriptionId, Guid flagId)
    {
        var now = DateTimeOffset.UtcNow;
        var delivery = new WebhookDelivery
        {
            Id = Guid.NewGuid(),
            SubscriptionId = subscriptionId,
            Event = WebhookEvents.FlagRaised,
            FlagId = flagId,
            Payload = "{}",
            Status = DeliveryStatus.Pending,
            MaxAttempts = 6,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(delivery);
        await session.SaveChangesAsync();
        return delivery;
    }

    [Fact]
    public void hangfire_runs_the_notifications_maintenance_every_five_minutes()
    {
        using var connection = Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        var jobs = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).ToDictionary(j => j.Id);
        Assert.Equal("*/5 * * * *", jobs[NotificationsMaintenanceJob.RecurringId].Cron);
        Assert.Equal(typeof(NotificationsMaintenanceJob), jobs[NotificationsMaintenanceJob.RecurringId].Job.Type);
    }

    private static async Task RunMaintenanceAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationsMaintenanceJob>().RunAsync(CancellationToken.None);
    }

    private static string ReceiverSignature(string secret, long timestamp, byte[] body)
    {
        var message = Encoding.UTF8.GetBytes($"{timestamp}.").Concat(body).ToArray();
        return "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message)).ToLowerInvariant();
    }
}
