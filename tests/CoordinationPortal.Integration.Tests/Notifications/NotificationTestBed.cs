using System.Globalization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Notifications.Webhooks;
using CoordinationPortal.Web.OutOfStep;
using Hangfire;
using Hangfire.Storage.Monitoring;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Notifications;

/// <summary>
/// What the notification tests share: flags raised by appending events (the evaluator is another feature), notices
/// handed to the registered subscribers as the evaluator does, throwaway lead accounts, and the Hangfire queue read back.
/// </summary>
internal static class NotificationTestBed
{
    public const string Password = "Lead-notify-2026";

    /// <summary>The first (and only) retry delay of <see cref="ClockedHost"/>.</summary>
    public static readonly TimeSpan ClockedRetryDelay = TimeSpan.FromMinutes(10);

    /// <summary>How long <see cref="ClockedHost"/> keeps a previous secret signing after a rotation.</summary>
    public static readonly TimeSpan ClockedOverlap = TimeSpan.FromMinutes(10);

    private static readonly Lock Gate = new();
    private static WebApplicationFactory<Program>? webhookHost;
    private static WebApplicationFactory<Program>? clockedHost;

    /// <summary>The clock of <see cref="ClockedHost"/>: the system's unless a test moves it (and puts it back).</summary>
    public static TestClock HostClock { get; } = new();

    /// <summary>
    /// A second portal process on the shared database whose probes (and so webhooks) may reach the test receiver on
    /// 127.77.0.9, with retries after 2 s, then 1 s (six attempts in all) and a 2 s limit per attempt. Disposed with the
    /// fixture's portal.
    /// </summary>
    public static WebApplicationFactory<Program> WebhookHost(PortalFixture portal)
    {
        lock (Gate)
        {
            return webhookHost ??= portal.Factory.WithWebHostBuilder(b =>
            {
                b.UseSetting("Probes:Network:Allow:1", "127.77.0.9/32:*");
                for (var i = 0; i < 5; i++)
                {
                    b.UseSetting($"Webhooks:RetryDelaysSeconds:{i}", i == 0 ? "2" : "1");
                }

                b.UseSetting("Webhooks:TimeoutSeconds", "2");
            });
        }
    }

    /// <summary>
    /// A portal process on the shared database that may reach the test receiver and runs on <see cref="HostClock"/>, for
    /// the tests about instants: one retry, <see cref="ClockedRetryDelay"/> after the first attempt; a previous secret
    /// signing for <see cref="ClockedOverlap"/>; the default grace of the maintenance job; and 30 s per attempt, so that
    /// an attempt a test holds open does not time out while the test acts. Its tests move the clock instead of waiting:
    /// they stay minutes away from any instant they test until they move past it, on however loaded a machine.
    /// </summary>
    public static WebApplicationFactory<Program> ClockedHost(PortalFixture portal)
    {
        lock (Gate)
        {
            return clockedHost ??= portal.Factory.WithWebHostBuilder(b =>
            {
                b.UseSetting("Probes:Network:Allow:1", "127.77.0.9/32:*");
                b.UseSetting("Webhooks:RetryDelaysSeconds:0", ClockedRetryDelay.TotalSeconds.ToString(CultureInfo.InvariantCulture));
                b.UseSetting("Webhooks:SecretOverlapSeconds", ClockedOverlap.TotalSeconds.ToString(CultureInfo.InvariantCulture));
                b.UseSetting("Webhooks:TimeoutSeconds", "30");
                b.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(HostClock));
            });
        }
    }

    /// <summary>Raises a flag for <paramref name="agencyId"/> under a fresh subject and returns its state.</summary>
    public static async Task<Flag> RaiseAsync(IServiceProvider services, Guid agencyId, string en, string hi)
    {
        var subject = "test-" + Guid.NewGuid().ToString("N")[..8];
        var id = FlagIds.For(agencyId, "spread", subject);
        var raised = new FlagRaised(id, agencyId, "spread", "spread", subject, FlagSeverity.High, [Layer.Compute, Layer.Data],
            [new Figure("computeLevel", 4), new Figure("dataLevel", 2)], new LocalizedText(en, hi), 1, DateTimeOffset.UtcNow);
        await using var scope = services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
        session.Events.StartStream<Flag>(id, raised);
        await session.SaveChangesAsync();
        return (await session.LoadAsync<Flag>(id))!;
    }

    /// <summary>Resolves the flag (appending the event) and returns its state after.</summary>
    public static async Task<Flag> ResolveAsync(IServiceProvider services, Flag flag)
    {
        await using var scope = services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
        session.Events.Append(flag.Id, new FlagResolved(flag.Id, ResolutionReason.ConditionCleared, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
        return (await session.LoadAsync<Flag>(flag.Id))!;
    }

    public static FlagNotice Notice(FlagNoticeKind kind, Flag flag, params string[] leads) =>
        new(kind, flag, new FlagAgency(flag.AgencyId, "Ministry of Health and Family Welfare", "health", "Union", leads), DateTimeOffset.UtcNow);

    /// <summary>What the evaluator does with its notices: every subscriber stages them, the session commits, then each is told.</summary>
    public static async Task StageAndCommitAsync(IServiceProvider services, params FlagNotice[] notices)
    {
        await using var scope = services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
        var subscribers = scope.ServiceProvider.GetServices<IFlagSubscriber>().ToList();
        foreach (var subscriber in subscribers)
        {
            await subscriber.StageAsync(session, notices, CancellationToken.None);
        }

        await session.SaveChangesAsync();
        foreach (var subscriber in subscribers)
        {
            await subscriber.CommittedAsync(notices, CancellationToken.None);
        }
    }

    /// <summary>A new account in the AgencyLead role, so a test can count exactly what it was sent.</summary>
    public static async Task<string> CreateLeadAsync(IServiceProvider services)
    {
        var email = $"lead-{Guid.NewGuid():N}"[..17] + "@portal.local";
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Lead" };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, Roles.AgencyLead);
        return email;
    }

    public static async Task<WebhookSubscription> SubscribeAsync(IServiceProvider services, string url, string secret, params string[] events)
    {
        await using var scope = services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<WebhookAdmin>();
        var (created, errors) = await admin.CreateAsync(
            new NewWebhook("test " + Guid.NewGuid().ToString("N")[..6], url, events.Length == 0 ? WebhookEvents.Subscribable : events, secret),
            Demo.Admin.Email, CancellationToken.None);
        Assert.Empty(errors);
        return created!.Subscription;
    }

    /// <summary>Deletes a test's subscription (with its deliveries) so later tests' notices make no deliveries for it.</summary>
    public static async Task DeleteAsync(IServiceProvider services, Guid subscriptionId)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookAdmin>().DeleteAsync(subscriptionId, CancellationToken.None);
    }

    /// <summary>Disables a test's subscription so later tests' notices do not make deliveries for it.</summary>
    public static async Task DisableAsync(IServiceProvider services, Guid subscriptionId)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookAdmin>().SetEnabledAsync(subscriptionId, false, CancellationToken.None);
    }

    public static async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(IServiceProvider services, Guid subscriptionId)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<WebhookDelivery>().Where(d => d.SubscriptionId == subscriptionId).OrderBy(d => d.CreatedAt).ToListAsync();
    }

    public static async Task<WebhookDelivery> DeliveryAsync(IServiceProvider services, Guid id)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<WebhookDelivery>(id))!;
    }

    public static async Task<DeliveryRun> RunDeliveryAsync(IServiceProvider services, Guid deliveryId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WebhookDeliveryJob>().RunAsync(deliveryId, CancellationToken.None);
    }

    /// <summary>Jobs waiting in the notifications queue that would run the delivery job for <paramref name="deliveryId"/>.</summary>
    public static IReadOnlyList<EnqueuedJobDto> Enqueued(IServiceProvider services, Guid deliveryId) =>
        services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs(CoordinationPortal.Web.Operations.JobQueues.Notifications, 0, 100_000)
            .Select(j => j.Value)
            .Where(j => IsDeliveryJob(j.Job, deliveryId))
            .ToList();

    /// <summary>Scheduled jobs (retries) for the delivery job of <paramref name="deliveryId"/>.</summary>
    public static IReadOnlyList<ScheduledJobDto> Scheduled(IServiceProvider services, Guid deliveryId) =>
        services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 100_000)
            .Select(j => j.Value)
            .Where(j => IsDeliveryJob(j.Job, deliveryId))
            .ToList();

    private static bool IsDeliveryJob(Hangfire.Common.Job? job, Guid deliveryId) =>
        job is not null
        && job.Type == typeof(WebhookDeliveryJob)
        && job.Method.Name == nameof(WebhookDeliveryJob.RunAsync)
        && job.Args.Count > 0
        && job.Args[0] is Guid id && id == deliveryId;

    /// <summary>Waits until <paramref name="at"/> (a retry's due time) has passed.</summary>
    public static async Task WaitUntilAsync(DateTimeOffset? at)
    {
        var wait = (at ?? DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
