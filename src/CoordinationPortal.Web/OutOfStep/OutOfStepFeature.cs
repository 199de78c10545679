using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Operations;
using Hangfire;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>
/// Out-of-step detection: the rules, one stream per flag, the evaluator and its triggers. Evaluation follows the change
/// feed (scorecards, endpoints, probe windows) rather than being called by the features that change them.
/// </summary>
public sealed class OutOfStepFeature : IPortalFeature
{
    /// <summary>The rules in force, from <c>seed-data/out-of-step-rules.json</c> (or <c>OutOfStep:RulesFile</c>).</summary>
    public void AddServices(FeatureSetup setup)
    {
        var file = setup.Configuration["OutOfStep:RulesFile"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(FrameworkFeature.SeedDataDirectory(setup.Configuration), "out-of-step-rules.json");
        var services = setup.Services;
        services.AddSingleton(RuleSetParser.Parse(File.ReadAllText(file)));
        services.AddScoped<FlagEvaluator>();
        services.AddScoped<FlagEvaluationJob>();
        services.AddSingleton<FlagEvaluationRequests>();
        services.AddHostedService<FlagEvaluationWorker>();
        services.AddSingleton<IChangeSubscriber, FlagEvaluationTrigger>();
        services.AddScoped<FlagQueries>();
        services.AddScoped<FlagCommandHandler>();
        services.AddSingleton<RuleTitles>();
        services.AddScoped<FlagRollupQueries>();
        services.AddScoped<Pages.FlagText>();
    }

    /// <summary>
    /// One stream per flag, with an inline snapshot the board and the agency page read; and each agency's assessment
    /// timeline, kept inline from its stream, which is what the rules read.
    /// </summary>
    public void ConfigureStore(StoreOptions options, IServiceProvider services)
    {
        options.Projections.Add(new FlagSnapshotProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new AgencyTimelineProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Flag>().Index(x => x.AgencyId).Index(x => x.Status);
        options.Events.AddEventTypes([typeof(FlagRaised), typeof(FlagUpdated), typeof(FlagAcknowledged), typeof(FlagResolved)]);
    }

    /// <summary>
    /// Builds the timeline of any agency that has none (a database written before timelines existed), from its stream.
    /// </summary>
    public async Task PrepareAsync(IServiceProvider services, CancellationToken ct)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        var agencies = await session.Query<AgencySummary>().Select(a => a.Id).ToListAsync(ct);
        var known = (await session.Query<AgencyTimeline>().Select(t => t.Id).ToListAsync(ct)).ToHashSet();
        var missing = agencies.Where(id => !known.Contains(id)).ToList();
        foreach (var id in missing)
        {
            var events = await session.Events.FetchStreamAsync(id, token: ct);
            if (AgencyTimeline.Fold(events.Select(e => e.Data)) is { } timeline)
            {
                session.Store(timeline);
            }
        }

        await session.SaveChangesAsync(ct);
    }

    public void ScheduleJobs(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<FlagEvaluationJob>(FlagEvaluationJob.RecurringId, j => j.RunAsync(CancellationToken.None), "*/10 * * * *");

    /// <summary>Evaluate every agency now rather than at the next round.</summary>
    public IReadOnlyList<string> RunAtStart => [FlagEvaluationJob.RecurringId];

    public void MapRoutes(WebApplication app) => app.MapFlagApi();
}

/// <summary>
/// Every 10 minutes (Hangfire): evaluates every agency. The backstop behind the evaluations that follow each scorecard
/// and probe-state change; it also picks up rule changes and the passage of time (staleness, the velocity window, and
/// an action item passing its due date overnight, flagged within ten minutes of the day turning without any edit).
/// </summary>
public sealed class FlagEvaluationJob(FlagEvaluator evaluator)
{
    public const string RecurringId = "flags-evaluate";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [Queue(JobQueues.Flags)]
    public Task<EvaluationSummary> RunAsync(CancellationToken ct) => evaluator.EvaluateAllAsync(ct);
}

/// <summary>Folds a flag's stream through the domain's <see cref="Flag.Evolve"/>.</summary>
public sealed class FlagSnapshotProjection : SingleStreamProjection<Flag, Guid>
{
    public override Flag? Evolve(Flag? snapshot, Guid id, IEvent e) => Flag.Evolve(snapshot, e.Data);
}
