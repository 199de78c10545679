namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>Decides what a command means for a working group: the events to record, or why it is refused. Pure.</summary>
public static class WorkingGroupDecider
{
    public const int MaxNameLength = 200;
    public const int MaxPurposeLength = 2000;
    public const int MaxMemberAgencies = 1000;
    public const int MaxVoteOptions = 20;

    public static Decision Decide(GroupCommand command, WorkingGroup? state) => (command, state) switch
    {
        (FormWorkingGroup c, null) => Form(c),
        (FormWorkingGroup, not null) => Decision.Reject(new DomainError("WorkingGroup.AlreadyFormed")),
        (_, null) => Decision.Reject(new DomainError("WorkingGroup.NotFound")),
        (ChangeGroupDetails c, _) => ChangeDetails(c, state),
        (AddMemberAgency c, _) => AddAgency(c, state),
        (RemoveMemberAgency c, _) => RemoveAgency(c, state),
        (AddPerson c, _) => AddPerson(c, state),
        (RemovePerson c, _) => RemovePerson(c, state),
        (RecordDecision c, _) => Record(c, state),
        (ReviewDecision c, _) => Review(c, state),
        (LaunchInitiative c, _) when state.Initiatives.Any(i => i.Id == c.InitiativeId) => Decision.Reject(new DomainError("Initiative.AlreadyLaunched")),
        (LaunchInitiative c, _) => Launch(c),
        _ => throw new NotSupportedException($"No decision for {command.GetType().Name}."),
    };

    private static Decision Form(FormWorkingGroup c)
    {
        var errors = ValidateDetails(c.Name, c.Purpose, c.Kind);
        var members = c.MemberAgencyIds ?? [];
        if (members.Count > MaxMemberAgencies)
        {
            errors.Add(new DomainError("WorkingGroup.TooManyAgencies", "memberAgencyIds"));
        }
        else if (members.Any(a => !c.KnownAgencies.Contains(a)))
        {
            errors.Add(new DomainError("WorkingGroup.UnknownAgency", "memberAgencyIds"));
        }

        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new WorkingGroupFormed(
                c.GroupId, Checks.Trim(c.Name), Checks.Trim(c.Purpose), c.Kind, [.. members.Distinct()], c.Today, c.By, c.At));
    }

    private static Decision ChangeDetails(ChangeGroupDetails c, WorkingGroup state)
    {
        var errors = ValidateDetails(c.Name, c.Purpose, c.Kind);
        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        var name = Checks.Trim(c.Name);
        var purpose = Checks.Trim(c.Purpose);
        return name == state.Name && purpose == state.Purpose && c.Kind == state.Kind
            ? Decision.Accept()
            : Decision.Accept(new WorkingGroupDetailsChanged(c.GroupId, name, purpose, c.Kind, c.By, c.At));
    }

    private static List<DomainError> ValidateDetails(LocalizedText? name, LocalizedText? purpose, ForumKind kind)
    {
        var errors = new List<DomainError>();
        Checks.Bilingual(errors, name, "name", MaxNameLength);
        Checks.Bilingual(errors, purpose, "purpose", MaxPurposeLength);
        if (!Enum.IsDefined(kind))
        {
            errors.Add(new DomainError("WorkingGroup.KindUnknown", "kind"));
        }

        return errors;
    }

    private static Decision AddAgency(AddMemberAgency c, WorkingGroup state)
    {
        if (!c.AgencyExists)
        {
            return Decision.Reject(new DomainError("WorkingGroup.UnknownAgency", "agencyId"));
        }

        if (state.HasMemberAgency(c.AgencyId))
        {
            return Decision.Accept();
        }

        // A rejoin opens a new period, which cannot begin before the last one ended (periods never overlap).
        if (state.AgencyHistory.LastOrDefault(m => m.AgencyId == c.AgencyId)?.Left is { } left && c.On < left)
        {
            return Decision.Reject(new DomainError("WorkingGroup.JoinedBeforeLeft", "on"));
        }

        return state.MemberAgencies.Count() >= MaxMemberAgencies
            ? Decision.Reject(new DomainError("WorkingGroup.TooManyAgencies", "agencyId"))
            : Decision.Accept(new AgencyJoinedGroup(c.GroupId, c.AgencyId, c.On, c.By, c.At));
    }

    private static Decision RemoveAgency(RemoveMemberAgency c, WorkingGroup state)
    {
        var current = state.AgencyHistory.LastOrDefault(m => m.IsCurrent && m.AgencyId == c.AgencyId);
        if (current is null)
        {
            return Decision.Reject(new DomainError("WorkingGroup.AgencyNotMember", "agencyId"));
        }

        return c.On < current.Joined
            ? Decision.Reject(new DomainError("WorkingGroup.LeftBeforeJoined", "on"))
            : Decision.Accept(new AgencyLeftGroup(c.GroupId, c.AgencyId, c.On, c.By, c.At));
    }

    private static Decision AddPerson(AddPerson c, WorkingGroup state)
    {
        var errors = new List<DomainError>();
        Checks.Required(errors, c.Person, "person", MaxNameLength);
        if (!Enum.IsDefined(c.Role))
        {
            errors.Add(new DomainError("WorkingGroup.RoleUnknown", "role"));
        }

        if (c.AgencyId is { } agency && !state.HasMemberAgency(agency))
        {
            errors.Add(new DomainError("WorkingGroup.AgencyNotMember", "agencyId"));
        }

        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        var person = WorkingGroup.Normalize(c.Person);
        var current = CurrentPeriod(state, person);
        if (current is not null && current.Role == c.Role && current.AgencyId == c.AgencyId)
        {
            return Decision.Accept();
        }

        if (current is null && state.PeopleHistory.LastOrDefault(m => m.Person == person)?.Left is { } left && c.On < left)
        {
            return Decision.Reject(new DomainError("WorkingGroup.JoinedBeforeLeft", "on"));
        }

        // A new role closes the current period on the day the new one opens: that day cannot come before the period began.
        return current is not null && c.On < current.Joined
            ? Decision.Reject(new DomainError("WorkingGroup.LeftBeforeJoined", "on"))
            : Decision.Accept(new PersonJoinedGroup(c.GroupId, person, c.Role, c.AgencyId, c.On, c.By, c.At));
    }

    private static Decision RemovePerson(RemovePerson c, WorkingGroup state)
    {
        var current = CurrentPeriod(state, c.Person);
        if (current is null)
        {
            return Decision.Reject(new DomainError("WorkingGroup.PersonNotInGroup", "person"));
        }

        return c.On < current.Joined
            ? Decision.Reject(new DomainError("WorkingGroup.LeftBeforeJoined", "on"))
            : Decision.Accept(new PersonLeftGroup(c.GroupId, current.Person, c.On, c.By, c.At));
    }

    /// <summary>The period the person is in now (null when they are not in the group).</summary>
    private static PersonMembership? CurrentPeriod(WorkingGroup state, string? person) =>
        string.IsNullOrWhiteSpace(person) ? null : state.PeopleHistory.LastOrDefault(m => m.IsCurrent && m.Person == WorkingGroup.Normalize(person));

    private static Decision Record(RecordDecision c, WorkingGroup state)
    {
        var errors = new List<DomainError>();
        Checks.Bilingual(errors, c.Text, "text", Checks.MaxTextLength);
        if (c.SessionId is not null && !c.SessionOfGroup)
        {
            errors.Add(new DomainError("WorkingGroup.SessionNotInGroup", "sessionId"));
        }

        if (!Enum.IsDefined(c.Basis))
        {
            errors.Add(new DomainError("Decision.BasisUnknown", "basis"));
        }

        var counts = c.Counts ?? [];
        if (c.Basis == DecisionBasis.Vote && counts.Count == 0)
        {
            errors.Add(new DomainError("Decision.CountsRequired", "counts"));
        }
        else if (c.Basis == DecisionBasis.Consensus && counts.Count > 0)
        {
            errors.Add(new DomainError("Decision.CountsOnlyForVote", "counts"));
        }
        else if (counts.Count > MaxVoteOptions
            || counts.Any(v => v.Count < 0 || string.IsNullOrWhiteSpace(v.Option) || v.Option.Trim().Length > MaxNameLength)
            || counts.Select(v => v.Option.Trim().ToUpperInvariant()).Distinct().Count() != counts.Count)
        {
            errors.Add(new DomainError("Decision.CountsInvalid", "counts"));
        }

        var layers = c.Layers ?? [];
        if (layers.Any(l => !Enum.IsDefined(l)))
        {
            errors.Add(new DomainError("Decision.LayerUnknown", "layers"));
        }

        var agencies = c.AgencyIds ?? [];
        if (agencies.Any(a => !state.AgencyHistory.Any(m => m.AgencyId == a)))
        {
            errors.Add(new DomainError("WorkingGroup.AgencyNotMember", "agencyIds"));
        }

        var takenOn = c.TakenOn ?? c.Today;
        if (!Checks.IsPlausible(takenOn) || takenOn > c.Today)
        {
            errors.Add(new DomainError("Decision.TakenOnInvalid", "takenOn"));
        }

        if (c.ReviewOn is { } review && (!Checks.IsPlausible(review) || review < takenOn))
        {
            errors.Add(new DomainError("Decision.ReviewBeforeTaken", "reviewOn"));
        }

        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        var number = state.Decisions.Count == 0 ? 1 : state.Decisions.Max(d => d.Number) + 1;
        return Decision.Accept(new DecisionRecorded(
            c.GroupId,
            number,
            Checks.Trim(c.Text),
            c.SessionId,
            c.Basis,
            [.. counts.Select(v => v with { Option = v.Option.Trim() })],
            [.. agencies.Distinct()],
            [.. layers.Distinct()],
            [.. (c.FlagIds ?? []).Distinct()],
            c.ReviewOn,
            takenOn,
            c.By,
            c.At));
    }

    private static Decision Review(ReviewDecision c, WorkingGroup state)
    {
        var decision = state.Decisions.FirstOrDefault(d => d.Number == c.Number);
        if (decision is null)
        {
            return Decision.Reject(new DomainError("Decision.NotFound", "number"));
        }

        var errors = new List<DomainError>();
        Checks.Required(errors, c.Note, "note", Checks.MaxTextLength);
        if (c.NextReviewOn is { } next && (!Checks.IsPlausible(next) || next <= c.Today))
        {
            errors.Add(new DomainError("Decision.NextReviewNotAfterToday", "nextReviewOn"));
        }

        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new DecisionReviewed(c.GroupId, c.Number, c.Note.Trim(), c.NextReviewOn, c.By, c.At));
    }

    private static Decision Launch(LaunchInitiative c)
    {
        var errors = new List<DomainError>();
        Checks.Bilingual(errors, c.Title, "title", Checks.MaxTitleLength);
        if (c.Layers is null || c.Layers.Count == 0 || c.Layers.Any(l => !Enum.IsDefined(l)))
        {
            errors.Add(new DomainError("Initiative.LayersRequired", "layers"));
        }

        if (double.IsNaN(c.TargetLevel) || c.TargetLevel is < 1 or > 5)
        {
            errors.Add(new DomainError("Initiative.TargetOutOfRange", "targetLevel"));
        }

        if (!Checks.IsPlausible(c.Deadline) || c.Deadline <= c.Today)
        {
            errors.Add(new DomainError("Initiative.DeadlineNotAfterToday", "deadline"));
        }

        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new InitiativeLaunched(
                c.GroupId, c.InitiativeId, Checks.Trim(c.Title), [.. c.Layers!.Distinct()], c.TargetLevel, c.Deadline, c.By, c.At));
    }
}
