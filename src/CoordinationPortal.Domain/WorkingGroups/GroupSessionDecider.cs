namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>An open action item of the group, as the agenda carries it forward.</summary>
public sealed record OpenActionItem(Guid ActionItemId, string Title, Guid AgencyId, Layer Layer);

/// <summary>An agenda item as a person enters it (the id is given by the handler, or kept from the agenda it edits).</summary>
public sealed record AgendaEntry(Guid? Id, string Title, int DurationMinutes, string? Presenter, Guid? AgencyId, Layer? Layer, Guid? FlagId);

public abstract record SessionCommand(Guid SessionId, string By, DateTimeOffset At);

/// <param name="OpenItems">The group's open action items now: they are carried onto the agenda.</param>
public sealed record ScheduleSession(
    Guid SessionId, Guid GroupId, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Link,
    IReadOnlyList<AgendaEntry> Agenda, IReadOnlyList<OpenActionItem> OpenItems, string By, DateTimeOffset At) : SessionCommand(SessionId, By, At);

public sealed record ChangeAgenda(Guid SessionId, IReadOnlyList<AgendaEntry> Agenda, string By, DateTimeOffset At) : SessionCommand(SessionId, By, At);

/// <param name="OpenItems">The group's open action items now: any not yet on the agenda are carried onto it.</param>
public sealed record StartSession(Guid SessionId, IReadOnlyList<OpenActionItem> OpenItems, string By, DateTimeOffset At) : SessionCommand(SessionId, By, At);

public sealed record CancelSession(Guid SessionId, string Reason, string By, DateTimeOffset At) : SessionCommand(SessionId, By, At);

public sealed record RecordAttendance(Guid SessionId, IReadOnlyList<Attendee> Attendees, IReadOnlySet<Guid> MemberAgencies, string By, DateTimeOffset At)
    : SessionCommand(SessionId, By, At);

public sealed record DraftMinutes(Guid SessionId, string Markdown, string By, DateTimeOffset At) : SessionCommand(SessionId, By, At);

public sealed record ApproveMinutes(Guid SessionId, string By, DateTimeOffset At) : SessionCommand(SessionId, By, At);

public sealed record AmendMinutes(Guid SessionId, string Markdown, string Reason, string By, DateTimeOffset At) : SessionCommand(SessionId, By, At);

/// <summary>
/// Decides what a command means for a session: planned → in progress → minutes drafted → minutes approved (or a
/// planned session cancelled). Minutes may be typed up after the meeting without its being started in the portal, once
/// its start time has passed. Approved minutes never change; corrections are numbered amendments with a reason. Pure.
/// </summary>
public static class GroupSessionDecider
{
    public const int MaxAgendaItems = 100;
    public const int MaxDurationMinutes = 600;
    public const int MaxPlaceLength = 500;
    public const int MaxLinkLength = 2000;
    public const int MaxMinutesLength = 200_000;
    public const int MaxAttendees = 2000;
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(7);

    public static Decision Decide(SessionCommand command, GroupSession? state) => (command, state) switch
    {
        (ScheduleSession c, null) => Schedule(c),
        (ScheduleSession, not null) => Decision.Reject(new DomainError("Session.AlreadyScheduled")),
        (_, null) => Decision.Reject(new DomainError("Session.NotFound")),
        (ChangeAgenda c, _) => ChangeAgenda(c, state),
        (StartSession c, _) => Start(c, state),
        (CancelSession c, _) => Cancel(c, state),
        (RecordAttendance c, _) => Attend(c, state),
        (DraftMinutes c, _) => Draft(c, state),
        (ApproveMinutes c, _) => state.State == SessionState.MinutesDrafted
            ? Decision.Accept(new MinutesApproved(c.SessionId, c.By, c.At))
            : Decision.Reject(new DomainError(state.MinutesAreApproved ? "Session.MinutesAlreadyApproved" : "Session.NoDraftToApprove")),
        (AmendMinutes c, _) => Amend(c, state),
        _ => throw new NotSupportedException($"No decision for {command.GetType().Name}."),
    };

    private static Decision Schedule(ScheduleSession c)
    {
        var errors = ValidateTimes(c.Title, c.StartsAt, c.EndsAt, c.Place, c.Link);
        var agenda = Agenda(c.Agenda, [], c.SessionId, 0, errors);
        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        var scheduled = new SessionScheduled(
            c.SessionId, c.GroupId, c.Title.Trim(), c.StartsAt, c.EndsAt, Checks.TrimToNull(c.Place), Checks.TrimToNull(c.Link), agenda, c.By, c.At);
        var carried = CarryForward([], c.OpenItems, c.SessionId);
        return carried.Count == 0
            ? Decision.Accept(scheduled)
            : Decision.Accept(scheduled, new ActionItemsCarriedForward(c.SessionId, carried, c.At));
    }

    private static List<DomainError> ValidateTimes(string? title, DateTimeOffset startsAt, DateTimeOffset endsAt, string? place, string? link)
    {
        var errors = new List<DomainError>();
        Checks.Required(errors, title, "title", Checks.MaxTitleLength);
        if (endsAt <= startsAt)
        {
            errors.Add(new DomainError("Session.EndsBeforeStart", "endsAt"));
        }
        else if (endsAt - startsAt > MaxLength)
        {
            errors.Add(new DomainError("Session.TooLong", "endsAt"));
        }

        if (startsAt.Year is < 2000 or > 2100)
        {
            errors.Add(new DomainError("Session.StartImplausible", "startsAt"));
        }

        Checks.Optional(errors, place, "place", MaxPlaceLength);
        if (!string.IsNullOrWhiteSpace(link) && !OutboundUrl.IsAcceptable(link, MaxLinkLength, allowQuery: true))
        {
            errors.Add(new DomainError("Session.LinkInvalid", "link"));
        }

        return errors;
    }

    /// <summary>The agenda as entered, checked; carried-forward items already on it keep their place and link.</summary>
    private static List<AgendaItem> Agenda(IReadOnlyList<AgendaEntry>? entries, IReadOnlyList<AgendaItem> before, Guid sessionId, long version, List<DomainError> errors)
    {
        entries ??= [];
        if (entries.Count > MaxAgendaItems)
        {
            errors.Add(new DomainError("Session.AgendaTooLong", "agenda"));
            return [];
        }

        var items = new List<AgendaItem>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var field = $"agenda[{i}]";
            var count = errors.Count;
            Checks.Required(errors, entry.Title, field + ".title", Checks.MaxTitleLength);
            if (entry.DurationMinutes is < 1 or > MaxDurationMinutes)
            {
                errors.Add(new DomainError("Session.DurationOutOfRange", field + ".durationMinutes"));
            }

            Checks.Optional(errors, entry.Presenter, field + ".presenter", WorkingGroupDecider.MaxNameLength);
            if (entry.Layer is { } layer && !Enum.IsDefined(layer))
            {
                errors.Add(new DomainError("Session.LayerUnknown", field + ".layer"));
            }

            if (errors.Count > count)
            {
                continue;
            }

            // An id given twice keeps its item once; the second entry is a new item, so agenda ids stay unique.
            var earlier = entry.Id is { } id && !items.Exists(x => x.Id == id) ? before.FirstOrDefault(b => b.Id == id) : null;
            items.Add(new AgendaItem(
                earlier?.Id ?? AgendaItemId(sessionId, version, i),
                entry.Title.Trim(),
                entry.DurationMinutes,
                Checks.TrimToNull(entry.Presenter),
                entry.AgencyId,
                entry.Layer,
                entry.FlagId,
                earlier?.ActionItemId));
        }

        return items;
    }

    /// <summary>
    /// A stable id for an agenda item entered without one (its session, the stream version it was entered at, its place),
    /// so deciding stays pure: no random ids, and the same command decides the same events.
    /// </summary>
    private static Guid AgendaItemId(Guid sessionId, long version, int index) => DerivedId(sessionId, $"agenda:{version}:{index}");

    private static Guid DerivedId(Guid sessionId, string name) => StableIds.For(sessionId, name);

    /// <summary>The open action items not on the agenda yet, as agenda items (five minutes each, presented by their agency).</summary>
    private static List<AgendaItem> CarryForward(IReadOnlyList<AgendaItem> agenda, IReadOnlyList<OpenActionItem>? open, Guid sessionId)
    {
        var onAgenda = agenda.Where(a => a.ActionItemId is not null).Select(a => a.ActionItemId!.Value).ToHashSet();
        return [.. (open ?? [])
            .Where(o => !onAgenda.Contains(o.ActionItemId))
            .DistinctBy(o => o.ActionItemId)
            .Select(o => new AgendaItem(CarriedId(sessionId, o.ActionItemId), o.Title, 5, null, o.AgencyId, o.Layer, null, o.ActionItemId))];
    }

    private static Guid CarriedId(Guid sessionId, Guid actionItemId) => DerivedId(sessionId, $"carried:{actionItemId:N}");

    private static Decision ChangeAgenda(ChangeAgenda c, GroupSession state)
    {
        if (state.State is not (SessionState.Planned or SessionState.InProgress))
        {
            return Decision.Reject(new DomainError("Session.AgendaClosed"));
        }

        var errors = new List<DomainError>();
        var agenda = Agenda(c.Agenda, state.Agenda, c.SessionId, state.Version, errors);
        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        return agenda.SequenceEqual(state.Agenda) ? Decision.Accept() : Decision.Accept(new SessionAgendaChanged(c.SessionId, agenda, c.By, c.At));
    }

    private static Decision Start(StartSession c, GroupSession state)
    {
        if (state.State != SessionState.Planned)
        {
            return Decision.Reject(new DomainError("Session.NotPlanned"));
        }

        var carried = CarryForward(state.Agenda, c.OpenItems, c.SessionId);
        var started = new SessionStarted(c.SessionId, c.By, c.At);
        return carried.Count == 0 ? Decision.Accept(started) : Decision.Accept(started, new ActionItemsCarriedForward(c.SessionId, carried, c.At));
    }

    private static Decision Cancel(CancelSession c, GroupSession state)
    {
        if (state.State != SessionState.Planned)
        {
            return Decision.Reject(new DomainError("Session.NotPlanned"));
        }

        var errors = new List<DomainError>();
        Checks.Required(errors, c.Reason, "reason", Checks.MaxTextLength);
        return errors.Count > 0 ? Decision.Reject(errors) : Decision.Accept(new SessionCancelled(c.SessionId, c.Reason.Trim(), c.By, c.At));
    }

    private static bool HasBegun(GroupSession state, DateTimeOffset now) =>
        state.State is SessionState.InProgress or SessionState.MinutesDrafted || (state.State == SessionState.Planned && state.StartsAt <= now);

    private static Decision Attend(RecordAttendance c, GroupSession state)
    {
        if (!HasBegun(state, c.At))
        {
            return Decision.Reject(new DomainError(state.State switch
            {
                SessionState.MinutesApproved => "Session.MinutesAlreadyApproved",
                SessionState.Cancelled => "Session.Cancelled",
                _ => "Session.NotBegun",
            }));
        }

        var attendees = c.Attendees ?? [];
        var errors = new List<DomainError>();
        if (attendees.Count > MaxAttendees)
        {
            errors.Add(new DomainError("Session.TooManyAttendees", "attendees"));
        }

        for (var i = 0; i < attendees.Count && errors.Count == 0; i++)
        {
            Checks.Required(errors, attendees[i].Name, $"attendees[{i}].name", WorkingGroupDecider.MaxNameLength);
            if (attendees[i].AgencyId is { } agency && !c.MemberAgencies.Contains(agency))
            {
                errors.Add(new DomainError("WorkingGroup.AgencyNotMember", $"attendees[{i}].agencyId"));
            }
        }

        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        var list = attendees.Select(a => a with { Name = a.Name.Trim() }).Distinct().ToList();
        return list.SequenceEqual(state.Attendees) ? Decision.Accept() : Decision.Accept(new AttendanceRecorded(c.SessionId, list, c.By, c.At));
    }

    private static Decision Draft(DraftMinutes c, GroupSession state)
    {
        if (state.MinutesAreApproved)
        {
            return Decision.Reject(new DomainError("Session.MinutesAlreadyApproved"));
        }

        if (!HasBegun(state, c.At))
        {
            return Decision.Reject(new DomainError(state.State == SessionState.Cancelled ? "Session.Cancelled" : "Session.NotBegun"));
        }

        var errors = new List<DomainError>();
        Checks.Required(errors, c.Markdown, "minutes", MaxMinutesLength);
        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        var text = c.Markdown.Trim();
        return state.State == SessionState.MinutesDrafted && state.Minutes == text
            ? Decision.Accept()
            : Decision.Accept(new MinutesDrafted(c.SessionId, text, c.By, c.At));
    }

    private static Decision Amend(AmendMinutes c, GroupSession state)
    {
        if (!state.MinutesAreApproved)
        {
            return Decision.Reject(new DomainError("Session.AmendOnlyApproved"));
        }

        var errors = new List<DomainError>();
        Checks.Required(errors, c.Markdown, "minutes", MaxMinutesLength);
        Checks.Required(errors, c.Reason, "reason", Checks.MaxTextLength);
        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new MinutesAmended(c.SessionId, state.Amendments.Count + 1, c.Markdown.Trim(), c.Reason.Trim(), c.By, c.At));
    }
}
