using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using Marten;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>One row of the groups list: who is in it, its next session, and how its action items stand.</summary>
public sealed record GroupRow(
    WorkingGroup Group, int Agencies, int People, GroupSession? NextSession, int OpenItems, int OverdueItems, int DecisionsDue, GroupAccess Access);

/// <summary>Filters of a group's action items; null means any. <see cref="OverdueOnly"/> keeps open items past their due date.</summary>
public sealed record ActionItemFilter(ActionStatus? Status = null, Guid? AgencyId = null, Layer? Layer = null, bool OverdueOnly = false)
{
    public IEnumerable<ActionItem> Apply(IEnumerable<ActionItem> items, DateOnly today) => items.Where(i =>
        (Status is null || i.Status == Status)
        && (AgencyId is null || i.AgencyId == AgencyId)
        && (Layer is null || i.Layer == Layer)
        && (!OverdueOnly || i.IsOverdue(today)));
}

/// <summary>How the group's action items stand: counts by status, overdue, and done after their due date.</summary>
public sealed record ActionItemCounts(int Open, int InProgress, int Done, int Dropped, int Overdue, int DoneLate, int Proposed)
{
    public static ActionItemCounts Of(IReadOnlyCollection<ActionItem> items, DateOnly today, Func<DateTimeOffset, DateOnly> day) => new(
        items.Count(i => i.Status == ActionStatus.Open),
        items.Count(i => i.Status == ActionStatus.InProgress),
        items.Count(i => i.Status == ActionStatus.Done),
        items.Count(i => i.Status == ActionStatus.Dropped),
        items.Count(i => i.IsOverdue(today)),
        items.Count(i => i.Status == ActionStatus.Done && i.DoneAt is { } done && day(done) > i.DueDate),
        items.Count(i => i.Proposal is not null));
}

/// <summary>Where one member agency stands on an initiative's layers against its target.</summary>
public sealed record InitiativeProgress(Initiative Initiative, int AgenciesAtTarget, int Agencies);

/// <summary>
/// Everything a group page shows. <see cref="Items"/>, <see cref="Sessions"/>' drafts and <see cref="Flags"/> are filled
/// only for readers of the whole group (<see cref="GroupAccess.ReadsAll"/>); others see the group, its members, its
/// approved minutes and its decisions.
/// </summary>
public sealed record GroupView(
    WorkingGroup Group,
    GroupAccess Access,
    IReadOnlyList<AgencySummary> Members,
    IReadOnlyList<GroupSession> Sessions,
    IReadOnlyList<ActionItem> Items,
    ActionItemCounts Counts,
    IReadOnlyList<Flag> Flags,
    IReadOnlyList<InitiativeProgress> Initiatives);

/// <summary>A session with its group, and the decisions and action items taken in it.</summary>
public sealed record SessionView(GroupSession Session, WorkingGroup Group, GroupAccess Access, IReadOnlyList<LoggedDecision> Decisions, IReadOnlyList<ActionItem> Items);

/// <summary>A group with what the reader may do in it, its member agencies and its sessions (newest first): what a form page needs, without the items.</summary>
public sealed record GroupForm(
    WorkingGroup Group, GroupAccess Access, IReadOnlyList<AgencySummary> Members, IReadOnlyList<GroupSession> Sessions, IReadOnlyList<Flag> OpenFlags);

/// <summary>An action item with its group and whether the reader may change it.</summary>
public sealed record ActionItemView(ActionItem Item, WorkingGroup Group, GroupAccess Access, bool MayUpdate);

/// <summary>Reads for the working-group pages and API. Authorisation is decided here, with the domain's <see cref="GroupAccess"/>.</summary>
public sealed class WorkingGroupQueries(IQuerySession session, PortalClock clock)
{
    public async Task<IReadOnlyList<GroupRow>> ListAsync(Reader reader, CancellationToken ct)
    {
        var groups = await session.Query<WorkingGroup>().ToListAsync(ct);
        if (groups.Count == 0)
        {
            return [];
        }

        var now = clock.Now;
        var today = clock.Today;
        var upcoming = (await session.Query<GroupSession>().Where(s => s.State == SessionState.Planned && s.EndsAt >= now).ToListAsync(ct))
            .GroupBy(s => s.GroupId)
            .ToDictionary(g => g.Key, g => g.MinBy(s => s.StartsAt)!);
        var open = (await session.Query<ActionItem>()
                .Where(i => i.Status == ActionStatus.Open || i.Status == ActionStatus.InProgress)
                .Select(i => new OpenItemRow(i.GroupId, i.DueDate))
                .ToListAsync(ct))
            .ToLookup(i => i.GroupId);
        return [.. groups
            .Select(g => new GroupRow(
                g,
                g.MemberAgencies.Count(),
                g.People.Count(),
                upcoming.GetValueOrDefault(g.Id),
                open[g.Id].Count(),
                open[g.Id].Count(i => i.DueDate < today),
                g.Decisions.Count(d => d.IsDueForReview(today)),
                GroupAccess.For(g, reader)))
            .OrderBy(r => r.Group.Name.En, StringComparer.CurrentCulture)];
    }

    private sealed record OpenItemRow(Guid GroupId, DateOnly DueDate);

    public async Task<GroupView?> GroupAsync(Guid groupId, Reader reader, CancellationToken ct)
    {
        var group = await session.LoadAsync<WorkingGroup>(groupId, ct);
        if (group is null)
        {
            return null;
        }

        var access = GroupAccess.For(group, reader);
        var memberIds = group.MemberAgencies.ToArray();
        var members = (await session.LoadManyAsync<AgencySummary>(ct, memberIds)).OrderBy(a => a.Name, StringComparer.CurrentCulture).ToList();
        var sessions = (await session.Query<GroupSession>().Where(s => s.GroupId == groupId).ToListAsync(ct))
            .Where(s => access.ReadsAll || s.MinutesAreApproved)
            .OrderByDescending(s => s.StartsAt)
            .ToList();
        IReadOnlyList<ActionItem> items = access.ReadsAll
            ? await session.Query<ActionItem>().Where(i => i.GroupId == groupId).ToListAsync(ct)
            : [];
        IReadOnlyList<Flag> flags = access.ReadsAll && memberIds.Length > 0
            ? await session.Query<Flag>().Where(f => f.AgencyId.IsOneOf(memberIds) && f.Status != FlagStatus.Resolved).ToListAsync(ct)
            : [];
        var today = clock.Today;
        return new GroupView(
            group,
            access,
            members,
            sessions,
            [.. items.OrderBy(i => i.IsOpen ? 0 : 1).ThenBy(i => i.DueDate)],
            ActionItemCounts.Of(items, today, d => DateOnly.FromDateTime(clock.Local(d).DateTime)),
            [.. flags.OrderByDescending(f => f.Severity).ThenBy(f => f.RaisedAt)],
            [.. group.Initiatives.Select(i => Progress(i, members))]);
    }

    /// <summary>How many member agencies have every layer of the initiative at or above its target level now.</summary>
    public static InitiativeProgress Progress(Initiative initiative, IReadOnlyList<AgencySummary> members)
    {
        var atTarget = members.Count(m => initiative.Layers.All(l =>
            m.LayerScores()[l] is { } score && Domain.Scoring.Scores.AsLevel(score) >= initiative.TargetLevel));
        return new InitiativeProgress(initiative, atTarget, members.Count);
    }

    public async Task<SessionView?> SessionAsync(Guid sessionId, Reader reader, CancellationToken ct)
    {
        var found = await session.LoadAsync<GroupSession>(sessionId, ct);
        var group = found is null ? null : await session.LoadAsync<WorkingGroup>(found.GroupId, ct);
        if (found is null || group is null)
        {
            return null;
        }

        var access = GroupAccess.For(group, reader);
        if (!access.MayReadMinutes(found))
        {
            return new SessionView(found, group, access, [], []);
        }

        var items = access.ReadsAll
            ? await session.Query<ActionItem>().Where(i => i.SessionId == sessionId).ToListAsync(ct)
            : [];
        return new SessionView(found, group, access, [.. group.Decisions.Where(d => d.SessionId == sessionId)], [.. items.OrderBy(i => i.DueDate)]);
    }

    public async Task<ActionItemView?> ActionItemAsync(Guid actionItemId, Reader reader, CancellationToken ct)
    {
        var item = await session.LoadAsync<ActionItem>(actionItemId, ct);
        var group = item is null ? null : await session.LoadAsync<WorkingGroup>(item.GroupId, ct);
        if (item is null || group is null)
        {
            return null;
        }

        var access = GroupAccess.For(group, reader);
        return new ActionItemView(item, group, access, access.MayUpdate(item, reader));
    }

    /// <summary>
    /// The group, the reader's access, the member agencies (by name) and the sessions, for the form pages; with
    /// <paramref name="withFlags"/> also the member agencies' open flags. Null when there is no such group.
    /// </summary>
    public async Task<GroupForm?> GroupFormAsync(Guid groupId, Reader reader, bool withFlags, CancellationToken ct)
    {
        var group = await session.LoadAsync<WorkingGroup>(groupId, ct);
        if (group is null)
        {
            return null;
        }

        var members = await session.LoadManyAsync<AgencySummary>(ct, group.MemberAgencies.ToArray());
        var sessions = await session.Query<GroupSession>().Where(s => s.GroupId == groupId).OrderByDescending(s => s.StartsAt).ToListAsync(ct);
        var ids = group.MemberAgencies.ToArray();
        IReadOnlyList<Flag> flags = withFlags && ids.Length > 0
            ? await session.Query<Flag>().Where(f => f.AgencyId.IsOneOf(ids) && f.Status != FlagStatus.Resolved).ToListAsync(ct)
            : [];
        return new GroupForm(group, GroupAccess.For(group, reader), [.. members.OrderBy(a => a.Name, StringComparer.CurrentCulture)], sessions, flags);
    }

    /// <summary>The action items an agency owns (for its page), open first; each with whether the reader may see it.</summary>
    public async Task<IReadOnlyList<ActionItem>> OwnedByAsync(Guid agencyId, CancellationToken ct) =>
        [.. (await session.Query<ActionItem>().Where(i => i.AgencyId == agencyId).ToListAsync(ct)).OrderBy(i => i.IsOpen ? 0 : 1).ThenBy(i => i.DueDate)];

    /// <summary>The groups an agency is a member of now.</summary>
    public async Task<IReadOnlyList<WorkingGroup>> GroupsOfAsync(Guid agencyId, CancellationToken ct) =>
        [.. (await session.Query<WorkingGroup>().ToListAsync(ct)).Where(g => g.HasMemberAgency(agencyId)).OrderBy(g => g.Name.En, StringComparer.CurrentCulture)];
}
