namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>
/// What the handler found about the references of a new action item: whether the agency is a member of the group,
/// the session one of the group's, the flag one of the agency's, and which layer the target indicator is in (null when
/// the framework has no such indicator).
/// </summary>
public sealed record ActionItemReferences(bool AgencyIsMember, bool SessionInGroup, bool FlagOfAgency, Layer? IndicatorLayer);

public abstract record ActionItemCommand(Guid ActionItemId, string By, DateTimeOffset At);

public sealed record RecordActionItem(
    Guid ActionItemId, Guid GroupId, Guid? SessionId, string Title, Guid AgencyId, string? Owner, Layer Layer, Guid? FlagId,
    ActionTarget? Target, DateOnly DueDate, ActionItemReferences References, string By, DateTimeOffset At) : ActionItemCommand(ActionItemId, By, At);

public sealed record ChangeActionStatus(Guid ActionItemId, ActionStatus Status, string? Note, string By, DateTimeOffset At) : ActionItemCommand(ActionItemId, By, At);

public sealed record RescheduleActionItem(Guid ActionItemId, DateOnly DueDate, string Reason, string By, DateTimeOffset At) : ActionItemCommand(ActionItemId, By, At);

/// <summary>The portal's own command: it saw the target reached or the flag resolved at <see cref="FactAt"/>.</summary>
public sealed record ProposeDone(Guid ActionItemId, ProposalReason Reason, DateTimeOffset FactAt, string By, DateTimeOffset At) : ActionItemCommand(ActionItemId, By, At);

public sealed record DismissProposal(Guid ActionItemId, string? Note, string By, DateTimeOffset At) : ActionItemCommand(ActionItemId, By, At);

/// <summary>
/// Decides what a command means for an action item. An item may be recorded with a due date in the past (minutes are
/// typed up after the meeting). Status moves freely between open and in progress; done and dropped close it (dropping
/// needs a reason); reopening a closed item needs a note. The portal may propose an open item as done, never close it;
/// a dismissed proposal comes back only for a newer fact. Pure.
/// </summary>
public static class ActionItemDecider
{
    public const int MaxNoteLength = 2000;

    public static Decision Decide(ActionItemCommand command, ActionItem? state) => (command, state) switch
    {
        (RecordActionItem c, null) => Record(c),
        (RecordActionItem, not null) => Decision.Reject(new DomainError("ActionItem.AlreadyRecorded")),
        (_, null) => Decision.Reject(new DomainError("ActionItem.NotFound")),
        (ChangeActionStatus c, _) => ChangeStatus(c, state),
        (RescheduleActionItem c, _) => Reschedule(c, state),
        (ProposeDone c, _) => Propose(c, state),
        (DismissProposal c, _) => state.Proposal is null
            ? Decision.Reject(new DomainError("ActionItem.NoProposal"))
            : Decision.Accept(new ActionItemProposalDismissed(c.ActionItemId, Checks.TrimToNull(c.Note), c.By, c.At)),
        _ => throw new NotSupportedException($"No decision for {command.GetType().Name}."),
    };

    private static Decision Record(RecordActionItem c)
    {
        var errors = new List<DomainError>();
        Checks.Required(errors, c.Title, "title", Checks.MaxTitleLength);
        Checks.Optional(errors, c.Owner, "owner", WorkingGroupDecider.MaxNameLength);
        if (!c.References.AgencyIsMember)
        {
            errors.Add(new DomainError("WorkingGroup.AgencyNotMember", "agencyId"));
        }

        if (!Enum.IsDefined(c.Layer))
        {
            errors.Add(new DomainError("ActionItem.LayerUnknown", "layer"));
        }

        if (c.SessionId is not null && !c.References.SessionInGroup)
        {
            errors.Add(new DomainError("WorkingGroup.SessionNotInGroup", "sessionId"));
        }

        if (c.FlagId is not null && !c.References.FlagOfAgency)
        {
            errors.Add(new DomainError("ActionItem.FlagNotOfAgency", "flagId"));
        }

        if (c.Target is { } target)
        {
            if (c.References.IndicatorLayer is not { } layer)
            {
                errors.Add(new DomainError("Indicator.Unknown", "indicatorId"));
            }
            else if (layer != c.Layer)
            {
                errors.Add(new DomainError("ActionItem.TargetNotInLayer", "indicatorId"));
            }

            if (target.Level is < 1 or > 5)
            {
                errors.Add(new DomainError("Level.OutOfRange", "targetLevel"));
            }
        }

        if (!Checks.IsPlausible(c.DueDate))
        {
            errors.Add(new DomainError("ActionItem.DueDateImplausible", "dueDate"));
        }

        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new ActionItemRecorded(
                c.ActionItemId, c.GroupId, c.SessionId, c.Title.Trim(), c.AgencyId, Checks.TrimToNull(c.Owner), c.Layer, c.FlagId,
                c.Target, c.DueDate, c.By, c.At));
    }

    private static Decision ChangeStatus(ChangeActionStatus c, ActionItem state)
    {
        if (!Enum.IsDefined(c.Status))
        {
            return Decision.Reject(new DomainError("ActionItem.StatusUnknown", "status"));
        }

        if (c.Status == state.Status)
        {
            return Decision.Accept();
        }

        var note = Checks.TrimToNull(c.Note);
        var errors = new List<DomainError>();
        Checks.Optional(errors, note, "note", MaxNoteLength);
        if (c.Status == ActionStatus.Dropped && note is null)
        {
            errors.Add(new DomainError("ActionItem.DropReasonRequired", "note"));
        }

        if (!state.IsOpen && c.Status is ActionStatus.Open or ActionStatus.InProgress && note is null)
        {
            errors.Add(new DomainError("ActionItem.ReopenNoteRequired", "note"));
        }

        if (state.Status == ActionStatus.Dropped && c.Status == ActionStatus.Done)
        {
            errors.Add(new DomainError("ActionItem.DroppedNotDone", "status"));
        }

        return errors.Count > 0 ? Decision.Reject(errors) : Decision.Accept(new ActionItemStatusChanged(c.ActionItemId, c.Status, note, c.By, c.At));
    }

    private static Decision Reschedule(RescheduleActionItem c, ActionItem state)
    {
        var errors = new List<DomainError>();
        if (!state.IsOpen)
        {
            errors.Add(new DomainError("ActionItem.Closed"));
        }

        if (!Checks.IsPlausible(c.DueDate))
        {
            errors.Add(new DomainError("ActionItem.DueDateImplausible", "dueDate"));
        }

        Checks.Required(errors, c.Reason, "reason", MaxNoteLength);
        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        return c.DueDate == state.DueDate ? Decision.Accept() : Decision.Accept(new ActionItemRescheduled(c.ActionItemId, c.DueDate, c.Reason.Trim(), c.By, c.At));
    }

    private static Decision Propose(ProposeDone c, ActionItem state) =>
        ShouldPropose(state, c.Reason, c.FactAt) ? Decision.Accept(new ActionItemProposedDone(c.ActionItemId, c.Reason, c.At)) : Decision.Accept();

    /// <summary>
    /// Whether the portal should propose the item as done for a fact seen at <paramref name="factAt"/>: it is open, not
    /// already proposed, and no one dismissed a proposal after that fact (a dismissed proposal returns only for a newer one).
    /// </summary>
    public static bool ShouldPropose(ActionItem item, ProposalReason reason, DateTimeOffset factAt)
    {
        ArgumentNullException.ThrowIfNull(item);
        var applies = reason switch
        {
            ProposalReason.TargetReached => item.Target is not null,
            ProposalReason.FlagResolved => item.FlagId is not null,
            _ => false,
        };
        return applies && item.IsOpen && item.Proposal is null && (item.DismissedAt is not { } dismissed || factAt > dismissed);
    }

    /// <summary>Whether the target of the item is reached at this indicator level.</summary>
    public static bool TargetReached(ActionItem item, int? level) => item.Target is { } t && level is { } l && l >= t.Level;
}
