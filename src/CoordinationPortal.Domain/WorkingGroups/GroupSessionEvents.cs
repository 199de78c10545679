namespace CoordinationPortal.Domain.WorkingGroups;

public enum SessionState
{
    Planned,
    InProgress,
    MinutesDrafted,
    MinutesApproved,
    Cancelled,
}

/// <summary>
/// One item of a session's agenda. It may point at an agency, a layer or a flag; <see cref="ActionItemId"/> marks an
/// open action item carried forward from earlier sessions.
/// </summary>
public sealed record AgendaItem(
    Guid Id,
    string Title,
    int DurationMinutes,
    string? Presenter,
    Guid? AgencyId = null,
    Layer? Layer = null,
    Guid? FlagId = null,
    Guid? ActionItemId = null);

/// <summary>Someone who attended: a person's name and the agency they came for (null for an independent member).</summary>
public sealed record Attendee(string Name, Guid? AgencyId);

// One stream per session of a working group.

public sealed record SessionScheduled(
    Guid SessionId,
    Guid GroupId,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? Place,
    string? Link,
    IReadOnlyList<AgendaItem> Agenda,
    string By,
    DateTimeOffset At);

public sealed record SessionAgendaChanged(Guid SessionId, IReadOnlyList<AgendaItem> Agenda, string By, DateTimeOffset At);

/// <summary>Open action items of the group put on the agenda (at scheduling and again when the session starts).</summary>
public sealed record ActionItemsCarriedForward(Guid SessionId, IReadOnlyList<AgendaItem> Items, DateTimeOffset At);

public sealed record SessionStarted(Guid SessionId, string By, DateTimeOffset At);

public sealed record SessionCancelled(Guid SessionId, string Reason, string By, DateTimeOffset At);

public sealed record AttendanceRecorded(Guid SessionId, IReadOnlyList<Attendee> Attendees, string By, DateTimeOffset At);

/// <summary>The minutes, in Markdown, as drafted (a later draft replaces an earlier one until approval).</summary>
public sealed record MinutesDrafted(Guid SessionId, string Markdown, string By, DateTimeOffset At);

/// <summary>The minutes are approved and from now on never change; corrections are amendments.</summary>
public sealed record MinutesApproved(Guid SessionId, string By, DateTimeOffset At);

/// <summary>A correction to approved minutes: what it says (Markdown), why, who and when. Numbered from 1.</summary>
public sealed record MinutesAmended(Guid SessionId, int Number, string Markdown, string Reason, string By, DateTimeOffset At);
