using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Operations;
using Hangfire;
using JasperFx.Events.Projections;
using CoordinationPortal.Web.Kernel.Features;
using Marten;

namespace CoordinationPortal.Web.Agencies;

/// <summary>Agencies and their scorecards: one stream per agency, the portfolio, assessment and review.</summary>
public sealed class AgenciesFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        setup.Services.AddScoped<AgencyCommandHandler>();
        setup.Services.AddScoped<AgencyQueries>();
        setup.Services.AddScoped<StaleScorecardJob>();
    }

    /// <summary>One stream per agency; its scorecard and its portfolio row are projected in the same transaction as the append.</summary>
    public void ConfigureStore(StoreOptions options, IServiceProvider services)
    {
        options.Projections.Add(new AgencySnapshotProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new AgencySummaryProjection(services.GetRequiredService<ReadinessFramework>()), ProjectionLifecycle.Inline);
        options.Schema.For<AgencySummary>().Index(x => x.Sector).Index(x => x.Jurisdiction);
        options.Events.AddEventTypes([
            typeof(AgencyRegistered), typeof(AgencyDetailsUpdated), typeof(AgencyLeadAssigned), typeof(AgencyLeadRemoved),
            typeof(IndicatorAssessed), typeof(AssessmentsSubmittedForReview), typeof(AssessmentApproved),
            typeof(AssessmentReturned), typeof(ScorecardMarkedStale),
        ]);
    }

    public void ScheduleJobs(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<StaleScorecardJob>(StaleScorecardJob.RecurringId, j => j.RunAsync(CancellationToken.None), Cron.Daily(1));

    public void MapRoutes(WebApplication app) => app.MapAgencyApi();
}

/// <summary>
/// Daily (Hangfire): marks a scorecard stale when the last closed quarter passed its due date without an
/// assessment. Deciding is in the domain; running it twice marks nothing twice.
/// </summary>
public sealed partial class StaleScorecardJob(IQuerySession query, IServiceScopeFactory scopes, PortalClock clock, ILogger<StaleScorecardJob> logger)
{
    public const string RecurringId = "scorecards-mark-stale";

    [Queue(JobQueues.Default)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var cycle = AssessmentCycle.LastClosedBefore(clock.Today);
        var ids = await query.Query<AgencySummary>()
            .Where(a => a.StaleForCycle == null || a.StaleForCycle != cycle.Id)
            .Select(a => a.Id)
            .ToListAsync(ct);
        var marked = 0;
        foreach (var id in ids)
        {
            // A fresh session per agency: one agency's conflict or failure does not undo the others.
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
            var outcome = await handler.HandleAsSystemAsync(new MarkStaleIfOverdue(id, cycle, AgencyCommandHandler.SystemActor, clock.Now), ct);
            if (outcome is CommandOutcome.Accepted { Appended: > 0 })
            {
                marked++;
            }
        }

        LogChecked(logger, cycle.Id, ids.Count, marked);
        return marked;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Staleness check for cycle {Cycle}: {Checked} agencies checked, {Marked} marked stale")]
    private static partial void LogChecked(ILogger logger, string cycle, int @checked, int marked);
}
