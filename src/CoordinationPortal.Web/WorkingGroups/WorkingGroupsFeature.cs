using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.OutOfStep;
using Hangfire;
using JasperFx.Events.Projections;
using Marten;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>
/// Working groups: one stream per group (members, people, decisions, initiatives), per session (agenda, attendance,
/// minutes) and per action item (status, proposals). Their states are projected inline as the documents pages read.
/// </summary>
public sealed class WorkingGroupsFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        setup.Services.AddScoped<WorkingGroupHandler>();
        setup.Services.AddScoped<WorkingGroupQueries>();
        setup.Services.AddScoped<GroupReaders>();
        setup.Services.AddScoped<ActionItemProposalJob>();
        setup.Services.AddSingleton<ICommitmentSource, ActionItemCommitments>();
        setup.Services.AddSingleton<ActionItemProposalTrigger>();
        setup.Services.AddSingleton<IChangeSubscriber>(sp => sp.GetRequiredService<ActionItemProposalTrigger>());
        setup.Services.AddHostedService<ActionItemProposalWorker>();
        setup.Services.AddScoped<WorkingGroupApi.BodyReader>();
        setup.Services.AddScoped<WorkingGroupApi.AccessGate>();
    }

    public void ScheduleJobs(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<ActionItemProposalJob>(ActionItemProposalJob.RecurringId, j => j.AllAsync(CancellationToken.None), Cron.Daily(2));

    public void ConfigureStore(StoreOptions options, IServiceProvider services)
    {
        options.Projections.Add(new WorkingGroupProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new GroupSessionProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new ActionItemProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<GroupSession>().Index(x => x.GroupId);
        options.Schema.For<ActionItem>().Index(x => x.GroupId).Index(x => x.AgencyId);
        options.Events.AddEventTypes([
            typeof(WorkingGroupFormed), typeof(WorkingGroupDetailsChanged), typeof(AgencyJoinedGroup), typeof(AgencyLeftGroup),
            typeof(PersonJoinedGroup), typeof(PersonLeftGroup), typeof(DecisionRecorded), typeof(DecisionReviewed), typeof(InitiativeLaunched),
            typeof(SessionScheduled), typeof(SessionAgendaChanged), typeof(ActionItemsCarriedForward), typeof(SessionStarted),
            typeof(SessionCancelled), typeof(AttendanceRecorded), typeof(MinutesDrafted), typeof(MinutesApproved), typeof(MinutesAmended),
            typeof(ActionItemRecorded), typeof(ActionItemStatusChanged), typeof(ActionItemRescheduled), typeof(ActionItemProposedDone),
            typeof(ActionItemProposalDismissed),
        ]);
    }

    public void MapRoutes(WebApplication app) => app.MapWorkingGroupApi();
}
