namespace CoordinationPortal.Domain.WorkingGroups;

public enum ActionStatus
{
    Open,
    InProgress,
    Done,
    Dropped,
}

/// <summary>Why the portal proposes an action item as done: its target indicator reached the level, or its flag resolved.</summary>
public enum ProposalReason
{
    TargetReached,
    FlagResolved,
}

/// <summary>What an action item aims at: an indicator of the owner agency reaching a level.</summary>
public sealed record ActionTarget(string IndicatorId, int Level);

// One stream per action item: recorded (possibly after its due date: minutes are typed up later), its status changes
// by people, and the portal's proposals that it is done, which only a person confirms.

public sealed record ActionItemRecorded(
    Guid ActionItemId,
    Guid GroupId,
    Guid? SessionId,
    string Title,
    Guid AgencyId,
    string? Owner,
    Layer Layer,
    Guid? FlagId,
    ActionTarget? Target,
    DateOnly DueDate,
    string By,
    DateTimeOffset At);

/// <summary>A person changed the status. <see cref="Note"/> is required to drop an item (the reason) or to reopen one.</summary>
public sealed record ActionItemStatusChanged(Guid ActionItemId, ActionStatus Status, string? Note, string By, DateTimeOffset At);

public sealed record ActionItemRescheduled(Guid ActionItemId, DateOnly DueDate, string Reason, string By, DateTimeOffset At);

/// <summary>The portal saw the target reached or the flag resolved: it proposes the item as done. It never closes it.</summary>
public sealed record ActionItemProposedDone(Guid ActionItemId, ProposalReason Reason, DateTimeOffset At);

/// <summary>A person said the proposal does not hold (the work is not done yet).</summary>
public sealed record ActionItemProposalDismissed(Guid ActionItemId, string? Note, string By, DateTimeOffset At);
