namespace CoordinationPortal.Domain.Forum;

/// <summary>Something a person asks of a poll. Commands carry the actor, the time and the facts the handler looked up, so deciding is pure.</summary>
public abstract record PollCommand(Guid PollId, string By, DateTimeOffset At);

/// <param name="SessionOpen">The session is the group's and neither cancelled nor with approved minutes (the handler checks).</param>
/// <param name="FlagKnown">When <see cref="FlagId"/> is given: it names a flag of a member agency of the group.</param>
/// <param name="Options">The operator's options (single choice only; the other kinds have fixed options).</param>
public sealed record OpenPoll(
    Guid PollId, Guid GroupId, Guid SessionId, bool SessionOpen, string? Question, PollKind Kind, IReadOnlyList<string>? Options, VoteBasis Basis,
    Guid? FlagId, bool FlagKnown, string ShortCode, string By, DateTimeOffset At) : PollCommand(PollId, By, At);

/// <param name="Voter">Whether the person may vote in the group, and for which agencies (see <see cref="PollEligibility"/>).</param>
/// <param name="AgencyId">The agency the vote is for (agency basis); may be left out when the voter represents exactly one.</param>
public sealed record CastVote(Guid PollId, string? Choice, Guid? AgencyId, PollVoter Voter, string By, DateTimeOffset At) : PollCommand(PollId, By, At);

public sealed record ClosePoll(Guid PollId, string By, DateTimeOffset At) : PollCommand(PollId, By, At);

public sealed record RevealResults(Guid PollId, string By, DateTimeOffset At) : PollCommand(PollId, By, At);

/// <param name="DecisionNumber">The number the group's decision log gives the decision (decided with it, in one transaction).</param>
public sealed record RecordPollAsDecision(Guid PollId, int DecisionNumber, string By, DateTimeOffset At) : PollCommand(PollId, By, At);
