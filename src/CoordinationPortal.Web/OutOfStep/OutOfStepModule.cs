using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Operations;
using Hangfire;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace CoordinationPortal.Web.OutOfStep;

public static class OutOfStepModule
{
    /// <summary>The rules in force, from <c>seed-data/out-of-step-rules.json</c> (or <c>OutOfStep:RulesFile</c>).</summary>
    public static WebApplicationBuilder AddOutOfStep(this WebApplicationBuilder builder)
    {
        var file = builder.Configuration["OutOfStep:RulesFile"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(FrameworkModule.SeedDataDirectory(builder.Configuration), "out-of-step-rules.json");
        builder.Services.AddSingleton(RuleSetParser.Parse(File.ReadAllText(file)));
        builder.Services.AddScoped<FlagEvaluator>();
        builder.Services.AddScoped<FlagEvaluationJob>();
        builder.Services.AddSingleton<FlagEvaluationRequests>();
        builder.Services.AddHostedService<FlagEvaluationWorker>();
        builder.Services.AddScoped<FlagQueries>();
        builder.Services.AddScoped<FlagCommandHandler>();
        builder.Services.AddSingleton<RuleTitles>();
        builder.Services.AddScoped<FlagRollupQueries>();
        builder.Services.AddScoped<Pages.FlagText>();
        return builder;
    }

    /// <summary>
    /// One stream per flag, with an inline snapshot the board and the agency page read; and each agency's assessment
    /// timeline, kept inline from its stream, which is what the rules read.
    /// </summary>
    public static StoreOptions ConfigureOutOfStep(this StoreOptions options)
    {
        options.Projections.Add(new FlagSnapshotProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new AgencyTimelineProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Flag>().Index(x => x.AgencyId).Index(x => x.Status);
        options.Events.AddEventTypes([typeof(FlagRaised), typeof(FlagUpdated), typeof(FlagAcknowledged), typeof(FlagResolved)]);
        return options;
    }

    /// <summary>
    /// Builds the timeline of any agency that has none (a database written before timelines existed), from its stream.
    /// </summary>
    public static async Task<int> PrepareOutOfStepAsync(IServiceProvider services, CancellationToken ct)
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
        return missing.Count;
    }

    public static void ScheduleRecurringJobs(IServiceProvider services) =>
        services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<FlagEvaluationJob>(FlagEvaluationJob.RecurringId, j => j.RunAsync(CancellationToken.None), "*/10 * * * *");
}

/// <summary>
/// Every 10 minutes (Hangfire): evaluates every agency. The backstop behind the evaluations that follow each scorecard
/// and probe-state change; it also picks up rule changes and the passage of time (staleness, the velocity window).
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
