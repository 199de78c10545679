using CoordinationPortal.Domain.Agencies;
using static CoordinationPortal.Domain.Tests.Agencies.AgencySpec;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Agencies;

public sealed class StalenessTests
{
    private const string Indicator = "operations.monitoring";

    // 2026-Q1: 2026-01-01 to 2026-03-31, due on 2026-03-31.
    private static readonly AssessmentCycle Q1 = AssessmentCycle.Containing(new DateOnly(2026, 2, 15));
    private static readonly AssessmentCycle Q2 = Q1.Next;
    private static readonly DateTimeOffset AfterQ1 = At(2026, 4, 2);

    private static MarkStaleIfOverdue MarkStale(AssessmentCycle cycle, DateTimeOffset at) => new(AgencyId, cycle, Scheduler, at);

    [Fact]
    public void a_scorecard_with_no_assessment_in_a_closed_cycle_is_marked_stale() =>
        Given(Registered(At(2025, 11, 10)), Assessed(Indicator, 3, At(2025, 12, 1)))
            .When(MarkStale(Q1, AfterQ1))
            .Then(new ScorecardMarkedStale(AgencyId, "2026-Q1", new DateOnly(2026, 3, 31), Scheduler, AfterQ1));

    [Fact]
    public void a_scorecard_never_assessed_is_marked_stale_once_the_cycle_closes() =>
        Given(Registered(At(2025, 11, 10)))
            .When(MarkStale(Q1, AfterQ1))
            .Then(new ScorecardMarkedStale(AgencyId, "2026-Q1", new DateOnly(2026, 3, 31), Scheduler, AfterQ1));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 20)]
    [InlineData(3, 31)]
    public void a_scorecard_assessed_during_the_cycle_is_not_stale(int month, int day) =>
        Given(Registered(At(2025, 11, 10)), Assessed(Indicator, 3, At(2026, month, day)))
            .When(MarkStale(Q1, AfterQ1))
            .ThenNothingHappens();

    [Fact]
    public void a_scorecard_assessed_after_the_cycle_closed_is_not_stale_for_it() =>
        Given(Registered(At(2025, 11, 10)), Assessed(Indicator, 3, At(2026, 4, 1)))
            .When(MarkStale(Q1, AfterQ1))
            .ThenNothingHappens();

    [Fact]
    public void a_scorecard_is_marked_stale_only_once_for_a_cycle() =>
        Given(
                Registered(At(2025, 11, 10)),
                Assessed(Indicator, 3, At(2025, 12, 1)),
                new ScorecardMarkedStale(AgencyId, "2026-Q1", new DateOnly(2026, 3, 31), Scheduler, AfterQ1))
            .When(MarkStale(Q1, At(2026, 4, 3)))
            .ThenNothingHappens();

    [Theory]
    [InlineData(3, 15)]
    [InlineData(3, 31)]
    public void a_scorecard_is_not_stale_before_the_due_date_has_passed(int month, int day) =>
        Given(Registered(At(2025, 11, 10)), Assessed(Indicator, 3, At(2025, 12, 1)))
            .When(MarkStale(Q1, At(2026, month, day)))
            .ThenNothingHappens();

    [Fact]
    public void an_agency_registered_after_the_cycle_closed_is_not_stale_for_it() =>
        Given(Registered(At(2026, 4, 5)))
            .When(MarkStale(Q1, At(2026, 4, 10)))
            .ThenNothingHappens();

    [Fact]
    public void a_scorecard_stale_for_one_cycle_is_marked_stale_again_for_the_next() =>
        Given(
                Registered(At(2025, 11, 10)),
                Assessed(Indicator, 3, At(2025, 12, 1)),
                new ScorecardMarkedStale(AgencyId, "2026-Q1", new DateOnly(2026, 3, 31), Scheduler, AfterQ1))
            .When(MarkStale(Q2, At(2026, 7, 2)))
            .Then(new ScorecardMarkedStale(AgencyId, "2026-Q2", new DateOnly(2026, 6, 30), Scheduler, At(2026, 7, 2)));

    [Fact]
    public void a_new_assessment_clears_the_stale_mark()
    {
        var stale = new ScorecardMarkedStale(AgencyId, "2026-Q1", new DateOnly(2026, 3, 31), Scheduler, AfterQ1);
        var before = Agency.Fold([Registered(At(2025, 11, 10)), Assessed(Indicator, 3, At(2025, 12, 1)), stale])!;
        var after = Agency.Fold([Registered(At(2025, 11, 10)), Assessed(Indicator, 3, At(2025, 12, 1)), stale, Assessed(Indicator, 4, At(2026, 4, 5))])!;

        Assert.Equal("2026-Q1", before.StaleForCycle);
        Assert.Null(after.StaleForCycle);
        Assert.Equal(At(2026, 4, 5), after.LastAssessedAt);
    }
}
