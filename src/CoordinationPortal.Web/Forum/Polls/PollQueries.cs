using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.WorkingGroups;
using Marten;

namespace CoordinationPortal.Web.Forum.Polls;

/// <summary>
/// A poll as one reader may see it. <see cref="Tally"/> is there only once the results are revealed (before that only
/// <see cref="VotesCast"/>, the number of votes that count, without the split). <see cref="MyVotes"/> are the reader's
/// own vote (person basis) or the votes of the agencies they represent (agency basis). A reader who may not see the
/// group's polls (<see cref="GroupAccess.ReadsAll"/> false) gets no view from <see cref="PollQueries"/>'s reader methods.
/// </summary>
public sealed record PollView(
    Poll Poll, GroupSession Session, WorkingGroup Group, GroupAccess Access, PollVoter Voter, IReadOnlyList<PollVote> MyVotes,
    IReadOnlyDictionary<Guid, string> AgencyNames, int VotesCast, PollTally? Tally)
{
    public bool Manages => Access.Manages;

    /// <summary>The name of an agency the reader represents (or any member agency), or its id when it is unknown.</summary>
    public string AgencyName(Guid id) => AgencyNames.TryGetValue(id, out var name) ? name : id.ToString();
}

/// <summary>A session's polls, newest first, as one reader may see them.</summary>
public sealed record SessionPolls(GroupSession Session, WorkingGroup Group, GroupAccess Access, IReadOnlyList<PollView> Polls);

/// <summary>Every read of polls, with the access rules applied: the group's readers see its polls; results only once revealed.</summary>
public sealed class PollQueries(IQuerySession query)
{
    /// <summary>How many polls a session lists (newest first).</summary>
    public const int MaxPerSession = 100;

    /// <summary>
    /// The poll as <paramref name="reader"/> sees it; null when there is no such poll. <see cref="PollView.Access"/> says
    /// whether the reader may see it at all: callers refuse (403) when <see cref="GroupAccess.ReadsAll"/> is false.
    /// </summary>
    public async Task<PollView?> ViewAsync(Guid pollId, Reader reader, CancellationToken ct = default)
    {
        var poll = await query.LoadAsync<Poll>(pollId, ct);
        return poll is null ? null : await ViewOfAsync(poll, reader, ct);
    }

    /// <summary>The polls of a session, newest first; null when there is no such session.</summary>
    public async Task<SessionPolls?> ForSessionAsync(Guid sessionId, Reader reader, CancellationToken ct = default)
    {
        var (session, group) = await query.LoadSessionWithGroupAsync(sessionId, ct);
        if (session is null || group is null)
        {
            return null;
        }

        var access = GroupAccess.For(group, reader);
        if (!access.ReadsAll)
        {
            return new SessionPolls(session, group, access, []);
        }

        var polls = await query.Query<Poll>().Where(p => p.SessionId == sessionId).OrderByDescending(p => p.OpenedAt).Take(MaxPerSession).ToListAsync(ct);
        var voter = PollEligibility.For(group, reader);
        var names = await NamesAsync(group, ct);
        return new SessionPolls(session, group, access, [.. polls.Select(p => Build(p, session, group, access, voter, reader, names))]);
    }

    /// <summary>
    /// The poll a typed short code names (without case, spaces or hyphens): the open poll with that code, else the one
    /// opened last with it. Null when the code is malformed or names no poll.
    /// </summary>
    public async Task<PollView?> ByCodeAsync(string? code, Reader reader, CancellationToken ct = default)
    {
        if (PollCode.Normalize(code) is not { } normalized)
        {
            return null;
        }

        var poll = await query.Query<Poll>()
            .Where(p => p.ShortCode == normalized)
            .OrderByDescending(p => p.IsOpen)
            .ThenByDescending(p => p.OpenedAt)
            .FirstOrDefaultAsync(ct);
        return poll is null ? null : await ViewOfAsync(poll, reader, ct);
    }

    /// <summary>
    /// The poll as the room screen shows it (no reader: the caller has authorised the screen, e.g. with the forum's
    /// screen access check). Results only once revealed.
    /// </summary>
    public async Task<PollView?> ForScreenAsync(Guid pollId, CancellationToken ct = default)
    {
        var poll = await query.LoadAsync<Poll>(pollId, ct);
        var session = poll is null ? null : await query.LoadAsync<GroupSession>(poll.SessionId, ct);
        var group = poll is null ? null : await query.LoadAsync<WorkingGroup>(poll.GroupId, ct);
        if (poll is null || session is null || group is null)
        {
            return null;
        }

        return Build(poll, session, group, new GroupAccess(true, false), PollVoter.None, Reader.Anonymous, await NamesAsync(group, ct));
    }

    /// <summary>Open flags of the group's member agencies, most severe first: what a "is this flag real?" poll may ask about.</summary>
    public async Task<IReadOnlyList<Flag>> OpenFlagsAsync(WorkingGroup group, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        var members = group.MemberAgencies.ToList();
        if (members.Count == 0)
        {
            return [];
        }

        var flags = await query.Query<Flag>().Where(f => members.Contains(f.AgencyId) && f.Status != FlagStatus.Resolved).Take(200).ToListAsync(ct);
        return [.. flags.OrderByDescending(f => f.Severity).ThenBy(f => f.RaisedAt)];
    }

    private async Task<PollView?> ViewOfAsync(Poll poll, Reader reader, CancellationToken ct)
    {
        var session = await query.LoadAsync<GroupSession>(poll.SessionId, ct);
        var group = await query.LoadAsync<WorkingGroup>(poll.GroupId, ct);
        if (session is null || group is null)
        {
            return null;
        }

        var access = GroupAccess.For(group, reader);
        var voter = PollEligibility.For(group, reader);
        return Build(poll, session, group, access, voter, reader, access.ReadsAll ? await NamesAsync(group, ct) : new Dictionary<Guid, string>());
    }

    private static PollView Build(
        Poll poll, GroupSession session, WorkingGroup group, GroupAccess access, PollVoter voter, Reader reader, IReadOnlyDictionary<Guid, string> names)
    {
        if (!access.ReadsAll)
        {
            return new PollView(poll with { Votes = [] }, session, group, access, voter, [], names, 0, null);
        }

        IReadOnlyList<PollVote> mine = poll.Basis == VoteBasis.Agency
            ? [.. poll.Votes.Where(v => v.AgencyId is { } a && voter.Agencies.Contains(a))]
            : [.. poll.Votes.Where(v => reader.Name.Length > 0 && string.Equals(v.By, reader.Name, StringComparison.OrdinalIgnoreCase))];
        var tally = PollTally.Of(poll);
        return new PollView(poll, session, group, access, voter, mine, names, tally.Total, poll.Revealed ? tally : null);
    }

    private async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(WorkingGroup group, CancellationToken ct)
    {
        var ids = group.MemberAgencies.ToArray();
        return ids.Length == 0 ? new Dictionary<Guid, string>() : (await query.LoadManyAsync<AgencySummary>(ct, ids)).ToDictionary(a => a.Id, a => a.Name);
    }
}
