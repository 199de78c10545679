using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>The portal proposes an item as done when its target is reached or its flag resolves; only a person closes it.</summary>
public sealed class ProposalTests
{
    private const string Portal = "system";
    private static readonly ActionTarget Target = new("compute-1", 3);
    private static readonly DateTimeOffset FactSeen = At(2026, 3, 9);
    private static readonly DateTimeOffset Dismissed = At(2026, 3, 8);

    private static ActionItem Item(params object[] after) => ActionItem.Fold([ItemRecorded(Target, FlagId), .. after])!;

    private static ActionItemProposedDone ProposedDone(ProposalReason reason = ProposalReason.TargetReached) => new(ActionItemId, reason, At(2026, 3, 7));

    private static ActionItemProposalDismissed ProposalDismissed() => new(ActionItemId, "Only one of three sites is done.", Lead, Dismissed);

    [Theory]
    [InlineData(ProposalReason.TargetReached)]
    [InlineData(ProposalReason.FlagResolved)]
    public void an_open_item_with_a_target_and_a_flag_is_proposed_for_either_fact(ProposalReason reason) =>
        Assert.True(ActionItemDecider.ShouldPropose(Item(), reason, FactSeen));

    [Fact]
    public void a_reached_target_proposes_only_an_item_that_has_a_target()
    {
        Assert.True(ActionItemDecider.ShouldPropose(ActionItem.Fold([ItemRecorded(target: Target)])!, ProposalReason.TargetReached, FactSeen));
        Assert.False(ActionItemDecider.ShouldPropose(ActionItem.Fold([ItemRecorded(flagId: FlagId)])!, ProposalReason.TargetReached, FactSeen));
    }

    [Fact]
    public void a_resolved_flag_proposes_only_an_item_that_answers_a_flag()
    {
        Assert.True(ActionItemDecider.ShouldPropose(ActionItem.Fold([ItemRecorded(flagId: FlagId)])!, ProposalReason.FlagResolved, FactSeen));
        Assert.False(ActionItemDecider.ShouldPropose(ActionItem.Fold([ItemRecorded(target: Target)])!, ProposalReason.FlagResolved, FactSeen));
    }

    [Fact]
    public void an_unknown_reason_proposes_nothing() =>
        Assert.False(ActionItemDecider.ShouldPropose(Item(), (ProposalReason)7, FactSeen));

    [Fact]
    public void an_item_in_progress_is_proposed() =>
        Assert.True(ActionItemDecider.ShouldPropose(Item(StatusChanged(ActionStatus.InProgress)), ProposalReason.TargetReached, FactSeen));

    [Theory]
    [InlineData(ActionStatus.Done)]
    [InlineData(ActionStatus.Dropped)]
    public void a_closed_item_is_not_proposed(ActionStatus closed) =>
        Assert.False(ActionItemDecider.ShouldPropose(Item(StatusChanged(closed, "Reason.")), ProposalReason.TargetReached, FactSeen));

    [Fact]
    public void an_item_already_proposed_is_not_proposed_twice() =>
        Assert.False(ActionItemDecider.ShouldPropose(Item(ProposedDone()), ProposalReason.FlagResolved, FactSeen));

    [Fact]
    public void after_a_dismissal_only_a_newer_fact_proposes_again()
    {
        var item = Item(ProposedDone(), ProposalDismissed());

        Assert.False(ActionItemDecider.ShouldPropose(item, ProposalReason.TargetReached, Dismissed.AddDays(-1)));
        Assert.False(ActionItemDecider.ShouldPropose(item, ProposalReason.TargetReached, Dismissed));
        Assert.True(ActionItemDecider.ShouldPropose(item, ProposalReason.TargetReached, Dismissed.AddMinutes(1)));
    }

    [Fact]
    public void the_portal_proposes_an_item_as_done_and_it_stays_open()
    {
        Items.Given(ItemRecorded(Target, FlagId))
            .When(new ProposeDone(ActionItemId, ProposalReason.TargetReached, FactSeen, Portal, Now))
            .Then(new ActionItemProposedDone(ActionItemId, ProposalReason.TargetReached, Now));

        var item = Item(new ActionItemProposedDone(ActionItemId, ProposalReason.TargetReached, Now));
        Assert.Equal(ProposalReason.TargetReached, item.Proposal);
        Assert.Equal(Now, item.ProposedAt);
        Assert.Equal(ActionStatus.Open, item.Status);
        Assert.True(item.IsOpen);
    }

    [Fact]
    public void proposing_again_records_nothing() =>
        Items.Given(ItemRecorded(Target, FlagId), ProposedDone())
            .When(new ProposeDone(ActionItemId, ProposalReason.FlagResolved, FactSeen, Portal, Now))
            .ThenNothingHappens();

    [Fact]
    public void proposing_what_does_not_apply_records_nothing() =>
        Items.Given(ItemRecorded())
            .When(new ProposeDone(ActionItemId, ProposalReason.TargetReached, FactSeen, Portal, Now))
            .ThenNothingHappens();

    [Fact]
    public void proposing_a_closed_item_records_nothing() =>
        Items.Given(ItemRecorded(Target, FlagId), StatusChanged(ActionStatus.Done))
            .When(new ProposeDone(ActionItemId, ProposalReason.TargetReached, FactSeen, Portal, Now))
            .ThenNothingHappens();

    [Fact]
    public void after_a_dismissal_the_portal_proposes_again_only_for_a_newer_fact()
    {
        Items.Given(ItemRecorded(Target, FlagId), ProposedDone(), ProposalDismissed())
            .When(new ProposeDone(ActionItemId, ProposalReason.TargetReached, Dismissed.AddHours(-1), Portal, Now))
            .ThenNothingHappens();
        Items.Given(ItemRecorded(Target, FlagId), ProposedDone(), ProposalDismissed())
            .When(new ProposeDone(ActionItemId, ProposalReason.TargetReached, FactSeen, Portal, Now))
            .Then(new ActionItemProposedDone(ActionItemId, ProposalReason.TargetReached, Now));
    }

    [Fact]
    public void a_person_dismisses_a_proposal_with_a_note()
    {
        Items.Given(ItemRecorded(Target, FlagId), ProposedDone())
            .When(new DismissProposal(ActionItemId, " Only one of three sites is done. ", Lead, Dismissed))
            .Then(new ActionItemProposalDismissed(ActionItemId, "Only one of three sites is done.", Lead, Dismissed));

        var item = Item(ProposedDone(), ProposalDismissed());
        Assert.Null(item.Proposal);
        Assert.Null(item.ProposedAt);
        Assert.Equal(Dismissed, item.DismissedAt);
        Assert.True(item.IsOpen);
    }

    [Fact]
    public void a_dismissal_needs_no_note() =>
        Items.Given(ItemRecorded(Target, FlagId), ProposedDone())
            .When(new DismissProposal(ActionItemId, "  ", Lead, Dismissed))
            .Then(new ActionItemProposalDismissed(ActionItemId, null, Lead, Dismissed));

    [Fact]
    public void only_a_proposal_is_dismissed()
    {
        Items.Given(ItemRecorded(Target, FlagId))
            .When(new DismissProposal(ActionItemId, null, Lead, Now))
            .ThenRejectedWith("ActionItem.NoProposal");
        Items.Given(ItemRecorded(Target, FlagId), ProposedDone(), ProposalDismissed())
            .When(new DismissProposal(ActionItemId, null, Lead, Now))
            .ThenRejectedWith("ActionItem.NoProposal");
    }

    [Fact]
    public void confirming_an_item_done_clears_the_proposal()
    {
        var item = Item(ProposedDone(), StatusChanged(ActionStatus.Done, at: Now));

        Assert.Null(item.Proposal);
        Assert.Null(item.ProposedAt);
        Assert.Equal(ActionStatus.Done, item.Status);
        Items.Given(ItemRecorded(Target, FlagId), ProposedDone(), StatusChanged(ActionStatus.Done, at: Now))
            .When(new DismissProposal(ActionItemId, null, Lead, Now))
            .ThenRejectedWith("ActionItem.NoProposal");
    }

    [Fact]
    public void the_target_is_reached_at_its_level_and_above()
    {
        var item = ActionItem.Fold([ItemRecorded(target: Target)])!;

        Assert.False(ActionItemDecider.TargetReached(item, Target.Level - 1));
        Assert.True(ActionItemDecider.TargetReached(item, Target.Level));
        Assert.True(ActionItemDecider.TargetReached(item, Target.Level + 1));
        Assert.False(ActionItemDecider.TargetReached(item, null));
    }

    [Fact]
    public void an_item_without_a_target_never_reaches_one() =>
        Assert.False(ActionItemDecider.TargetReached(ActionItem.Fold([ItemRecorded()])!, 5));
}
