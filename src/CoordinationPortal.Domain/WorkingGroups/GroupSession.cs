namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>A correction to approved minutes.</summary>
public sealed record Amendment(int Number, string Markdown, string Reason, string By, DateTimeOffset At);

/// <summary>A session of a working group: the state folded from its stream.</summary>
public sealed record GroupSession
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public Guid GroupId { get; init; }
    public string Title { get; init; } = "";
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset EndsAt { get; init; }
    public string? Place { get; init; }
    public string? Link { get; init; }
    public IReadOnlyList<AgendaItem> Agenda { get; init; } = [];
    public IReadOnlyList<Attendee> Attendees { get; init; } = [];
    public SessionState State { get; init; }
    public string? CancelReason { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? Minutes { get; init; }
    public string? MinutesDraftedBy { get; init; }
    public DateTimeOffset? MinutesDraftedAt { get; init; }
    public string? MinutesApprovedBy { get; init; }
    public DateTimeOffset? MinutesApprovedAt { get; init; }
    public IReadOnlyList<Amendment> Amendments { get; init; } = [];
    public string ScheduledBy { get; init; } = "";

    /// <summary>Minutes are immutable once approved: only amendments follow.</summary>
    public bool MinutesAreApproved => State == SessionState.MinutesApproved;

    public static GroupSession Scheduled(SessionScheduled e) => new()
    {
        Id = e.SessionId,
        Version = 1,
        GroupId = e.GroupId,
        Title = e.Title,
        StartsAt = e.StartsAt,
        EndsAt = e.EndsAt,
        Place = e.Place,
        Link = e.Link,
        Agenda = e.Agenda,
        State = SessionState.Planned,
        ScheduledBy = e.By,
    };

    public static GroupSession? Evolve(GroupSession? state, object @event)
    {
        if (state is null)
        {
            return @event is SessionScheduled scheduled ? Scheduled(scheduled) : null;
        }

        var next = @event switch
        {
            SessionAgendaChanged e => state with { Agenda = e.Agenda },
            ActionItemsCarriedForward e => state with { Agenda = [.. state.Agenda, .. e.Items] },
            SessionStarted e => state with { State = SessionState.InProgress, StartedAt = e.At },
            SessionCancelled e => state with { State = SessionState.Cancelled, CancelReason = e.Reason },
            AttendanceRecorded e => state with { Attendees = e.Attendees },
            MinutesDrafted e => state with { State = SessionState.MinutesDrafted, Minutes = e.Markdown, MinutesDraftedBy = e.By, MinutesDraftedAt = e.At },
            MinutesApproved e => state with { State = SessionState.MinutesApproved, MinutesApprovedBy = e.By, MinutesApprovedAt = e.At },
            MinutesAmended e => state with { Amendments = [.. state.Amendments, new Amendment(e.Number, e.Markdown, e.Reason, e.By, e.At)] },
            _ => state,
        };
        return next with { Version = state.Version + 1 };
    }

    public static GroupSession? Fold(IEnumerable<object> events) => events.Aggregate((GroupSession?)null, Evolve);
}
