using System.Security.Claims;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Kernel.Changes;
using Marten;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>
/// Every write to a working group, its sessions and its action items, through the shared <see cref="StreamCommandRunner"/>:
/// this handler finds what the deciders need to know (do the agencies exist, is the session the group's, which layer
/// is the indicator in, which action items are open), says who may act (<see cref="GroupAccess"/>), and announces what
/// changed. Pages and the API both come through here.
/// </summary>
public sealed partial class WorkingGroupHandler(
    StreamCommandRunner runner, GroupReaders readers, ReadinessFramework framework, PortalClock clock, ChangeFeed changes, ILogger<WorkingGroupHandler> logger)
{
    /// <summary>The name the portal acts under when it proposes an action item as done.</summary>
    public const string SystemActor = "system";

    private IDocumentSession Session => runner.Session;

    /// <summary>Forms a group. Admins only.</summary>
    public async Task<CommandOutcome> FormAsync(
        ClaimsPrincipal user, Guid groupId, LocalizedText name, LocalizedText purpose, ForumKind kind, IReadOnlyList<Guid> memberAgencyIds, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        if (!reader.IsAdmin)
        {
            return new CommandOutcome.Forbidden();
        }

        var members = memberAgencyIds ?? [];
        var known = members.Count == 0
            ? []
            : (await Session.LoadManyAsync<AgencySummary>(ct, members.Distinct().ToArray())).Select(a => a.Id).ToHashSet();
        var command = new FormWorkingGroup(groupId, name, purpose, kind, members, known, reader.Name, clock.Now);
        return await runner.StartAsync<WorkingGroup>(
            groupId, nameof(FormWorkingGroup), reader.Name, WorkingGroupDecider.Decide(command, null), "WorkingGroup.AlreadyFormed", ct,
            s => changes.Stage(s, new PortalChange(ChangeKinds.WorkingGroup, groupId)));
    }

    /// <summary>Any other change to a group (details, members, people, decisions, initiatives). The group's managers only.</summary>
    public async Task<CommandOutcome> ActOnGroupAsync(ClaimsPrincipal user, GroupCommand command, long? expectedVersion, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        if (reader.Name.Length == 0)
        {
            return new CommandOutcome.Forbidden();
        }

        command = await CompleteAsync(command with { By = reader.Name, At = clock.Now }, ct);
        return await runner.RunAsync(
            new StreamCommand<WorkingGroup>(command.GroupId, command.GetType().Name, reader.Name, expectedVersion, WorkingGroup.Evolve, g => WorkingGroupDecider.Decide(command, g))
            {
                MayAct = (group, _) => ValueTask.FromResult(GroupAccess.For(group, reader).Manages),
                Stage = (s, group, _) => changes.Stage(s, new PortalChange(ChangeKinds.WorkingGroup, group.Id)),
            },
            ct);
    }

    private async Task<GroupCommand> CompleteAsync(GroupCommand command, CancellationToken ct) => command switch
    {
        AddMemberAgency c => c with { AgencyExists = await Session.LoadAsync<AgencySummary>(c.AgencyId, ct) is not null },
        RecordDecision { SessionId: { } sessionId } c => c with { SessionOfGroup = await SessionOfGroupAsync(sessionId, c.GroupId, ct) },
        _ => command,
    };

    /// <summary>Schedules a session of a group; the group's open action items are carried onto its agenda. Managers only.</summary>
    public async Task<CommandOutcome> ScheduleSessionAsync(
        ClaimsPrincipal user, Guid groupId, Guid sessionId, string title, DateTimeOffset startsAt, DateTimeOffset endsAt, string? place, string? link,
        IReadOnlyList<AgendaEntry> agenda, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        var group = await Session.LoadAsync<WorkingGroup>(groupId, ct);
        if (group is null)
        {
            return new CommandOutcome.NotFound();
        }

        if (!GroupAccess.For(group, reader).Manages)
        {
            return new CommandOutcome.Forbidden();
        }

        var command = new ScheduleSession(sessionId, groupId, title, startsAt, endsAt, place, link, agenda, await OpenItemsAsync(groupId, ct), reader.Name, clock.Now);
        return await runner.StartAsync<GroupSession>(
            sessionId, nameof(ScheduleSession), reader.Name, GroupSessionDecider.Decide(command, null), "Session.AlreadyScheduled", ct,
            s => changes.Stage(s, new PortalChange(ChangeKinds.GroupSession, sessionId)));
    }

    /// <summary>Any other change to a session (agenda, start, cancel, attendance, minutes). The group's managers only.</summary>
    public async Task<CommandOutcome> ActOnSessionAsync(ClaimsPrincipal user, SessionCommand command, long? expectedVersion, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        if (reader.Name.Length == 0)
        {
            return new CommandOutcome.Forbidden();
        }

        var session = await Session.LoadAsync<GroupSession>(command.SessionId, ct);
        var group = session is null ? null : await Session.LoadAsync<WorkingGroup>(session.GroupId, ct);
        if (session is null || group is null)
        {
            return new CommandOutcome.NotFound();
        }

        command = command with { By = reader.Name, At = clock.Now };
        command = command switch
        {
            StartSession c => c with { OpenItems = await OpenItemsAsync(group.Id, ct) },
            RecordAttendance c => c with { MemberAgencies = group.MemberAgencies.ToHashSet() },
            _ => command,
        };
        return await runner.RunAsync(
            new StreamCommand<GroupSession>(command.SessionId, command.GetType().Name, reader.Name, expectedVersion, GroupSession.Evolve, s => GroupSessionDecider.Decide(command, s))
            {
                MayAct = (_, _) => ValueTask.FromResult(GroupAccess.For(group, reader).Manages),
                Stage = (s, state, _) => changes.Stage(s, new PortalChange(ChangeKinds.GroupSession, state.Id)),
            },
            ct);
    }

    /// <summary>Records an action item of a group (its due date may be past). The group's managers only.</summary>
    public async Task<CommandOutcome> RecordActionItemAsync(
        ClaimsPrincipal user, Guid groupId, Guid actionItemId, string title, Guid agencyId, string? owner, Layer layer, Guid? flagId,
        ActionTarget? target, DateOnly dueDate, Guid? sessionId, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        var group = await Session.LoadAsync<WorkingGroup>(groupId, ct);
        if (group is null)
        {
            return new CommandOutcome.NotFound();
        }

        if (!GroupAccess.For(group, reader).Manages)
        {
            return new CommandOutcome.Forbidden();
        }

        var flag = flagId is { } f ? await Session.LoadAsync<Flag>(f, ct) : null;
        Layer? indicatorLayer = target is not null && framework.TryFind(target.IndicatorId, out var found, out _) ? found.Layer : null;
        var references = new ActionItemReferences(
            group.HasMemberAgency(agencyId),
            sessionId is { } s && await SessionOfGroupAsync(s, groupId, ct),
            flag is not null && flag.AgencyId == agencyId,
            indicatorLayer);
        var command = new RecordActionItem(actionItemId, groupId, sessionId, title, agencyId, owner, layer, flagId, target, dueDate, references, reader.Name, clock.Now);
        return await runner.StartAsync<ActionItem>(
            actionItemId, nameof(RecordActionItem), reader.Name, ActionItemDecider.Decide(command, null), "ActionItem.AlreadyRecorded", ct,
            session => changes.Stage(session, new PortalChange(ChangeKinds.ActionItem, actionItemId, agencyId)));
    }

    /// <summary>A status change, a new due date or a dismissed proposal: the group's managers, or a lead of the owner agency.</summary>
    public async Task<CommandOutcome> ActOnActionItemAsync(ClaimsPrincipal user, ActionItemCommand command, long? expectedVersion, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        if (reader.Name.Length == 0 || command is ProposeDone)
        {
            return new CommandOutcome.Forbidden();
        }

        command = command with { By = reader.Name, At = clock.Now };
        return await RunOnItemAsync(command, expectedVersion, async item =>
        {
            var group = await Session.LoadAsync<WorkingGroup>(item.GroupId, ct);
            return group is not null && GroupAccess.For(group, reader).MayUpdate(item, reader);
        }, ct);
    }

    /// <summary>
    /// The portal's own proposal that an item is done, for a fact seen at <paramref name="factAt"/> (the target reached,
    /// the flag resolved). It appends nothing when the item is closed, already proposed, or the proposal was dismissed later.
    /// </summary>
    public Task<CommandOutcome> ProposeDoneAsync(Guid actionItemId, ProposalReason reason, DateTimeOffset factAt, CancellationToken ct) =>
        RunOnItemAsync(new ProposeDone(actionItemId, reason, factAt, SystemActor, clock.Now), null, _ => Task.FromResult(true), ct);

    private Task<CommandOutcome> RunOnItemAsync(ActionItemCommand command, long? expectedVersion, Func<ActionItem, Task<bool>> mayAct, CancellationToken ct) =>
        runner.RunAsync(
            new StreamCommand<ActionItem>(command.ActionItemId, command.GetType().Name, command.By, expectedVersion, ActionItem.Evolve, i => ActionItemDecider.Decide(command, i))
            {
                MayAct = async (item, _) => await mayAct(item),
                Stage = (s, item, _) => changes.Stage(s, new PortalChange(ChangeKinds.ActionItem, item.Id, item.AgencyId)),
                Committed = (item, _) =>
                {
                    LogActionItem(item.Id, command.GetType().Name, item.Status, command.By);
                    return Task.CompletedTask;
                },
            },
            ct);

    private async Task<bool> SessionOfGroupAsync(Guid sessionId, Guid groupId, CancellationToken ct) =>
        await Session.LoadAsync<GroupSession>(sessionId, ct) is { } session && session.GroupId == groupId;

    /// <summary>The group's open action items, oldest due first: what a new session's agenda carries forward.</summary>
    private async Task<IReadOnlyList<OpenActionItem>> OpenItemsAsync(Guid groupId, CancellationToken ct)
    {
        var items = await Session.Query<ActionItem>()
            .Where(i => i.GroupId == groupId && (i.Status == ActionStatus.Open || i.Status == ActionStatus.InProgress))
            .OrderBy(i => i.DueDate)
            .ToListAsync(ct);
        return [.. items.Select(i => new OpenActionItem(i.Id, i.Title, i.AgencyId, i.Layer))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Action item {ActionItemId}: {Command} by {User}, now {Status}")]
    private partial void LogActionItem(Guid actionItemId, string command, ActionStatus status, string user);
}
