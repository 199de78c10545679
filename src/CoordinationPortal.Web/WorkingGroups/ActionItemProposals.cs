using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Operations;
using System.Threading.Channels;
using Hangfire;
using Marten;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>What to check: the items of an agency, of a flag, or one item.</summary>
public sealed record ProposalCheck(string Kind, Guid Id);

/// <summary>
/// Hears what can make an action item done in fact — its agency's scorecard moved, a flag changed, the item itself
/// was recorded or changed — and queues a check for the worker, so the feed's thread does not wait. Only changes made
/// by this process are taken, so several processes do not all check; should the process stop first, the daily check
/// (<see cref="ActionItemProposalJob.AllAsync"/>) is the backstop.
/// </summary>
public sealed class ActionItemProposalTrigger : IChangeSubscriber
{
    private readonly Channel<ProposalCheck> _queue = Channel.CreateUnbounded<ProposalCheck>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<ProposalCheck> Checks => _queue.Reader;

    public Task OnChangeAsync(PortalChange change, CancellationToken ct)
    {
        if (change.FromThisProcess && change.Kind is ChangeKinds.Scorecard or ChangeKinds.Flag or ChangeKinds.ActionItem)
        {
            var id = change.Kind == ChangeKinds.Scorecard ? change.AgencyId ?? Guid.Empty : change.SubjectId;
            _queue.Writer.TryWrite(new ProposalCheck(change.Kind, id));
        }

        return Task.CompletedTask;
    }
}

/// <summary>Drains <see cref="ActionItemProposalTrigger"/>: one check at a time, each in its own scope.</summary>
public sealed partial class ActionItemProposalWorker(ActionItemProposalTrigger trigger, IServiceScopeFactory scopes, ILogger<ActionItemProposalWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var check in trigger.Checks.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var job = scope.ServiceProvider.GetRequiredService<ActionItemProposalJob>();
                    await (check.Kind switch
                    {
                        ChangeKinds.Scorecard => job.ForAgencyAsync(check.Id, stoppingToken),
                        ChangeKinds.Flag => job.ForFlagAsync(check.Id, stoppingToken),
                        _ => job.ForItemAsync(check.Id, stoppingToken),
                    });
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(e, check.Kind, check.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is the daily check's.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The action-item check after {Kind} {Id} failed; the daily check catches up")]
    private partial void LogFailed(Exception e, string kind, Guid id);
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
