using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>What a replay of the past sees of an action item: open between its recording and its closing, and again after a reopening.</summary>
public sealed class OpenAtMomentTests
{
    private static readonly DateTimeOffset Recorded = new(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(5.5));

    private static ActionItem Item(params object[] later) => ActionItem.Fold([
        new ActionItemRecorded(Guid.Parse("6f9d0c1e-1111-4a4a-9b9b-000000000001"), Guid.NewGuid(), null, "Publish the catalogue", Guid.NewGuid(), null,
            Layer.Data, null, null, new DateOnly(2026, 4, 1), "chair@example.gov.in", Recorded),
        .. later,
    ])!;

    [Fact]
    public void an_item_is_not_open_before_it_was_recorded_and_is_open_from_that_instant()
    {
        var item = Item();
        Assert.False(item.WasOpenAt(Recorded.AddTicks(-1)));
        Assert.True(item.WasOpenAt(Recorded));
        Assert.True(item.WasOpenAt(Recorded.AddYears(1)));
    }

    [Fact]
    public void done_closes_it_from_that_instant_and_a_reopening_opens_it_again()
    {
        var id = Guid.Parse("6f9d0c1e-1111-4a4a-9b9b-000000000001");
        var done = Recorded.AddDays(10);
        var reopened = Recorded.AddDays(20);
        var item = Item(
            new ActionItemStatusChanged(id, ActionStatus.InProgress, null, "lead@example.gov.in", Recorded.AddDays(2)),
            new ActionItemStatusChanged(id, ActionStatus.Done, null, "lead@example.gov.in", done),
            new ActionItemStatusChanged(id, ActionStatus.Open, "The catalogue was withdrawn", "chair@example.gov.in", reopened));

        Assert.True(item.WasOpenAt(Recorded.AddDays(5)));
        Assert.True(item.WasOpenAt(done.AddTicks(-1)));
        Assert.False(item.WasOpenAt(done));
        Assert.False(item.WasOpenAt(reopened.AddTicks(-1)));
        Assert.True(item.WasOpenAt(reopened));
        Assert.Null(item.ClosedAt);
        Assert.Equal(reopened, item.LastStatusAt);
    }

    [Fact]
    public void the_last_status_change_is_the_recording_until_a_status_changes_and_a_new_due_date_is_not_one()
    {
        var id = Guid.Parse("6f9d0c1e-1111-4a4a-9b9b-000000000001");
        Assert.Equal(Recorded, Item().LastStatusAt);
        var rescheduled = Item(new ActionItemRescheduled(id, new DateOnly(2026, 5, 1), "Vendor delay", "chair@example.gov.in", Recorded.AddDays(4)));
        Assert.Equal(Recorded, rescheduled.LastStatusAt);
        Assert.Equal(new DateOnly(2026, 5, 1), rescheduled.DueDate);
    }

    [Fact]
    public void dropped_sets_the_closing_time_a_store_filters_on()
    {
        var id = Guid.Parse("6f9d0c1e-1111-4a4a-9b9b-000000000001");
        var dropped = Recorded.AddDays(3);
        var item = Item(new ActionItemStatusChanged(id, ActionStatus.Dropped, "Merged into another item", "chair@example.gov.in", dropped));

        Assert.Equal(dropped, item.ClosedAt);
        Assert.Equal("Merged into another item", item.DropReason);
        Assert.False(item.WasOpenAt(dropped));
        Assert.True(item.WasOpenAt(dropped.AddTicks(-1)));
    }
}
