using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Operations;
using Hangfire;
using Marten;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>
/// Hears what can make an action item done in fact — its agency's scorecard moved, a flag changed, the item itself
/// was recorded or changed — and queues a check (Hangfire, so a restart loses nothing). Only changes made by this
/// process are taken, so several processes do not all check; the daily check is the backstop.
/// </summary>
public sealed partial class ActionItemProposalTrigger(IBackgroundJobClient jobs, ILogger<ActionItemProposalTrigger> logger) : IChangeSubscriber
{
    public Task OnChangeAsync(PortalChange change, CancellationToken ct)
    {
        if (!change.FromThisProcess)
        {
            return Task.CompletedTask;
        }

        try
        {
            switch (change.Kind)
            {
                case ChangeKinds.Scorecard when change.AgencyId is { } agency:
                    jobs.Enqueue<ActionItemProposalJob>(j => j.ForAgencyAsync(agency, CancellationToken.None));
                    break;
                case ChangeKinds.Flag:
                    jobs.Enqueue<ActionItemProposalJob>(j => j.ForFlagAsync(change.SubjectId, CancellationToken.None));
                    break;
                case ChangeKinds.ActionItem:
                    jobs.Enqueue<ActionItemProposalJob>(j => j.ForItemAsync(change.SubjectId, CancellationToken.None));
                    break;
            }
        }
        catch (BackgroundJobClientException e)
        {
            LogNotQueued(e, change.Kind, change.SubjectId);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue the action-item check after {Kind} {SubjectId}; the daily check catches up")]
    private partial void LogNotQueued(Exception e, string kind, Guid subjectId);
}

/// <summary>
/// Proposes open action items as done when the facts say so: the target indicator of the owner agency is at the target
/// level, or the flag the item answers is resolved. It only proposes (<see cref="ActionItemProposedDone"/>); a person
/// confirms or dismisses. A dismissed proposal is made again only for a newer fact (a later assessment, a later resolution).
/// </summary>
public sealed partial class ActionItemProposalJob(IQuerySession query, WorkingGroupHandler handler, ILogger<ActionItemProposalJob> logger)
{
    public const string RecurringId = "action-items-propose-done";

    [Queue(JobQueues.Default)]
    public async Task<int> ForAgencyAsync(Guid agencyId, CancellationToken ct) =>
        await CheckAsync(await query.Query<ActionItem>().Where(i => i.AgencyId == agencyId && i.Target != null).ToListAsync(ct), ct);

    [Queue(JobQueues.Default)]
    public async Task<int> ForFlagAsync(Guid flagId, CancellationToken ct) =>
        await CheckAsync(await query.Query<ActionItem>().Where(i => i.FlagId == flagId).ToListAsync(ct), ct);

    [Queue(JobQueues.Default)]
    public async Task<int> ForItemAsync(Guid actionItemId, CancellationToken ct) =>
        await query.LoadAsync<ActionItem>(actionItemId, ct) is { } item ? await CheckAsync([item], ct) : 0;

    /// <summary>Daily: every open item with a target or a flag, in case a check was missed.</summary>
    [Queue(JobQueues.Default)]
    public async Task<int> AllAsync(CancellationToken ct) =>
        await CheckAsync(await query.Query<ActionItem>().Where(i => i.Target != null || i.FlagId != null).ToListAsync(ct), ct);

    private async Task<int> CheckAsync(IReadOnlyList<ActionItem> items, CancellationToken ct)
    {
        var open = items.Where(i => i.IsOpen && i.Proposal is null).ToList();
        if (open.Count == 0)
        {
            return 0;
        }

        var agencies = (await query.LoadManyAsync<Agency>(ct, [.. open.Where(i => i.Target is not null).Select(i => i.AgencyId).Distinct()])).ToDictionary(a => a.Id);
        var flags = (await query.LoadManyAsync<Flag>(ct, [.. open.Where(i => i.FlagId is not null).Select(i => i.FlagId!.Value).Distinct()])).ToDictionary(f => f.Id);
        var proposed = 0;
        foreach (var item in open)
        {
            if (Fact(item, agencies, flags) is not var (reason, at))
            {
                continue;
            }

            if (await handler.ProposeDoneAsync(item.Id, reason, at, ct) is CommandOutcome.Accepted { Appended: > 0 })
            {
                proposed++;
                LogProposed(item.Id, reason);
            }
        }

        return proposed;
    }

    /// <summary>What makes the item done in fact, and since when; null when nothing does.</summary>
    public static (ProposalReason Reason, DateTimeOffset At)? Fact(ActionItem item, IReadOnlyDictionary<Guid, Agency> agencies, IReadOnlyDictionary<Guid, Flag> flags)
    {
        if (item.Target is { } target && agencies.TryGetValue(item.AgencyId, out var agency)
            && agency.Indicators.TryGetValue(target.IndicatorId, out var assessed) && ActionItemDecider.TargetReached(item, assessed.Level))
        {
            return (ProposalReason.TargetReached, assessed.AssessedAt);
        }

        if (item.FlagId is { } flagId && flags.TryGetValue(flagId, out var flag) && flag.Status == FlagStatus.Resolved && flag.ResolvedAt is { } resolved)
        {
            return (ProposalReason.FlagResolved, resolved);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Action item {ActionItemId} proposed as done: {Reason}")]
    private partial void LogProposed(Guid actionItemId, ProposalReason reason);
}
