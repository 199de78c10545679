using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Operations;
using CoordinationPortal.Web.Outbound;
using CoordinationPortal.Web.Probes.Engine;
using CoordinationPortal.Web.Probes.Storage;
using Hangfire;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoordinationPortal.Web.Probes;

/// <summary>
/// Live inference health probes: the endpoint registry (one stream per endpoint), the probe tables, the dispatcher and
/// the maintenance job. Its outbound requests go through the kernel's guarded client (<see cref="OutboundHttp"/>).
/// </summary>
public sealed class ProbesFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        var services = setup.Services;
        services.AddOptions<ProbeOptions>().Bind(setup.Configuration.GetSection(ProbeOptions.Section));
        services.AddSingleton<ProbeStore>();

        // One pooled client for every probe; no client-wide timeout: the engine sets connect, headers and stream limits itself.
        services.AddGuardedHttpClient<ProbeEngine>(ProbeEngine.ClientName, sp => sp.GetRequiredService<IOptions<ProbeOptions>>().Value.ConnectTimeout);

        services.AddScoped<EndpointSecrets>();
        services.AddScoped<EndpointCommandHandler>();
        services.AddScoped<ProbeRunner>();
        services.AddScoped<ProbeQueries>();
        services.AddScoped<ProbeReasonText>();
        services.AddScoped<ReasonAudience>();
        services.AddSingleton<ProbeNowLimiter>();
        services.AddScoped<ProbeMaintenanceJob>();
        services.AddSingleton<ProbeDispatcher>();
    }

    /// <summary>One stream per endpoint with an inline snapshot; the encrypted keys and the allowlist are documents; the sample tables are extended schema objects.</summary>
    public void ConfigureStore(StoreOptions options, IServiceProvider services)
    {
        options.Projections.Add(new EndpointSnapshotProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<InferenceEndpoint>().Index(x => x.AgencyId);
        options.Schema.For<EndpointSecret>();
        options.Schema.For<ProbeAllowlist>();
        ProbeTables.AddTo(options);
        options.Events.AddEventTypes([
            typeof(EndpointRegistered), typeof(EndpointSettingsChanged), typeof(EndpointApiKeySet), typeof(EndpointApiKeyRemoved),
            typeof(EndpointPaused), typeof(EndpointResumed), typeof(MaintenanceWindowScheduled), typeof(MaintenanceWindowCancelled),
            typeof(EndpointRetired), typeof(EndpointWentDown), typeof(EndpointDegraded), typeof(EndpointRecovered), typeof(EndpointCameUp),
            typeof(SloBreached), typeof(SloRestored),
        ]);
    }

    public void ScheduleJobs(IRecurringJobManager jobs)
    {
        jobs.AddOrUpdate<ProbeDispatcher>(ProbeDispatcher.RecurringId, d => d.RunRoundAsync(CancellationToken.None), Cron.Minutely());
        jobs.AddOrUpdate<ProbeMaintenanceJob>(ProbeMaintenanceJob.RecurringId, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
    }

    /// <summary>Start probing now rather than at the next minute.</summary>
    public IReadOnlyList<string> RunAtStart => [ProbeDispatcher.RecurringId];

    public void MapRoutes(WebApplication app) => app.MapEndpointApi();
}

/// <summary>Folds an endpoint's stream through the domain's <see cref="InferenceEndpoint.Evolve"/>.</summary>
public sealed class EndpointSnapshotProjection : SingleStreamProjection<InferenceEndpoint, Guid>
{
    public override InferenceEndpoint? Evolve(InferenceEndpoint? snapshot, Guid id, IEvent e) => InferenceEndpoint.Evolve(snapshot, e.Data);
}

/// <summary>
/// Every five minutes (Hangfire): rolls complete hours up, deletes what passed its retention, re-aligns the schedule
/// with the registry (a backstop if a schedule write was lost), and announces SLO breaches and restorations for the
/// alert window.
/// </summary>
public sealed partial class ProbeMaintenanceJob(
    IDocumentSession session,
    ProbeStore probes,
    IOptions<ProbeOptions> options,
    TimeProvider time,
    ChangeFeed changes,
    ILogger<ProbeMaintenanceJob> logger)
{
    public const string RecurringId = "probes-maintenance";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [Queue(JobQueues.Probes)]
    public async Task RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        var hours = await probes.RollUpAsync(ct);
        var purged = await probes.PurgeAsync(o.RawRetention, o.RollupRetention, ct);
        var endpoints = await session.Query<InferenceEndpoint>().ToListAsync(ct);
        await probes.EnsureScheduledAsync([.. endpoints.Select(e => (e.Id, e.Settings.IntervalSeconds, !e.Paused && !e.Retired))], ct);

        var announced = await AnnounceSloChangesAsync(endpoints.Where(e => !e.Retired && !e.Paused).ToList(), o.AlertWindow, ct);

        // The 7-day windows moved: whoever reads them (out-of-step evaluation, open pages) hears it.
        await changes.PublishAsync(new PortalChange(ChangeKinds.ProbeWindows, Guid.Empty), ct);
        LogRan(hours, purged, announced);
    }

    public async Task<int> AnnounceSloChangesAsync(IReadOnlyList<InferenceEndpoint> endpoints, SloWindow window, CancellationToken ct)
    {
        if (endpoints.Count == 0)
        {
            return 0;
        }

        var stats = await probes.WindowStatsAsync(window, endpoints.Select(e => e.Id).ToList(), ct);
        var now = time.GetUtcNow();
        var announced = 0;
        foreach (var endpoint in endpoints)
        {
            if (!stats.TryGetValue(endpoint.Id, out var s) || s.Samples == 0)
            {
                continue;
            }

            var events = HealthEvents.ForSlo(endpoint, SloMath.Evaluate(window, s, endpoint.Settings.Slo), now);
            if (events.Count > 0)
            {
                var stream = await session.Events.FetchForWriting<InferenceEndpoint>(endpoint.Id, ct);
                stream.AppendMany(events);
                changes.Stage(session, new PortalChange(ChangeKinds.EndpointHealth, endpoint.Id, endpoint.AgencyId));
                announced += events.Count;
            }
        }

        await session.SaveChangesAsync(ct);
        return announced;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Probe maintenance: {Hours} hour(s) rolled up, {Purged} row(s) purged, {Announced} SLO change(s) announced")]
    private partial void LogRan(int hours, long purged, int announced);
}
