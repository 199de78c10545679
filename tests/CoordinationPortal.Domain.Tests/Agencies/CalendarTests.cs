using CoordinationPortal.Domain.Agencies;
using static CoordinationPortal.Domain.Tests.Agencies.AgencySpec;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Agencies;

/// <summary>Dates are read on the acting users' calendar (the offset the command carries), not UTC's.</summary>
public sealed class CalendarTests
{
    // 02:00 on 1 April in India is still 31 March in UTC.
    private static readonly DateTimeOffset EarlyFirstOfApril = new(2026, 4, 1, 2, 0, 0, Ist);

    [Fact]
    public void a_target_dated_today_in_india_is_not_in_the_future_even_while_utc_is_still_on_yesterday() =>
        Given(Registered())
            .When(new AssessIndicator(AgencyId, "data.quality", 2, Note, null, 3, new DateOnly(2026, 4, 1), Lead, EarlyFirstOfApril))
            .ThenRejectedWith("TargetDate.NotInFuture");

    [Fact]
    public void a_quarter_is_overdue_from_the_first_hour_of_the_next_day_in_india()
    {
        var q1 = AssessmentCycle.Containing(new DateOnly(2026, 3, 1));
        Given(Registered(At(2025, 11, 10)))
            .When(new MarkStaleIfOverdue(AgencyId, q1, Scheduler, EarlyFirstOfApril))
            .Then(new ScorecardMarkedStale(AgencyId, "2026-Q1", new DateOnly(2026, 3, 31), Scheduler, EarlyFirstOfApril));
    }

    [Fact]
    public void an_assessment_in_the_first_hour_of_a_quarter_in_india_counts_for_that_quarter()
    {
        var q1 = AssessmentCycle.Containing(new DateOnly(2026, 3, 1));
        // 01:00 on 1 January in India is still 31 December in UTC; the check runs on 2 April.
        Given(Registered(At(2025, 11, 10)), Assessed("data.quality", 2, new DateTimeOffset(2026, 1, 1, 1, 0, 0, Ist)))
            .When(new MarkStaleIfOverdue(AgencyId, q1, Scheduler, At(2026, 4, 2)))
            .ThenNothingHappens();
    }
}
