using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Notifications.Webhooks;
using CoordinationPortal.Web.Outbound;
using CoordinationPortal.Web.OutOfStep;
using Hangfire;
using Marten;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Notifications;

/// <summary>
/// Notifications of flags raised and resolved: in-app, for the agency's leads, and outgoing webhooks for admins'
/// subscriptions. Subscribes to out-of-step's published <see cref="IFlagSubscriber"/> contract; its requests go through
/// the kernel's guarded outbound client.
/// </summary>
public sealed class NotificationsFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        var services = setup.Services;
        services.AddOptions<WebhookOptions>().Bind(setup.Configuration.GetSection(WebhookOptions.Section));

        // Webhook URLs are typed by admins: every request goes through the connect-time SSRF guard (loopback, private and
        // metadata addresses refused unless allowlisted), and redirects are not followed, so a receiver cannot bounce a
        // delivery somewhere else. No client-wide timeout: the sender limits each attempt itself.
        services.AddGuardedHttpClient<WebhookSender>(
            WebhookSender.ClientName,
            sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value.ConnectTimeout,
            handler =>
            {
                handler.AllowAutoRedirect = false;
                handler.MaxConnectionsPerServer = 4;
            });

        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<NotificationQueries>();
        services.AddScoped<WebhookAdmin>();
        services.AddScoped<WebhookDeliveryJob>();
        services.AddScoped<NotificationsMaintenanceJob>();
        services.AddScoped<WebhookSecretExpiryJob>();
        services.AddScoped<IFlagSubscriber, InAppNotifications>();
        services.AddScoped<IFlagSubscriber, WebhookNotifications>();
    }

    public void ConfigureStore(StoreOptions options, IServiceProvider services)
    {
        options.Schema.For<Notification>().Index(x => x.Recipient).Index(x => x.At);
        // Admins' changes (enable, rotate, revoke) and the secret expiry job write the same documents: none overwrites another's.
        options.Schema.For<WebhookSubscription>().UseOptimisticConcurrency(true);
        // The delivery job and an admin disabling the subscription (which cancels what waits) write the same delivery:
        // neither may overwrite the other's change unseen, so a delivered delivery is never marked cancelled.
        options.Schema.For<WebhookDelivery>().UseOptimisticConcurrency(true).Index(x => x.SubscriptionId).Index(x => x.NextAttemptAt);
    }

    public void ScheduleJobs(IRecurringJobManager jobs)
    {
        jobs.AddOrUpdate<NotificationsMaintenanceJob>(NotificationsMaintenanceJob.RecurringId, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        WebhookSecretExpiryJob.Schedule(jobs);
    }

    public void MapRoutes(WebApplication app) => app.MapNotificationsApi();
}
