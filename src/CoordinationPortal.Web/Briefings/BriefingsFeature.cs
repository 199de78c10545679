using CoordinationPortal.Web.Briefings.Content;
using CoordinationPortal.Web.Briefings.Printing;
using CoordinationPortal.Web.Briefings.Storage;
using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Operations;
using Hangfire;
using Marten;

namespace CoordinationPortal.Web.Briefings;

/// <summary>
/// PDF briefings for policymakers: five scopes in English or Hindi, rendered from Razor components to HTML and printed
/// by headless Chromium in a Hangfire job, cached per data version. It reads agencies, flags, probes and working groups;
/// nothing depends on it.
/// </summary>
public sealed class BriefingsFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ContentPart.AddServices(setup);
        var settings = PrintSettings.From(setup.Configuration);
        setup.Services.AddSingleton(settings);
        setup.Services.AddSingleton<ChromiumPrinter>();
        setup.Services.AddSingleton<BriefingAvailability>();
        setup.Services.AddSingleton<BriefingStore>();
        setup.Services.AddHttpContextAccessor();
        setup.Services.AddScoped<BriefingService>();
        setup.Services.AddScoped<BriefingJob>();
        setup.Services.AddScoped<BriefingNightlyJob>();

        // A server of its own for the briefings queue: a slow PDF never holds a probe round's worker, and the number of
        // workers is the printer's concurrency, so jobs never queue inside the printer. Off with Jobs:RunServer unless
        // Briefings:RunServer says otherwise.
        var runServer = setup.Configuration.GetValue("Briefings:RunServer", setup.Configuration.GetValue("Jobs:RunServer", true));
        if (runServer)
        {
            setup.Services.AddHangfireServer(o =>
            {
                o.WorkerCount = settings.Concurrency;
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:briefings";
                o.Queues = [JobQueues.Briefings];
                // A retried print (1 and 3 s after a failure) is due again within seconds, not at the next 15 s poll.
                o.SchedulePollingInterval = TimeSpan.FromSeconds(5);
            });
        }
    }

    public void ConfigureStore(StoreOptions options, IServiceProvider services) => BriefingTables.AddTo(options);

    public void ScheduleJobs(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<BriefingNightlyJob>(BriefingNightlyJob.Id, j => j.RunAsync(CancellationToken.None), "30 20 * * *", // 02:00 in India
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

    public void MapRoutes(WebApplication app) => app.MapBriefingApi();
}
