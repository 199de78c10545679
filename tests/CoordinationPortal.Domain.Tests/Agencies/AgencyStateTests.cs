using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Domain.Tests.Framework;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Agencies;

public sealed class AgencyStateTests
{
    private const string Indicator = "compute.capacity";

    private sealed record SomethingElseHappened(DateTimeOffset At);

    private static readonly object[] History =
    [
        Registered(At(2026, 1, 5)),
        Assessed(Indicator, 2, At(2026, 2, 10)),
        Assessed(Indicator, 4, At(2026, 3, 20)),
    ];

    [Fact]
    public void no_events_means_no_agency() => Assert.Null(Agency.Fold([]));

    [Fact]
    public void events_before_registration_are_ignored() =>
        Assert.Null(Agency.Fold([Assessed(Indicator, 3, At(2026, 1, 1))]));

    [Fact]
    public void registration_sets_the_details()
    {
        var agency = Agency.Fold([Registered(At(2026, 1, 5))])!;

        Assert.Equal(AgencyId, agency.Id);
        Assert.Equal("Ministry of Electronics and IT", agency.Name);
        Assert.Equal(AgencyKind.Ministry, agency.Kind);
        Assert.Equal("Technology", agency.Sector);
        Assert.Equal("Union", agency.Jurisdiction);
        Assert.Equal(At(2026, 1, 5), agency.RegisteredAt);
        Assert.Empty(agency.Indicators);
        Assert.Null(agency.LastAssessedAt);
    }

    [Fact]
    public void the_version_counts_the_events_applied()
    {
        Assert.Equal(1, Agency.Fold(History.Take(1))!.Version);
        Assert.Equal(3, Agency.Fold(History)!.Version);
        Assert.Equal(5, Agency.Fold([.. History, LeadAssigned(), Submitted(At(2026, 3, 21), Indicator)])!.Version);
    }

    [Fact]
    public void an_event_the_state_does_not_use_still_counts_towards_the_version() =>
        Assert.Equal(4, Agency.Fold([.. History, new SomethingElseHappened(At(2026, 3, 22))])!.Version);

    [Fact]
    public void the_latest_assessment_of_an_indicator_gives_its_level()
    {
        var agency = Agency.Fold(History)!;

        var assessment = agency.Indicators[Indicator];
        Assert.Equal(4, assessment.Level);
        Assert.Equal(Layer.Compute, assessment.Layer);
        Assert.Equal(ReviewStatus.Draft, assessment.Status);
        Assert.Equal(Lead, assessment.AssessedBy);
        Assert.Equal(4, agency.Levels[Indicator]);
        Assert.Equal(At(2026, 3, 20), agency.LastAssessedAt);
    }

    [Theory]
    [InlineData(2026, 2, 10, 2)]
    [InlineData(2026, 3, 1, 2)]
    [InlineData(2026, 3, 19, 2)]
    [InlineData(2026, 3, 20, 4)]
    [InlineData(2026, 12, 31, 4)]
    public void as_of_a_date_shows_the_level_assessed_by_the_end_of_that_day(int year, int month, int day, int expectedLevel)
    {
        var agency = Agency.AsOf(History, new DateOnly(year, month, day), Ist)!;

        Assert.Equal(expectedLevel, agency.Levels[Indicator]);
    }

    [Fact]
    public void as_of_a_date_after_registration_but_before_any_assessment_shows_an_empty_scorecard()
    {
        var agency = Agency.AsOf(History, new DateOnly(2026, 2, 9), Ist)!;

        Assert.Empty(agency.Indicators);
        Assert.Equal(1, agency.Version);
    }

    [Fact]
    public void as_of_a_date_before_registration_there_is_no_agency() =>
        Assert.Null(Agency.AsOf(History, new DateOnly(2026, 1, 4), Ist));

    [Fact]
    public void as_of_includes_an_event_late_in_the_evening_of_that_day()
    {
        var events = new object[] { Registered(At(2026, 1, 5)), Assessed(Indicator, 5, new DateTimeOffset(2026, 3, 20, 23, 59, 59, Ist)) };

        Assert.Equal(5, Agency.AsOf(events, new DateOnly(2026, 3, 20), Ist)!.Levels[Indicator]);
        Assert.Empty(Agency.AsOf(events, new DateOnly(2026, 3, 19), Ist)!.Indicators);
    }

    [Fact]
    public void as_of_reads_the_day_in_the_offset_it_is_given()
    {
        // 02:00 on 21 March in India is 20:30 on 20 March in UTC.
        var events = new object[] { Registered(At(2026, 1, 5)), Assessed(Indicator, 5, new DateTimeOffset(2026, 3, 21, 2, 0, 0, Ist)) };

        Assert.Empty(Agency.AsOf(events, new DateOnly(2026, 3, 20), Ist)!.Indicators);
        Assert.Equal(5, Agency.AsOf(events, new DateOnly(2026, 3, 20), TimeSpan.Zero)!.Levels[Indicator]);
    }

    [Fact]
    public void as_of_filters_by_business_time_not_by_position_in_the_stream()
    {
        // A back-filled assessment from February, recorded after the March one.
        var events = new object[]
        {
            Registered(At(2026, 1, 5)),
            Assessed(Indicator, 4, At(2026, 3, 20)),
            Assessed(Indicator, 2, At(2026, 2, 10)),
        };

        Assert.Equal(2, Agency.AsOf(events, new DateOnly(2026, 2, 28), Ist)!.Levels[Indicator]);
        Assert.Equal(2, Agency.AsOf(events, new DateOnly(2026, 2, 28), Ist)!.Version);
    }

    [Fact]
    public void as_of_replays_back_filled_history_in_business_time_order()
    {
        // A February assessment imported after the March one was recorded. By business time the March
        // assessment (level 4) is the later act, so at the end of March the indicator stands at level 4,
        // which is also what the monthly trend (replayed in business-time order) shows for March.
        var events = new object[]
        {
            Registered(At(2026, 1, 5)),
            Assessed(Indicator, 4, At(2026, 3, 20)),
            Assessed(Indicator, 2, At(2026, 2, 10)),
        };
        var trendAtEndOfMarch = Trend.Monthly(events, SmallFramework.Instance, new DateOnly(2026, 3, 31), Ist)[^1];

        Assert.Equal(75, trendAtEndOfMarch.Scores.Compute);
        Assert.Equal(4, Agency.AsOf(events, new DateOnly(2026, 3, 31), Ist)!.Levels[Indicator]);
    }
}
