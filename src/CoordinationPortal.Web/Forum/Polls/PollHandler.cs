using System.Security.Claims;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.WorkingGroups;
using Marten;

namespace CoordinationPortal.Web.Forum.Polls;

/// <summary>What recording a poll as a decision gave: the outcome, and the decision's number in the group when accepted.</summary>
public sealed record PollDecisionOutcome(CommandOutcome Outcome, Guid GroupId, int? DecisionNumber);

/// <summary>
/// Every write to a poll, through the shared <see cref="StreamCommandRunner"/>, announcing <see cref="ChangeKinds.Poll"/>:
/// it looks up what the decider needs to know (is the session the group's and still running, is the flag a member
/// agency's, may this person vote and for which agencies) and says who may act: the group's chair and secretary and
/// admins open, close, reveal and record (<see cref="GroupAccess.Manages"/>); eligible people vote
/// (<see cref="PollEligibility"/>). Recording a closed poll as a decision appends the group's
/// <see cref="DecisionRecorded"/> and the poll's <see cref="PollRecordedAsDecision"/> in one transaction.
/// </summary>
public sealed class PollHandler(StreamCommandRunner runner, GroupReaders readers, PortalClock clock, ChangeFeed changes)
{
    /// <summary>How many random codes are tried before giving up (a clash among open polls is about one in a billion).</summary>
    private const int CodeAttempts = 20;

    private IDocumentSession Session => runner.Session;

    /// <summary>Opens a poll in a session. The group's managers only.</summary>
    public async Task<CommandOutcome> OpenAsync(
        ClaimsPrincipal user, Guid sessionId, Guid pollId, string? question, PollKind kind, IReadOnlyList<string>? options, VoteBasis basis, Guid? flagId,
        CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        var (session, group) = await Session.LoadSessionWithGroupAsync(sessionId, ct);
        if (session is null || group is null)
        {
            return new CommandOutcome.NotFound();
        }

        if (!GroupAccess.For(group, reader).Manages)
        {
            return new CommandOutcome.Forbidden();
        }

        var sessionOpen = session.State is not (SessionState.Cancelled or SessionState.MinutesApproved);
        var flagKnown = flagId is { } f && await Session.LoadAsync<Flag>(f, ct) is { } flag && group.HasMemberAgency(flag.AgencyId);
        var code = await FreeCodeAsync(ct);
        var command = new OpenPoll(pollId, group.Id, sessionId, sessionOpen, question, kind, options, basis, flagId, flagKnown, code, reader.Name, clock.Now);
        return await runner.StartAsync<Poll>(
            pollId, nameof(OpenPoll), reader.Name, PollDecider.Decide(command, null), "Poll.AlreadyOpened", ct,
            s => changes.Stage(s, new PortalChange(ChangeKinds.Poll, pollId)));
    }

    /// <summary>
    /// Casts (or changes) the reader's vote, or their agency's (<paramref name="agencyId"/>, which may be left out when
    /// they represent one agency). People who may not vote in the group are refused (Forbidden).
    /// </summary>
    public async Task<CommandOutcome> VoteAsync(ClaimsPrincipal user, Guid pollId, string? choice, Guid? agencyId, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        if (reader.Name.Length == 0)
        {
            return new CommandOutcome.Forbidden();
        }

        var poll = await Session.LoadAsync<Poll>(pollId, ct);
        var group = poll is null ? null : await Session.LoadAsync<WorkingGroup>(poll.GroupId, ct);
        if (poll is null || group is null)
        {
            return new CommandOutcome.NotFound();
        }

        var voter = PollEligibility.For(group, reader);
        var command = new CastVote(pollId, choice, agencyId, voter, reader.Name, clock.Now);
        return await runner.RunAsync(
            new StreamCommand<Poll>(pollId, nameof(CastVote), reader.Name, null, Poll.Evolve, p => PollDecider.Decide(command, p))
            {
                MayAct = (_, _) => ValueTask.FromResult(voter.Eligible),
                Stage = (s, p, _) => changes.Stage(s, new PortalChange(ChangeKinds.Poll, p.Id)),
            },
            ct);
    }

    public Task<CommandOutcome> CloseAsync(ClaimsPrincipal user, Guid pollId, CancellationToken ct) =>
        ManageAsync(user, pollId, (by, at) => new ClosePoll(pollId, by, at), ct);

    /// <summary>Shows the results of a closed poll to everyone who sees the poll.</summary>
    public Task<CommandOutcome> RevealAsync(ClaimsPrincipal user, Guid pollId, CancellationToken ct) =>
        ManageAsync(user, pollId, (by, at) => new RevealResults(pollId, by, at), ct);

    /// <summary>
    /// Records a closed poll as a decision of its group, with its counts (basis: vote), its session and its flag, in
    /// English and Hindi (Hindi is the English text when not given). Both streams are fetched for writing and saved in
    /// one transaction: a change to either meanwhile is a conflict and nothing is recorded.
    /// </summary>
    public async Task<PollDecisionOutcome> RecordAsDecisionAsync(
        ClaimsPrincipal user, Guid pollId, string? text, string? textHi, DateOnly? reviewOn, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        var stored = await Session.LoadAsync<Poll>(pollId, ct);
        if (stored is null)
        {
            return new(new CommandOutcome.NotFound(), Guid.Empty, null);
        }

        var groupStream = await Session.Events.FetchForWriting<WorkingGroup>(stored.GroupId, ct);
        if (groupStream.Aggregate is not { } group)
        {
            return new(new CommandOutcome.NotFound(), Guid.Empty, null);
        }

        var access = GroupAccess.For(group, reader);
        var now = clock.Now;
        var english = text?.Trim() ?? "";
        var hindi = string.IsNullOrWhiteSpace(textHi) ? english : textHi.Trim();
        DecisionRecorded? recorded = null;
        var outcome = await runner.RunAsync(
            new StreamCommand<Poll>(pollId, nameof(RecordPollAsDecision), reader.Name, null, Poll.Evolve, poll =>
            {
                if (PollDecider.RecordableErrors(poll) is { Count: > 0 } errors)
                {
                    return Decision.Reject(errors);
                }

                var counts = PollTally.Of(poll).Counts.Select(c => new VoteCount(c.Label, c.Count)).ToList();
                var decided = WorkingGroupDecider.Decide(
                    new RecordDecision(
                        group.Id, new LocalizedText(english, hindi), poll.SessionId, true, DecisionBasis.Vote, counts, [], [],
                        poll.FlagId is { } flag ? [flag] : [], reviewOn, null, reader.Name, now),
                    group);
                if (!decided.IsAccepted)
                {
                    return decided;
                }

                recorded = decided.Events.OfType<DecisionRecorded>().Single();
                return PollDecider.Decide(new RecordPollAsDecision(pollId, recorded.Number, reader.Name, now), poll);
            })
            {
                MayAct = (_, _) => ValueTask.FromResult(access.Manages),
                Stage = (s, poll, _) =>
                {
                    groupStream.AppendOne(recorded!);
                    changes.Stage(s, new PortalChange(ChangeKinds.Poll, poll.Id));
                    changes.Stage(s, new PortalChange(ChangeKinds.WorkingGroup, group.Id));
                },
            },
            ct);
        return new(outcome, group.Id, outcome is CommandOutcome.Accepted && recorded is not null ? recorded.Number : null);
    }

    private async Task<CommandOutcome> ManageAsync(ClaimsPrincipal user, Guid pollId, Func<string, DateTimeOffset, PollCommand> make, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        var poll = await Session.LoadAsync<Poll>(pollId, ct);
        var group = poll is null ? null : await Session.LoadAsync<WorkingGroup>(poll.GroupId, ct);
        if (poll is null || group is null)
        {
            return new CommandOutcome.NotFound();
        }

        var command = make(reader.Name, clock.Now);
        return await runner.RunAsync(
            new StreamCommand<Poll>(pollId, command.GetType().Name, reader.Name, null, Poll.Evolve, p => PollDecider.Decide(command, p))
            {
                MayAct = (_, _) => ValueTask.FromResult(GroupAccess.For(group, reader).Manages),
                Stage = (s, p, _) => changes.Stage(s, new PortalChange(ChangeKinds.Poll, p.Id)),
            },
            ct);
    }

    /// <summary>A random code no open poll uses (codes of closed polls may come round again).</summary>
    private async Task<string> FreeCodeAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < CodeAttempts; attempt++)
        {
            var code = PollCode.New();
            if (!await Session.Query<Poll>().AnyAsync(p => p.ShortCode == code && p.IsOpen, ct))
            {
                return code;
            }
        }

        throw new InvalidOperationException("No free poll code after " + CodeAttempts + " attempts.");
    }
}
