namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>What kind of forum a working group is.</summary>
public enum ForumKind
{
    /// <summary>A national coordination group across ministries and agencies.</summary>
    National,

    /// <summary>The agencies of one sector (health, finance, ...).</summary>
    Sector,

    /// <summary>A state's or union territory's forum.</summary>
    State,

    /// <summary>Government with industry and academia.</summary>
    MultiStakeholder,
}

/// <summary>A person's role in a group. Chairs and secretaries run it; members take part; observers read.</summary>
public enum GroupRole
{
    Chair,
    Secretary,
    Member,
    Observer,
}

/// <summary>How a decision was taken. The live forum adds polls (<see cref="Vote"/> with counts).</summary>
public enum DecisionBasis
{
    Consensus,
    Vote,
}

/// <summary>One option of a vote and how many chose it.</summary>
public sealed record VoteCount(string Option, int Count);

// One stream per working group: who is in it (agencies and people, with dates), its decisions (numbered in the
// group, so the stream is where the next number is known), and its initiatives.

public sealed record WorkingGroupFormed(
    Guid GroupId,
    LocalizedText Name,
    LocalizedText Purpose,
    ForumKind Kind,
    IReadOnlyList<Guid> MemberAgencyIds,
    DateOnly On,
    string By,
    DateTimeOffset At);

public sealed record WorkingGroupDetailsChanged(Guid GroupId, LocalizedText Name, LocalizedText Purpose, ForumKind Kind, string By, DateTimeOffset At);

public sealed record AgencyJoinedGroup(Guid GroupId, Guid AgencyId, DateOnly On, string By, DateTimeOffset At);

public sealed record AgencyLeftGroup(Guid GroupId, Guid AgencyId, DateOnly On, string By, DateTimeOffset At);

/// <summary>A person joins (or, already in, takes another role). <see cref="Person"/> is the portal user name, lower case.</summary>
public sealed record PersonJoinedGroup(Guid GroupId, string Person, GroupRole Role, Guid? AgencyId, DateOnly On, string By, DateTimeOffset At);

public sealed record PersonLeftGroup(Guid GroupId, string Person, DateOnly On, string By, DateTimeOffset At);

/// <summary>A decision, numbered in the group from 1. <see cref="SessionId"/> is the session it was taken in.</summary>
public sealed record DecisionRecorded(
    Guid GroupId,
    int Number,
    LocalizedText Text,
    Guid? SessionId,
    DecisionBasis Basis,
    IReadOnlyList<VoteCount> Counts,
    IReadOnlyList<Guid> AgencyIds,
    IReadOnlyList<Layer> Layers,
    IReadOnlyList<Guid> FlagIds,
    DateOnly? ReviewOn,
    DateOnly TakenOn,
    string By,
    DateTimeOffset At);

/// <summary>A decision due for review was reviewed: kept (with a next review date, or none) with a note.</summary>
public sealed record DecisionReviewed(Guid GroupId, int Number, string Note, DateOnly? NextReviewOn, string By, DateTimeOffset At);

/// <summary>A target for the member agencies: every one at <see cref="TargetLevel"/> or above on these layers by <see cref="Deadline"/>.</summary>
public sealed record InitiativeLaunched(
    Guid GroupId,
    Guid InitiativeId,
    LocalizedText Title,
    IReadOnlyList<Layer> Layers,
    double TargetLevel,
    DateOnly Deadline,
    string By,
    DateTimeOffset At);
