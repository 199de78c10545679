namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>Something a person asks of a working group's stream. Commands carry the actor and the time, so deciding is pure.</summary>
public abstract record GroupCommand(Guid GroupId, string By, DateTimeOffset At)
{
    public DateOnly Today => DateOnly.FromDateTime(At.DateTime);
}

/// <param name="KnownAgencies">The agencies that exist (the handler loads them), so members can be checked.</param>
public sealed record FormWorkingGroup(
    Guid GroupId, LocalizedText Name, LocalizedText Purpose, ForumKind Kind, IReadOnlyList<Guid> MemberAgencyIds,
    IReadOnlySet<Guid> KnownAgencies, string By, DateTimeOffset At) : GroupCommand(GroupId, By, At);

public sealed record ChangeGroupDetails(Guid GroupId, LocalizedText Name, LocalizedText Purpose, ForumKind Kind, string By, DateTimeOffset At)
    : GroupCommand(GroupId, By, At);

public sealed record AddMemberAgency(Guid GroupId, Guid AgencyId, bool AgencyExists, DateOnly On, string By, DateTimeOffset At)
    : GroupCommand(GroupId, By, At);

public sealed record RemoveMemberAgency(Guid GroupId, Guid AgencyId, DateOnly On, string By, DateTimeOffset At) : GroupCommand(GroupId, By, At);

/// <summary>Adds a person in a role, or gives a person already in the group another role.</summary>
public sealed record AddPerson(Guid GroupId, string Person, GroupRole Role, Guid? AgencyId, DateOnly On, string By, DateTimeOffset At)
    : GroupCommand(GroupId, By, At);

public sealed record RemovePerson(Guid GroupId, string Person, DateOnly On, string By, DateTimeOffset At) : GroupCommand(GroupId, By, At);

/// <param name="SessionOfGroup">Whether <see cref="SessionId"/> names a session of this group (the handler checks).</param>
public sealed record RecordDecision(
    Guid GroupId, LocalizedText Text, Guid? SessionId, bool SessionOfGroup, DecisionBasis Basis, IReadOnlyList<VoteCount> Counts,
    IReadOnlyList<Guid> AgencyIds, IReadOnlyList<Layer> Layers, IReadOnlyList<Guid> FlagIds, DateOnly? ReviewOn, DateOnly? TakenOn,
    string By, DateTimeOffset At) : GroupCommand(GroupId, By, At);

public sealed record ReviewDecision(Guid GroupId, int Number, string Note, DateOnly? NextReviewOn, string By, DateTimeOffset At)
    : GroupCommand(GroupId, By, At);

public sealed record LaunchInitiative(
    Guid GroupId, Guid InitiativeId, LocalizedText Title, IReadOnlyList<Layer> Layers, double TargetLevel, DateOnly Deadline, string By, DateTimeOffset At)
    : GroupCommand(GroupId, By, At);
