using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Notifications;
using CoordinationPortal.Web.Notifications.Webhooks;
using CoordinationPortal.Web.Operations;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.Probes;
using Hangfire;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Operations;

/// <summary>Hangfire on the portal's real PostgreSQL storage: each job on its queue, servers on every queue, sliding leases.</summary>
[Collection(PortalTests.Name)]
public sealed class JobQueueTests(PortalFixture portal)
{
    private const string NewestQueue = "SELECT queue FROM hangfire.jobqueue ORDER BY id DESC LIMIT 1";

    [Fact]
    public async Task each_recurring_job_runs_on_its_own_queue_when_triggered()
    {
        var database = await ScratchDatabase.CreateAsync(portal, "jobs_recurring");
        await using var factory = Portal(database, runServer: false);
        _ = factory.Server;
        var recurring = factory.Services.GetRequiredService<IRecurringJobManager>();

        var expected = new Dictionary<string, string>
        {
            [ProbeDispatcher.RecurringId] = JobQueues.Probes,
            [ProbeMaintenanceJob.RecurringId] = JobQueues.Probes,
            [FlagEvaluationJob.RecurringId] = JobQueues.Flags,
            [NotificationsMaintenanceJob.RecurringId] = JobQueues.Notifications,
            [WebhookSecretExpiryJob.RecurringId] = JobQueues.Notifications,
            [StaleScorecardJob.RecurringId] = JobQueues.Default,
        };
        var landed = new Dictionary<string, string>();
        foreach (var id in expected.Keys)
        {
            recurring.Trigger(id);
            landed[id] = (await ScratchDatabase.ScalarAsync<string>(database, NewestQueue))!;
        }

        Assert.Equal(expected, landed);
        Assert.Equal(expected.Count, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM hangfire.jobqueue"));
    }

    [Fact]
    public async Task an_enqueued_webhook_delivery_goes_to_the_notifications_queue()
    {
        var database = await ScratchDatabase.CreateAsync(portal, "jobs_enqueued");
        await using var factory = Portal(database, runServer: false);
        _ = factory.Server;

        var jobId = factory.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<WebhookDeliveryJob>(j => j.RunAsync(Guid.NewGuid(), CancellationToken.None));

        Assert.Equal(JobQueues.Notifications,
            await ScratchDatabase.ScalarAsync<string>(database, $"SELECT queue FROM hangfire.jobqueue WHERE jobid = {long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    [Fact]
    public void the_portals_job_storage_renews_the_lease_of_a_running_job()
    {
        var storage = Assert.IsType<PostgreSqlStorage>(portal.Factory.Services.GetRequiredService<JobStorage>());
        var log = new CapturingLog();
        storage.WriteOptionsToLog(log);
        Assert.Contains(log.Lines, l => l.Contains("Use sliding invisibility timeout: True", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_server_listens_on_every_queue_probes_first_and_briefings_have_a_server_of_their_own()
    {
        var database = await ScratchDatabase.CreateAsync(portal, "jobs_server");
        await using var factory = Portal(database, runServer: true);
        _ = factory.Server;
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (monitoring.Servers().Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        // A slow PDF never holds a probe round's worker, and probe work never waits behind PDFs.
        var servers = monitoring.Servers();
        Assert.Equal(2, servers.Count);
        var main = Assert.Single(servers, s => !s.Queues.Contains(JobQueues.Briefings));
        Assert.Equal(["probes", "flags", "notifications", "default"], main.Queues);
        var briefings = Assert.Single(servers, s => s.Queues.Contains(JobQueues.Briefings));
        Assert.Equal([JobQueues.Briefings], briefings.Queues);
    }

    private PortalHostFactory Portal(string database, bool runServer) => new(database, seedDemo: false, new Dictionary<string, string>(portal.ProbeSettings)
    {
        // After PortalTestHost's own "false", so this one wins.
        ["Jobs:RunServer"] = runServer ? "true" : "false",
        ["Jobs:Workers"] = "2",
    });

    private sealed class CapturingLog : ILog
    {
        public List<string> Lines { get; } = [];

        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (messageFunc is not null)
            {
                Lines.Add(messageFunc());
            }

            return true;
        }
    }
}
