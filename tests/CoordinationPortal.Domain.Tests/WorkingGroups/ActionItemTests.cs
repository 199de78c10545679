using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>Recording an action item, its status, and its due date, through <see cref="ActionItemDecider"/>.</summary>
public sealed class ActionItemTests
{
    private const string Title = "Publish the shared GPU booking policy";
    private static readonly DateOnly Due = new(2026, 4, 30);
    private static readonly ActionItemReferences AllFound = new(true, true, true, Layer.Compute);

    private static RecordActionItem Record(
        string title = Title, Guid? sessionId = null, Guid? flagId = null, ActionTarget? target = null, DateOnly? due = null,
        ActionItemReferences? references = null, Layer layer = Layer.Compute, string? owner = Lead) =>
        new(ActionItemId, GroupId, sessionId, title, Meity, owner, layer, flagId, target, due ?? Due, references ?? AllFound, Chair, Now);

    private static ActionItemRecorded RecordedNow(Guid? sessionId = null, Guid? flagId = null, ActionTarget? target = null, DateOnly? due = null) =>
        new(ActionItemId, GroupId, sessionId, Title, Meity, Lead, Layer.Compute, flagId, target, due ?? Due, Chair, Now);

    // Recording

    [Fact]
    public void an_action_item_is_recorded_with_its_texts_trimmed() =>
        Items.Given()
            .When(Record("  " + Title + " ", SessionId, FlagId, new ActionTarget("compute-1", 3), owner: " " + Lead))
            .Then(RecordedNow(SessionId, FlagId, new ActionTarget("compute-1", 3)));

    [Fact]
    public void an_action_item_may_be_recorded_with_a_due_date_in_the_past() =>
        Items.Given()
            .When(Record(due: Today.AddDays(-30)))
            .Then(RecordedNow(due: Today.AddDays(-30)));

    [Fact]
    public void the_recorded_item_is_open_with_its_first_history_line()
    {
        var item = ActionItem.Fold([RecordedNow()])!;

        Assert.Equal(ActionStatus.Open, item.Status);
        Assert.True(item.IsOpen);
        Assert.Equal([new StatusChange(ActionStatus.Open, null, Chair, Now)], item.History);
        Assert.Null(item.Proposal);
    }

    [Fact]
    public void a_blank_owner_is_no_owner() =>
        Items.Given().When(Record(owner: "  ")).Then(RecordedNow() with { Owner = null });

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void an_action_item_needs_a_title(string title) =>
        Items.Given().When(Record(title)).ThenRefused(new DomainError("WorkingGroup.TextRequired", "title"));

    [Fact]
    public void an_agency_that_is_not_a_member_cannot_own_an_item() =>
        Items.Given()
            .When(Record(references: AllFound with { AgencyIsMember = false }))
            .ThenRefused(new DomainError("WorkingGroup.AgencyNotMember", "agencyId"));

    [Fact]
    public void a_session_of_another_group_is_refused() =>
        Items.Given()
            .When(Record(sessionId: SessionId, references: AllFound with { SessionInGroup = false }))
            .ThenRefused(new DomainError("WorkingGroup.SessionNotInGroup", "sessionId"));

    [Fact]
    public void without_a_session_or_a_flag_their_checks_do_not_apply() =>
        Items.Given()
            .When(Record(references: AllFound with { SessionInGroup = false, FlagOfAgency = false }))
            .Then(RecordedNow());

    [Fact]
    public void a_flag_of_another_agency_is_refused() =>
        Items.Given()
            .When(Record(flagId: FlagId, references: AllFound with { FlagOfAgency = false }))
            .ThenRefused(new DomainError("ActionItem.FlagNotOfAgency", "flagId"));

    [Fact]
    public void a_target_on_an_unknown_indicator_is_refused() =>
        Items.Given()
            .When(Record(target: new ActionTarget("compute-99", 3), references: AllFound with { IndicatorLayer = null }))
            .ThenRefused(new DomainError("Indicator.Unknown", "indicatorId"));

    [Fact]
    public void a_target_on_an_indicator_of_another_layer_is_refused() =>
        Items.Given()
            .When(Record(target: new ActionTarget("data-1", 3), references: AllFound with { IndicatorLayer = Layer.Data }))
            .ThenRefused(new DomainError("ActionItem.TargetNotInLayer", "indicatorId"));

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void a_target_level_is_from_one_to_five(int level) =>
        Items.Given()
            .When(Record(target: new ActionTarget("compute-1", level)))
            .ThenRefused(new DomainError("Level.OutOfRange", "targetLevel"));

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void target_levels_one_and_five_are_accepted(int level) =>
        Items.Given().When(Record(target: new ActionTarget("compute-1", level))).Then(RecordedNow(target: new ActionTarget("compute-1", level)));

    [Fact]
    public void an_unknown_layer_is_refused() =>
        Items.Given().When(Record(layer: (Layer)12)).ThenRefused(new DomainError("ActionItem.LayerUnknown", "layer"));

    [Theory]
    [InlineData(1999)]
    [InlineData(2101)]
    public void an_implausible_due_date_is_refused(int year) =>
        Items.Given().When(Record(due: new DateOnly(year, 1, 1))).ThenRefused(new DomainError("ActionItem.DueDateImplausible", "dueDate"));

    [Fact]
    public void an_action_item_is_recorded_once() =>
        Items.Given(ItemRecorded()).When(Record()).ThenRejectedWith("ActionItem.AlreadyRecorded");

    [Fact]
    public void nothing_but_recording_is_decided_for_an_item_that_does_not_exist() =>
        Items.Given().When(new ChangeActionStatus(ActionItemId, ActionStatus.Done, null, Lead, Now)).ThenRejectedWith("ActionItem.NotFound");

    // Status

    [Fact]
    public void an_open_item_goes_in_progress_then_done()
    {
        Items.Given(ItemRecorded())
            .When(new ChangeActionStatus(ActionItemId, ActionStatus.InProgress, null, Lead, Now))
            .Then(new ActionItemStatusChanged(ActionItemId, ActionStatus.InProgress, null, Lead, Now));
        Items.Given(ItemRecorded(), StatusChanged(ActionStatus.InProgress))
            .When(new ChangeActionStatus(ActionItemId, ActionStatus.Done, "  Policy published on the portal. ", Lead, Now))
            .Then(new ActionItemStatusChanged(ActionItemId, ActionStatus.Done, "Policy published on the portal.", Lead, Now));

        var item = ActionItem.Fold([ItemRecorded(), StatusChanged(ActionStatus.InProgress), StatusChanged(ActionStatus.Done, at: Now)])!;
        Assert.Equal(ActionStatus.Done, item.Status);
        Assert.False(item.IsOpen);
        Assert.Equal(Now, item.DoneAt);
        Assert.Equal([ActionStatus.Open, ActionStatus.InProgress, ActionStatus.Done], item.History.Select(h => h.Status));
    }

    [Fact]
    public void an_open_item_may_be_done_at_once() =>
        Items.Given(ItemRecorded())
            .When(new ChangeActionStatus(ActionItemId, ActionStatus.Done, null, Lead, Now))
            .Then(new ActionItemStatusChanged(ActionItemId, ActionStatus.Done, null, Lead, Now));

    [Fact]
    public void an_item_in_progress_may_go_back_to_open_without_a_note() =>
        Items.Given(ItemRecorded(), StatusChanged(ActionStatus.InProgress))
            .When(new ChangeActionStatus(ActionItemId, ActionStatus.Open, null, Lead, Now))
            .Then(new ActionItemStatusChanged(ActionItemId, ActionStatus.Open, null, Lead, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void dropping_an_item_needs_a_reason(string? note) =>
        Items.Given(ItemRecorded())
            .When(new ChangeActionStatus(ActionItemId, ActionStatus.Dropped, note, Chair, Now))
            .ThenRefused(new DomainError("ActionItem.DropReasonRequired", "note"));

    [Fact]
    public void a_dropped_item_keeps_its_reason()
    {
        Items.Given(ItemRecorded())
            .When(new ChangeActionStatus(ActionItemId, ActionStatus.Dropped, " Superseded by decision 4. ", Chair, Now))
            .Then(new ActionItemStatusChanged(ActionItemId, ActionStatus.Dropped, "Superseded by decision 4.", Chair, Now));

        var item = ActionItem.Fold([ItemRecorded(), StatusChanged(ActionStatus.Dropped, "Superseded by decision 4.")])!;
        Assert.Equal("Superseded by decision 4.", item.DropReason);
        Assert.False(item.IsOpen);
        Assert.Null(item.DoneAt);
    }

    [Theory]
    [InlineData(ActionStatus.Done, ActionStatus.Open)]
    [InlineData(ActionStatus.Done, ActionStatus.InProgress)]
    [InlineData(ActionStatus.Dropped, ActionStatus.Open)]
    [InlineData(ActionStatus.Dropped, ActionStatus.InProgress)]
    public void reopening_a_closed_item_needs_a_note(ActionStatus closed, ActionStatus reopened)
    {
        object[] history = [ItemRecorded(), StatusChanged(closed, "Closed for now.")];

        Items.Given(history)
            .When(new ChangeActionStatus(ActionItemId, reopened, " ", Lead, Now))
            .ThenRefused(new DomainError("ActionItem.ReopenNoteRequired", "note"));
        Items.Given(history)
            .When(new ChangeActionStatus(ActionItemId, reopened, "The audit found gaps.", Lead, Now))
            .Then(new ActionItemStatusChanged(ActionItemId, reopened, "The audit found gaps.", Lead, Now));
    }

    [Fact]
    public void a_reopened_item_is_open_again_and_no_longer_done()
    {
        var item = ActionItem.Fold([ItemRecorded(), StatusChanged(ActionStatus.Done), StatusChanged(ActionStatus.Open, "The audit found gaps.")])!;

        Assert.True(item.IsOpen);
        Assert.Null(item.DoneAt);
    }

    [Fact]
    public void a_dropped_item_cannot_be_done_without_being_reopened() =>
        Items.Given(ItemRecorded(), StatusChanged(ActionStatus.Dropped, "Superseded."))
            .When(new ChangeActionStatus(ActionItemId, ActionStatus.Done, "Done after all.", Lead, Now))
            .ThenRefused(new DomainError("ActionItem.DroppedNotDone", "status"));

    [Fact]
    public void a_done_item_may_be_dropped_with_a_reason() =>
        Items.Given(ItemRecorded(), StatusChanged(ActionStatus.Done))
            .When(new ChangeActionStatus(ActionItemId, ActionStatus.Dropped, "Counted twice.", Chair, Now))
            .Then(new ActionItemStatusChanged(ActionItemId, ActionStatus.Dropped, "Counted twice.", Chair, Now));

    [Theory]
    [InlineData(ActionStatus.Open)]
    [InlineData(ActionStatus.InProgress)]
    [InlineData(ActionStatus.Done)]
    [InlineData(ActionStatus.Dropped)]
    public void the_same_status_again_records_nothing(ActionStatus status)
    {
        object[] history = status == ActionStatus.Open ? [ItemRecorded()] : [ItemRecorded(), StatusChanged(status, "Reason.")];

        Items.Given(history).When(new ChangeActionStatus(ActionItemId, status, null, Lead, Now)).ThenNothingHappens();
    }

    [Fact]
    public void an_unknown_status_is_refused() =>
        Items.Given(ItemRecorded())
            .When(new ChangeActionStatus(ActionItemId, (ActionStatus)9, "Note.", Lead, Now))
            .ThenRefused(new DomainError("ActionItem.StatusUnknown", "status"));

    [Fact]
    public void a_note_has_a_length_limit() =>
        Items.Given(ItemRecorded())
            .When(new ChangeActionStatus(ActionItemId, ActionStatus.InProgress, Text(ActionItemDecider.MaxNoteLength + 1), Lead, Now))
            .ThenRefused(new DomainError("WorkingGroup.TextTooLong", "note"));

    // Due date

    [Fact]
    public void an_open_item_is_rescheduled_with_a_reason()
    {
        var next = new DateOnly(2026, 6, 30);
        Items.Given(ItemRecorded())
            .When(new RescheduleActionItem(ActionItemId, next, " Vendor delay. ", Chair, Now))
            .Then(new ActionItemRescheduled(ActionItemId, next, "Vendor delay.", Chair, Now));

        Assert.Equal(next, ActionItem.Fold([ItemRecorded(), new ActionItemRescheduled(ActionItemId, next, "Vendor delay.", Chair, Now)])!.DueDate);
    }

    [Theory]
    [InlineData(ActionStatus.Done)]
    [InlineData(ActionStatus.Dropped)]
    public void a_closed_item_is_not_rescheduled(ActionStatus closed) =>
        Items.Given(ItemRecorded(), StatusChanged(closed, "Reason."))
            .When(new RescheduleActionItem(ActionItemId, new DateOnly(2026, 6, 30), "Vendor delay.", Chair, Now))
            .ThenRefused(new DomainError("ActionItem.Closed"));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void rescheduling_needs_a_reason(string? reason) =>
        Items.Given(ItemRecorded())
            .When(new RescheduleActionItem(ActionItemId, new DateOnly(2026, 6, 30), reason!, Chair, Now))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", "reason"));

    [Fact]
    public void rescheduling_to_the_same_date_records_nothing() =>
        Items.Given(ItemRecorded())
            .When(new RescheduleActionItem(ActionItemId, ItemRecorded().DueDate, "No change.", Chair, Now))
            .ThenNothingHappens();

    [Fact]
    public void rescheduling_to_an_implausible_date_is_refused() =>
        Items.Given(ItemRecorded())
            .When(new RescheduleActionItem(ActionItemId, new DateOnly(2200, 1, 1), "Far away.", Chair, Now))
            .ThenRefused(new DomainError("ActionItem.DueDateImplausible", "dueDate"));

    [Fact]
    public void an_item_is_overdue_only_after_its_due_date()
    {
        var due = new DateOnly(2026, 3, 31);
        var item = ActionItem.Fold([ItemRecorded(due: due)])!;

        Assert.False(item.IsOverdue(due.AddDays(-1)));
        Assert.Equal(0, item.DaysOverdue(due.AddDays(-1)));
        Assert.False(item.IsOverdue(due));
        Assert.Equal(0, item.DaysOverdue(due));
        Assert.True(item.IsOverdue(due.AddDays(1)));
        Assert.Equal(1, item.DaysOverdue(due.AddDays(1)));
        Assert.Equal(45, item.DaysOverdue(due.AddDays(45)));
    }

    [Fact]
    public void an_item_in_progress_is_still_overdue() =>
        Assert.Equal(10, ActionItem.Fold([ItemRecorded(due: Today.AddDays(-10)), StatusChanged(ActionStatus.InProgress)])!.DaysOverdue(Today));

    [Theory]
    [InlineData(ActionStatus.Done)]
    [InlineData(ActionStatus.Dropped)]
    public void a_closed_item_is_never_overdue(ActionStatus closed)
    {
        var item = ActionItem.Fold([ItemRecorded(due: Today.AddDays(-10)), StatusChanged(closed, "Reason.")])!;

        Assert.False(item.IsOverdue(Today));
        Assert.Equal(0, item.DaysOverdue(Today));
    }
}
