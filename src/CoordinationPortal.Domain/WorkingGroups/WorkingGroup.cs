namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>One period of an agency's membership; <see cref="Left"/> is null while it lasts. A rejoin is a new period.</summary>
public sealed record AgencyMembership(Guid AgencyId, DateOnly Joined, DateOnly? Left)
{
    public bool IsCurrent => Left is null;
}

/// <summary>One period of a person's membership, in one role (a change of role closes one period and opens another).</summary>
public sealed record PersonMembership(string Person, GroupRole Role, Guid? AgencyId, DateOnly Joined, DateOnly? Left)
{
    public bool IsCurrent => Left is null;
}

/// <summary>A decision as the log shows it, with its latest review.</summary>
public sealed record LoggedDecision(
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
    DateTimeOffset RecordedAt,
    string? LastReviewNote = null,
    DateTimeOffset? LastReviewedAt = null)
{
    /// <summary>Due for review on and after its review date, until a review sets another (or none).</summary>
    public bool IsDueForReview(DateOnly today) => ReviewOn is { } on && on <= today;
}

public sealed record Initiative(Guid Id, LocalizedText Title, IReadOnlyList<Layer> Layers, double TargetLevel, DateOnly Deadline, DateTimeOffset LaunchedAt);

/// <summary>A working group: the state folded from its stream.</summary>
public sealed record WorkingGroup
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public LocalizedText Name { get; init; } = new("", "");
    public LocalizedText Purpose { get; init; } = new("", "");
    public ForumKind Kind { get; init; }
    public DateOnly FormedOn { get; init; }
    public IReadOnlyList<AgencyMembership> AgencyHistory { get; init; } = [];
    public IReadOnlyList<PersonMembership> PeopleHistory { get; init; } = [];
    public IReadOnlyList<LoggedDecision> Decisions { get; init; } = [];
    public IReadOnlyList<Initiative> Initiatives { get; init; } = [];

    /// <summary>The agencies that are members now.</summary>
    public IEnumerable<Guid> MemberAgencies => AgencyHistory.Where(m => m.IsCurrent).Select(m => m.AgencyId);

    /// <summary>The people who are in the group now, each once, in their current role.</summary>
    public IEnumerable<PersonMembership> People => PeopleHistory.Where(m => m.IsCurrent);

    public bool HasMemberAgency(Guid agencyId) => AgencyHistory.Any(m => m.IsCurrent && m.AgencyId == agencyId);

    /// <summary>The person's current role, or null when they are not in the group. Names compare without case.</summary>
    public GroupRole? RoleOf(string? person)
    {
        if (string.IsNullOrWhiteSpace(person))
        {
            return null;
        }

        var key = Normalize(person);
        return PeopleHistory.LastOrDefault(m => m.IsCurrent && m.Person == key)?.Role;
    }

    public static string Normalize(string person) => person.Trim().ToLowerInvariant();

    public static WorkingGroup Formed(WorkingGroupFormed e) => new()
    {
        Id = e.GroupId,
        Version = 1,
        Name = e.Name,
        Purpose = e.Purpose,
        Kind = e.Kind,
        FormedOn = e.On,
        AgencyHistory = [.. e.MemberAgencyIds.Select(a => new AgencyMembership(a, e.On, null))],
    };

    public WorkingGroup When(WorkingGroupDetailsChanged e) => this with { Name = e.Name, Purpose = e.Purpose, Kind = e.Kind };

    public WorkingGroup When(AgencyJoinedGroup e) => this with { AgencyHistory = [.. AgencyHistory, new AgencyMembership(e.AgencyId, e.On, null)] };

    public WorkingGroup When(AgencyLeftGroup e) => this with
    {
        AgencyHistory = [.. AgencyHistory.Select(m => m.IsCurrent && m.AgencyId == e.AgencyId ? m with { Left = e.On } : m)],
    };

    public WorkingGroup When(PersonJoinedGroup e) => this with
    {
        PeopleHistory =
        [
            .. PeopleHistory.Select(m => m.IsCurrent && m.Person == e.Person ? m with { Left = e.On } : m),
            new PersonMembership(e.Person, e.Role, e.AgencyId, e.On, null),
        ],
    };

    public WorkingGroup When(PersonLeftGroup e) => this with
    {
        PeopleHistory = [.. PeopleHistory.Select(m => m.IsCurrent && m.Person == e.Person ? m with { Left = e.On } : m)],
    };

    public WorkingGroup When(DecisionRecorded e) => this with
    {
        Decisions =
        [
            .. Decisions,
            new LoggedDecision(e.Number, e.Text, e.SessionId, e.Basis, e.Counts, e.AgencyIds, e.Layers, e.FlagIds, e.ReviewOn, e.TakenOn, e.By, e.At),
        ],
    };

    public WorkingGroup When(DecisionReviewed e) => this with
    {
        Decisions =
        [
            .. Decisions.Select(d => d.Number == e.Number ? d with { ReviewOn = e.NextReviewOn, LastReviewNote = e.Note, LastReviewedAt = e.At } : d),
        ],
    };

    public WorkingGroup When(InitiativeLaunched e) => this with
    {
        Initiatives = [.. Initiatives, new Initiative(e.InitiativeId, e.Title, e.Layers, e.TargetLevel, e.Deadline, e.At)],
    };

    public static WorkingGroup? Evolve(WorkingGroup? state, object @event)
    {
        if (state is null)
        {
            return @event is WorkingGroupFormed formed ? Formed(formed) : null;
        }

        var next = @event switch
        {
            WorkingGroupDetailsChanged e => state.When(e),
            AgencyJoinedGroup e => state.When(e),
            AgencyLeftGroup e => state.When(e),
            PersonJoinedGroup e => state.When(e),
            PersonLeftGroup e => state.When(e),
            DecisionRecorded e => state.When(e),
            DecisionReviewed e => state.When(e),
            InitiativeLaunched e => state.When(e),
            _ => state,
        };
        return next with { Version = state.Version + 1 };
    }

    public static WorkingGroup? Fold(IEnumerable<object> events) => events.Aggregate((WorkingGroup?)null, Evolve);
}
