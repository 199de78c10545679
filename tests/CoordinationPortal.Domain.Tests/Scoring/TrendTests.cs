using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Domain.Tests.Framework;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Scoring;

public sealed class TrendTests
{
    // January: every indicator at level 3 (every layer 50).
    // February: all of Compute raised to level 5 (Compute 100).
    // March: data.quality down to level 1 (Data (50 + 50 + 0) / 3 = 33.33…).
    private static readonly object[] History =
    [
        Registered(At(2026, 1, 5)),
        .. SmallFramework.AllIndicatorIds.Select(id => Assessed(id, 3, At(2026, 1, 20))),
        .. SmallFramework.IndicatorIds[Layer.Compute].Select(id => Assessed(id, 5, At(2026, 2, 10))),
        Assessed("data.quality", 1, At(2026, 3, 5)),
    ];

    [Fact]
    public void a_three_month_history_gives_a_point_at_each_month_end_up_to_the_given_day()
    {
        var points = Trend.Monthly(History, SmallFramework.Instance, new DateOnly(2026, 3, 20), Ist);

        Assert.Equal(
            [new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 20)],
            points.Select(p => p.Date));
        Assert.Equal(new LayerScores(50, 50, 50, 50, 50), points[0].Scores);
        Assert.Equal(new LayerScores(100, 50, 50, 50, 50), points[1].Scores);
        Assert.Equal(100, points[2].Scores.Compute);
        Assert.Equal(100.0 / 3, points[2].Scores.Data!.Value, 10);
        Assert.Equal(50, points[2].Scores.Governance);
    }

    [Fact]
    public void each_point_carries_the_index_of_its_layer_scores()
    {
        var points = Trend.Monthly(History, SmallFramework.Instance, new DateOnly(2026, 3, 20), Ist);

        Assert.Equal(50, points[0].Index!.Mean, 10);
        Assert.Equal(60, points[1].Index!.Mean, 10);
        Assert.Equal(Scores.Index(points[2].Scores), points[2].Index);
    }

    [Fact]
    public void a_month_without_events_carries_the_previous_scores_forward()
    {
        var points = Trend.Monthly(History, SmallFramework.Instance, new DateOnly(2026, 5, 31), Ist);

        Assert.Equal(5, points.Count);
        Assert.Equal(new DateOnly(2026, 5, 31), points[^1].Date);
        Assert.Equal(points[2].Scores, points[3].Scores);
        Assert.Equal(points[2].Scores, points[4].Scores);
    }

    [Fact]
    public void events_are_replayed_in_business_time_order_whatever_order_they_come_in()
    {
        var shuffled = Enumerable.Reverse(History).ToArray();

        var points = Trend.Monthly(shuffled, SmallFramework.Instance, new DateOnly(2026, 3, 20), Ist);

        Assert.Equal(
            Trend.Monthly(History, SmallFramework.Instance, new DateOnly(2026, 3, 20), Ist).Select(p => (p.Date, p.Scores)),
            points.Select(p => (p.Date, p.Scores)));
    }

    [Fact]
    public void a_layer_not_yet_assessed_has_no_score_and_the_point_has_no_index()
    {
        var points = Trend.Monthly(
            [Registered(At(2026, 1, 5)), Assessed("compute.access", 4, At(2026, 1, 6))],
            SmallFramework.Instance,
            new DateOnly(2026, 1, 31),
            Ist);

        var point = Assert.Single(points);
        Assert.Equal(new LayerScores(75, null, null, null, null), point.Scores);
        Assert.Null(point.Index);
    }

    [Fact]
    public void the_trend_starts_in_the_month_of_the_first_event_in_the_given_offset()
    {
        // 01:30 on 1 February in India is still 31 January in UTC.
        var registered = Registered(new DateTimeOffset(2026, 2, 1, 1, 30, 0, Ist));

        var inIndia = Trend.Monthly([registered], SmallFramework.Instance, new DateOnly(2026, 2, 28), Ist);
        var inUtc = Trend.Monthly([registered], SmallFramework.Instance, new DateOnly(2026, 2, 28), TimeSpan.Zero);

        Assert.Equal([new DateOnly(2026, 2, 28)], inIndia.Select(p => p.Date));
        Assert.Equal([new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28)], inUtc.Select(p => p.Date));
    }

    [Fact]
    public void an_event_on_the_last_evening_of_a_month_counts_in_that_month()
    {
        var points = Trend.Monthly(
            [Registered(At(2026, 1, 5)), Assessed("compute.access", 2, At(2026, 1, 6)), Assessed("compute.access", 5, new DateTimeOffset(2026, 1, 31, 23, 30, 0, Ist))],
            SmallFramework.Instance,
            new DateOnly(2026, 2, 28),
            Ist);

        Assert.Equal(100, points[0].Scores.Compute);
    }

    [Fact]
    public void no_events_give_no_trend() =>
        Assert.Empty(Trend.Monthly([], SmallFramework.Instance, new DateOnly(2026, 3, 31), Ist));

    [Fact]
    public void a_history_that_starts_after_the_given_day_gives_no_trend() =>
        Assert.Empty(Trend.Monthly(History, SmallFramework.Instance, new DateOnly(2025, 12, 31), Ist));
}
