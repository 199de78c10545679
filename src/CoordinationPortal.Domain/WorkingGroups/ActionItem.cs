namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>A status change as the item's history shows it.</summary>
public sealed record StatusChange(ActionStatus Status, string? Note, string By, DateTimeOffset At);

/// <summary>An action item: the state folded from its stream.</summary>
public sealed record ActionItem
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public Guid GroupId { get; init; }
    public Guid? SessionId { get; init; }
    public string Title { get; init; } = "";
    public Guid AgencyId { get; init; }
    public string? Owner { get; init; }
    public Layer Layer { get; init; }
    public Guid? FlagId { get; init; }
    public ActionTarget? Target { get; init; }
    public DateOnly DueDate { get; init; }
    public ActionStatus Status { get; init; }
    public string RecordedBy { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>When it was last marked done (null unless <see cref="Status"/> is done).</summary>
    public DateTimeOffset? DoneAt { get; init; }

    /// <summary>When its status last changed (or it was recorded): a store finds what was open at a moment without the history.</summary>
    public DateTimeOffset LastStatusAt { get; init; }

    /// <summary>When it was last closed, done or dropped (null while open): lets a store find what was open at a past moment.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The reason it was dropped (null unless dropped).</summary>
    public string? DropReason { get; init; }

    /// <summary>Why the portal proposes it as done, until a person confirms or dismisses the proposal.</summary>
    public ProposalReason? Proposal { get; init; }

    public DateTimeOffset? ProposedAt { get; init; }

    /// <summary>When a person last dismissed a proposal: only a newer fact proposes it again.</summary>
    public DateTimeOffset? DismissedAt { get; init; }

    public IReadOnlyList<StatusChange> History { get; init; } = [];

    /// <summary>Open or in progress: it still counts as a commitment.</summary>
    public bool IsOpen => Status is ActionStatus.Open or ActionStatus.InProgress;

    /// <summary>Past its due date and not done or dropped, as of <paramref name="today"/>.</summary>
    public bool IsOverdue(DateOnly today) => IsOpen && DueDate < today;

    public int DaysOverdue(DateOnly today) => IsOverdue(today) ? today.DayNumber - DueDate.DayNumber : 0;

    /// <summary>
    /// Whether it was open (recorded, and neither done nor dropped) at <paramref name="moment"/>, from its status
    /// history: what a replay of the past evaluates. The due date is the current one (a reschedule is not dated back).
    /// </summary>
    public bool WasOpenAt(DateTimeOffset moment)
    {
        StatusChange? last = null;
        foreach (var change in History)
        {
            if (change.At <= moment)
            {
                last = change;
            }
        }

        return last is { Status: ActionStatus.Open or ActionStatus.InProgress };
    }

    public static ActionItem Recorded(ActionItemRecorded e) => new()
    {
        Id = e.ActionItemId,
        Version = 1,
        GroupId = e.GroupId,
        SessionId = e.SessionId,
        Title = e.Title,
        AgencyId = e.AgencyId,
        Owner = e.Owner,
        Layer = e.Layer,
        FlagId = e.FlagId,
        Target = e.Target,
        DueDate = e.DueDate,
        Status = ActionStatus.Open,
        RecordedBy = e.By,
        RecordedAt = e.At,
        LastStatusAt = e.At,
        History = [new StatusChange(ActionStatus.Open, null, e.By, e.At)],
    };

    public static ActionItem? Evolve(ActionItem? state, object @event)
    {
        if (state is null)
        {
            return @event is ActionItemRecorded recorded ? Recorded(recorded) : null;
        }

        var next = @event switch
        {
            ActionItemStatusChanged e => state with
            {
                Status = e.Status,
                DoneAt = e.Status == ActionStatus.Done ? e.At : null,
                ClosedAt = e.Status is ActionStatus.Done or ActionStatus.Dropped ? e.At : null,
                LastStatusAt = e.At,
                DropReason = e.Status == ActionStatus.Dropped ? e.Note : null,
                Proposal = null,
                ProposedAt = null,
                History = [.. state.History, new StatusChange(e.Status, e.Note, e.By, e.At)],
            },
            ActionItemRescheduled e => state with { DueDate = e.DueDate },
            ActionItemProposedDone e => state with { Proposal = e.Reason, ProposedAt = e.At },
            ActionItemProposalDismissed e => state with { Proposal = null, ProposedAt = null, DismissedAt = e.At },
            _ => state,
        };
        return next with { Version = state.Version + 1 };
    }

    public static ActionItem? Fold(IEnumerable<object> events) => events.Aggregate((ActionItem?)null, Evolve);
}
