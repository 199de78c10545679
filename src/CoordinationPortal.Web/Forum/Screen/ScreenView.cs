using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Web.Forum.Screen;

/// <summary>
/// Everything the room screen of one session shows, read in one go: the session and its group, what the operator set
/// (<see cref="ScreenState"/>), and the panels, each already cut to what is readable from across a room.
/// </summary>
public sealed record ScreenView
{
    public Guid SessionId { get; init; }
    public string SessionTitle { get; init; } = "";
    public SessionState SessionState { get; init; }
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>What "changed since" counts from: the session's start, or its planned start while it has not started.</summary>
    public DateTimeOffset Since { get; init; }

    public Guid GroupId { get; init; }
    public LocalizedText GroupName { get; init; } = new("", "");

    /// <summary>Every member agency now (the heatmap may show fewer): what the push decides a change concerns by.</summary>
    public IReadOnlyList<Guid> MemberAgencies { get; init; } = [];
    public ScreenState State { get; init; } = new();
    public IReadOnlyList<AgendaItem> Agenda { get; init; } = [];
    public IReadOnlyList<HeatmapRow> Heatmap { get; init; } = [];

    /// <summary>Member agencies left off the heatmap (the weakest are shown when there are too many).</summary>
    public int HeatmapMore { get; init; }

    public IReadOnlyList<ScreenFlag> Flags { get; init; } = [];
    public int FlagsMore { get; init; }
    public IReadOnlyList<ScreenActionItem> ActionItems { get; init; } = [];
    public int ActionItemsMore { get; init; }
    public IReadOnlyList<ScreenChange> Changes { get; init; } = [];
    public int ChangesMore { get; init; }

    /// <summary>When the data was read, in the portal's time zone: the screen's "data as of" stamp.</summary>
    public DateTimeOffset AsOf { get; init; }

    public DateOnly Today { get; init; }

    /// <summary>The poll the operator shows, as the room may see it (results only once revealed); null when none or not this session's.</summary>
    public Polls.PollView? Poll { get; init; }

    /// <summary>The portal's address as the screen reached it (scheme, host, base path): the voting address the poll's QR code carries.</summary>
    public string? Origin { get; init; }
}

/// <summary>One member agency's row: its layer scores (0–100) in <see cref="Layers.All"/> order, null where unassessed.</summary>
public sealed record HeatmapRow(Guid AgencyId, string Agency, IReadOnlyList<double?> Scores);

/// <summary>An open flag of a member agency, with its one-line explanation in both languages.</summary>
public sealed record ScreenFlag(Guid FlagId, Guid AgencyId, string Agency, FlagSeverity Severity, IReadOnlyList<Layer> Layers, LocalizedText Explanation, DateTimeOffset RaisedAt);

/// <summary>An open action item of the group due within a week or overdue; <see cref="DaysOverdue"/> is 0 when not yet due.</summary>
public sealed record ScreenActionItem(Guid ActionItemId, string Title, Guid AgencyId, string Agency, Layer Layer, DateOnly DueDate, int DaysOverdue, ActionStatus Status);

public enum ScreenChangeKind
{
    Assessed,
    FlagRaised,
    FlagResolved,
    ActionItemDone,
}

/// <summary>
/// One thing that happened since the session started, from the event history: an assessment (indicator, layer, old →
/// new level; <see cref="FromLevel"/> null for a first assessment), a flag raised or resolved, an action item done.
/// </summary>
public sealed record ScreenChange(
    ScreenChangeKind Kind,
    DateTimeOffset At,
    Guid AgencyId,
    string Agency,
    LocalizedText Subject,
    Layer? Layer = null,
    int? FromLevel = null,
    int? ToLevel = null,
    FlagSeverity? Severity = null);
