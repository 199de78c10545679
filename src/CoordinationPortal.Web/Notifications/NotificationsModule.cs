using CoordinationPortal.Web.Notifications.Webhooks;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.Probes.Engine;
using CoordinationPortal.Web.Probes.Network;
using Hangfire;
using Marten;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Notifications;

/// <summary>
/// Notifications of flags raised and resolved: in-app, for the agency's leads, and outgoing webhooks for admins'
/// subscriptions. Relies on what the probes module registers: the Data Protection key ring, the SSRF allowlist and the
/// PostgreSQL data source.
/// </summary>
public static class NotificationsModule
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection(WebhookOptions.Section));

        // Webhook URLs are typed by admins: every request goes through the probes' connect-time SSRF guard (loopback,
        // private and metadata addresses refused unless allowlisted), and redirects are not followed, so a receiver
        // cannot bounce a delivery somewhere else. No client-wide timeout: the sender limits each attempt itself.
        services.AddHttpClient<WebhookSender>(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
                var allowlist = sp.GetRequiredService<ProbeAllowlistCache>();
                var handler = ProbeEngine.CreateHandler(new ProbeConnector(allowlist.CurrentAsync, o.ConnectTimeout));
                handler.AllowAutoRedirect = false;
                handler.MaxConnectionsPerServer = 4;
                return handler;
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);

        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<NotificationQueries>();
        services.AddScoped<WebhookAdmin>();
        services.AddScoped<WebhookDeliveryJob>();
        services.AddScoped<NotificationsMaintenanceJob>();
        services.AddScoped<WebhookSecretExpiryJob>();
        services.AddScoped<IFlagSubscriber, InAppNotifications>();
        services.AddScoped<IFlagSubscriber, WebhookNotifications>();
        return builder;
    }

    public static StoreOptions ConfigureNotifications(this StoreOptions options)
    {
        options.Schema.For<Notification>().Index(x => x.Recipient).Index(x => x.At);
        // Admins' changes (enable, rotate, revoke) and the secret expiry job write the same documents: none overwrites another's.
        options.Schema.For<WebhookSubscription>().UseOptimisticConcurrency(true);
        options.Schema.For<WebhookDelivery>().Index(x => x.SubscriptionId).Index(x => x.NextAttemptAt);
        return options;
    }

    public static WebApplication MapNotifications(this WebApplication app)
    {
        app.MapNotificationsApi();
        return app;
    }

    public static void ScheduleRecurringJobs(IServiceProvider services)
    {
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<NotificationsMaintenanceJob>(NotificationsMaintenanceJob.RecurringId, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        WebhookSecretExpiryJob.Schedule(recurring);
    }
}
