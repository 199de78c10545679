using CoordinationPortal.Domain.Agencies;

namespace CoordinationPortal.Domain.Tests.Agencies;

public sealed class AssessmentCycleTests
{
    [Fact]
    public void the_cycle_containing_a_date_is_its_calendar_quarter()
    {
        var cycle = AssessmentCycle.Containing(new DateOnly(2026, 5, 17));

        Assert.Equal("2026-Q2", cycle.Id);
        Assert.Equal(new DateOnly(2026, 4, 1), cycle.Start);
        Assert.Equal(new DateOnly(2026, 6, 30), cycle.DueDate);
    }

    [Theory]
    [InlineData(1, 1, "2026-Q1", 1, 1, 3, 31)]
    [InlineData(3, 31, "2026-Q1", 1, 1, 3, 31)]
    [InlineData(4, 1, "2026-Q2", 4, 1, 6, 30)]
    [InlineData(7, 15, "2026-Q3", 7, 1, 9, 30)]
    [InlineData(12, 31, "2026-Q4", 10, 1, 12, 31)]
    public void quarters_start_on_their_first_day_and_are_due_on_their_last(
        int month, int day, string id, int startMonth, int startDay, int dueMonth, int dueDay)
    {
        var cycle = AssessmentCycle.Containing(new DateOnly(2026, month, day));

        Assert.Equal(new AssessmentCycle(id, new DateOnly(2026, startMonth, startDay), new DateOnly(2026, dueMonth, dueDay)), cycle);
    }

    [Fact]
    public void the_last_closed_cycle_early_in_january_is_the_previous_years_fourth_quarter() =>
        Assert.Equal(
            new AssessmentCycle("2025-Q4", new DateOnly(2025, 10, 1), new DateOnly(2025, 12, 31)),
            AssessmentCycle.LastClosedBefore(new DateOnly(2026, 1, 10)));

    [Theory]
    [InlineData(4, 1, "2026-Q1")]
    [InlineData(6, 30, "2026-Q1")]
    [InlineData(7, 1, "2026-Q2")]
    public void the_last_closed_cycle_is_the_quarter_before_the_current_one(int month, int day, string expected) =>
        Assert.Equal(expected, AssessmentCycle.LastClosedBefore(new DateOnly(2026, month, day)).Id);

    [Fact]
    public void the_last_closed_cycle_is_due_before_the_given_day()
    {
        var today = new DateOnly(2026, 4, 1);

        Assert.True(AssessmentCycle.LastClosedBefore(today).DueDate < today);
    }

    [Fact]
    public void the_next_cycle_starts_the_day_after_the_due_date()
    {
        var q2 = AssessmentCycle.Containing(new DateOnly(2026, 5, 17));

        Assert.Equal(new AssessmentCycle("2026-Q3", new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30)), q2.Next);
    }

    [Fact]
    public void the_cycle_after_the_fourth_quarter_is_the_first_of_the_next_year() =>
        Assert.Equal(
            new AssessmentCycle("2027-Q1", new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31)),
            AssessmentCycle.Containing(new DateOnly(2026, 11, 2)).Next);
}
