namespace CoordinationPortal.Domain.Forum;

/// <summary>What a quick poll asks for.</summary>
public enum PollKind
{
    /// <summary>One of 2–8 options the operator types.</summary>
    SingleChoice,

    /// <summary>Yes, no or abstain.</summary>
    YesNoAbstain,

    /// <summary>Consent: no objection, or an objection.</summary>
    Consent,

    /// <summary>"Is this flag real?" on a scale of 1 (not real) to 5 (certainly real); the poll names the flag.</summary>
    FlagReal,
}

/// <summary>Who votes: each eligible person once, or each member agency once (any of its representatives).</summary>
public enum VoteBasis
{
    Person,
    Agency,
}

/// <summary>
/// One option of a poll. <see cref="Key"/> is stable (votes name it); <see cref="Label"/> is the operator's text for a
/// single-choice poll, and the English wording of a fixed option (pages word fixed options in the reader's language).
/// </summary>
public sealed record PollOption(string Key, string Label);

// One stream per poll. Every event carries who (By) and when (At).

/// <summary>A poll was opened in a session of a group. <see cref="ShortCode"/> is how phones join (6 characters).</summary>
public sealed record PollOpened(
    Guid PollId,
    Guid GroupId,
    Guid SessionId,
    string Question,
    PollKind Kind,
    IReadOnlyList<PollOption> Options,
    VoteBasis Basis,
    Guid? FlagId,
    string ShortCode,
    string By,
    DateTimeOffset At);

/// <summary>
/// A vote, replacing the voter's earlier one: the person's (<see cref="VoteBasis.Person"/>) or, for
/// <see cref="VoteBasis.Agency"/>, the agency's (<see cref="AgencyId"/>), whichever representative cast it (<see cref="By"/>).
/// </summary>
public sealed record PollVoteCast(Guid PollId, Guid? AgencyId, string Choice, string By, DateTimeOffset At);

public sealed record PollClosed(Guid PollId, string By, DateTimeOffset At);

public sealed record PollResultsRevealed(Guid PollId, string By, DateTimeOffset At);

/// <summary>The closed poll became decision <see cref="DecisionNumber"/> of its group (recorded in the same transaction).</summary>
public sealed record PollRecordedAsDecision(Guid PollId, Guid GroupId, int DecisionNumber, string By, DateTimeOffset At);
