using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class SloMathTests
{
    private static readonly SloTargets Targets = new(AvailabilityPercent: 99.9, P95TtftMs: 800, MinOutputTokensPerSecond: 20);

    private static LogHistogram Histogram(params double[] values)
    {
        var histogram = new LogHistogram();
        foreach (var value in values)
        {
            histogram.Add(value);
        }

        return histogram;
    }

    private static SloWindowStats Stats(long samples, long up, long degraded, long down, LogHistogram? ttft = null, LogHistogram? tokens = null) =>
        new(samples, up, degraded, down, ttft ?? Histogram(300), tokens ?? Histogram(50));

    private static SloReport Evaluate(SloWindowStats stats, SloTargets? targets = null) =>
        SloMath.Evaluate(SloWindow.Day, stats, targets ?? Targets);

    [Theory]
    [InlineData(SloWindow.Hour, 1)]
    [InlineData(SloWindow.Day, 24)]
    [InlineData(SloWindow.Week, 168)]
    [InlineData(SloWindow.Month, 720)]
    public void windows_are_an_hour_a_day_a_week_and_thirty_days(SloWindow window, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), SloMath.Length(window));

    [Fact]
    public void an_unknown_window_has_no_length() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SloMath.Length((SloWindow)99));

    [Fact]
    public void degraded_samples_count_as_available()
    {
        // (90 + 8) / 100 = 98 %.
        var report = Evaluate(Stats(100, 90, 8, 2));

        Assert.Equal(98, report.AvailabilityPercent);
    }

    [Fact]
    public void availability_exactly_at_the_target_meets_it_and_leaves_no_budget()
    {
        // 999 of 1000 = 99.9 %; 0.1 % unavailable of 0.1 % allowed: budget 0.
        var report = Evaluate(Stats(1000, 999, 0, 1));

        Assert.Equal(99.9, report.AvailabilityPercent);
        Assert.True(report.AvailabilityMet);
        Assert.Equal(0, report.ErrorBudgetRemainingPercent);
    }

    [Fact]
    public void availability_just_below_the_target_misses_it_and_overspends_the_budget()
    {
        // 9989 of 10 000 = 99.89 %; 0.11 % of 0.1 % allowed: 100 × (1 − 1.1) = −10.
        var report = Evaluate(Stats(10_000, 9989, 0, 11));

        Assert.False(report.AvailabilityMet);
        Assert.Equal(0, report.ErrorBudgetRemainingPercent);
        Assert.True(report.ErrorBudgetExhausted);
    }

    [Fact]
    public void availability_just_above_the_target_meets_it_with_budget_left()
    {
        // 9991 of 10 000 = 99.91 %; 0.09 % of 0.1 %: 100 × (1 − 0.9) = 10.
        var report = Evaluate(Stats(10_000, 9991, 0, 9));

        Assert.True(report.AvailabilityMet);
        Assert.Equal(10, report.ErrorBudgetRemainingPercent!.Value, 10);
        Assert.False(report.ErrorBudgetExhausted);
    }

    [Fact]
    public void a_window_where_every_probe_was_up_has_its_whole_budget()
    {
        var report = Evaluate(Stats(500, 500, 0, 0));

        Assert.Equal(100, report.AvailabilityPercent);
        Assert.Equal(100, report.ErrorBudgetRemainingPercent);
        Assert.False(report.ErrorBudgetExhausted);
    }

    [Fact]
    public void degraded_probes_answer_but_spend_the_error_budget()
    {
        // 20 degraded of 500: still 100 % available, but 4 % of the probes missed against 0.1 % allowed — the board
        // used to show a Degraded endpoint with its whole budget left.
        var report = Evaluate(Stats(500, 480, 20, 0));

        Assert.Equal(100, report.AvailabilityPercent);
        Assert.True(report.AvailabilityMet);
        Assert.Equal(0, report.ErrorBudgetRemainingPercent);
        Assert.True(report.ErrorBudgetExhausted);
    }

    [Fact]
    public void a_few_degraded_probes_spend_part_of_the_budget()
    {
        // Target 99 %: 1 degraded in 200 is 0.5 % of 1 % allowed, the same as one down.
        var report = Evaluate(Stats(200, 199, 1, 0), Targets with { AvailabilityPercent = 99 });

        Assert.Equal(50, report.ErrorBudgetRemainingPercent!.Value, 10);
    }

    [Fact]
    public void half_the_allowed_downtime_leaves_half_the_budget()
    {
        // Target 99 %: 1 down in 200 is 0.5 % of 1 % allowed.
        var report = Evaluate(Stats(200, 199, 0, 1), Targets with { AvailabilityPercent = 99 });

        Assert.Equal(99.5, report.AvailabilityPercent);
        Assert.Equal(50, report.ErrorBudgetRemainingPercent!.Value, 10);
    }

    [Fact]
    public void an_overspent_budget_is_exhausted_never_a_negative_share()
    {
        // 99 % against 99.9 %: 1 % of 0.1 % allowed, ten times the budget: exhausted (it used to read −900 %).
        var report = Evaluate(Stats(100, 99, 0, 1));

        Assert.Equal(0, report.ErrorBudgetRemainingPercent);
        Assert.True(report.ErrorBudgetExhausted);
    }

    [Fact]
    public void a_hundred_percent_target_has_a_full_budget_until_the_first_failure()
    {
        var hundred = Targets with { AvailabilityPercent = 100 };

        var clean = Evaluate(Stats(1000, 1000, 0, 0), hundred);
        var oneDown = Evaluate(Stats(1000, 999, 0, 1), hundred);

        Assert.Equal(100, clean.ErrorBudgetRemainingPercent);
        Assert.True(clean.AvailabilityMet);
        Assert.Equal(0, oneDown.ErrorBudgetRemainingPercent);
        Assert.True(oneDown.ErrorBudgetExhausted);
        Assert.False(oneDown.AvailabilityMet);
    }

    [Fact]
    public void samples_neither_up_degraded_nor_down_count_as_unavailable()
    {
        // 100 samples, 95 up, 2 down, 3 unclassified: 95 % available, 5 % unavailable.
        var report = Evaluate(Stats(100, 95, 0, 2), Targets with { AvailabilityPercent = 90 });

        Assert.Equal(95, report.AvailabilityPercent);
        Assert.Equal(50, report.ErrorBudgetRemainingPercent!.Value, 10);
    }

    [Fact]
    public void ttft_at_or_under_the_target_meets_it_and_over_misses_it()
    {
        Assert.True(SloMath.MeetsTtft(799.99, 800));
        Assert.True(SloMath.MeetsTtft(800, 800));
        Assert.False(SloMath.MeetsTtft(800.01, 800));
        Assert.Null(SloMath.MeetsTtft(null, 800));
    }

    [Fact]
    public void throughput_at_or_over_the_minimum_meets_it_and_under_misses_it()
    {
        Assert.False(SloMath.MeetsThroughput(19.99, 20));
        Assert.True(SloMath.MeetsThroughput(20, 20));
        Assert.True(SloMath.MeetsThroughput(20.01, 20));
        Assert.Null(SloMath.MeetsThroughput(null, 20));
    }

    [Fact]
    public void the_ttft_target_is_judged_on_the_estimated_p95_of_the_window()
    {
        // 95 fast samples and 5 slow ones; p95 falls between the fast and slow clusters' estimates.
        var ttft = Histogram([.. Enumerable.Repeat(300.0, 95), .. Enumerable.Repeat(1000.0, 5)]);
        var p95 = ttft.Percentile(95)!.Value;
        var stats = Stats(100, 100, 0, 0, ttft);

        var report = Evaluate(stats);

        Assert.Equal(p95, report.TtftP95Ms);
        Assert.Equal(ttft.Percentile(50), report.TtftP50Ms);
        Assert.InRange(report.TtftP50Ms!.Value, 300 / 1.02, 300 * 1.02);
        Assert.True(Evaluate(stats, Targets with { P95TtftMs = (int)Math.Ceiling(p95) }).TtftMet);
        Assert.False(Evaluate(stats, Targets with { P95TtftMs = (int)Math.Floor(p95) }).TtftMet);
    }

    [Fact]
    public void the_throughput_minimum_is_judged_on_the_estimated_median_of_the_window()
    {
        var tokens = Histogram(30, 40, 50, 60, 70);
        var p50 = tokens.Percentile(50)!.Value;
        var stats = Stats(5, 5, 0, 0, tokens: tokens);

        Assert.InRange(p50, 50 / 1.02, 50 * 1.02);
        Assert.Equal(p50, Evaluate(stats).TokensPerSecondP50);
        Assert.True(Evaluate(stats, Targets with { MinOutputTokensPerSecond = p50 }).ThroughputMet);
        Assert.True(Evaluate(stats, Targets with { MinOutputTokensPerSecond = p50 - 0.001 }).ThroughputMet);
        Assert.False(Evaluate(stats, Targets with { MinOutputTokensPerSecond = p50 + 0.001 }).ThroughputMet);
    }

    [Fact]
    public void every_target_met_is_all_met()
    {
        var report = Evaluate(Stats(1000, 1000, 0, 0, Histogram(300), Histogram(50)));

        Assert.Equal((true, true, true), (report.AvailabilityMet, report.TtftMet, report.ThroughputMet));
        Assert.True(report.AllMet);
    }

    [Theory]
    [InlineData(990, 300.0, 50.0)] // availability 99 %
    [InlineData(1000, 900.0, 50.0)] // TTFT over 800 ms
    [InlineData(1000, 300.0, 10.0)] // throughput under 20 tokens/s
    public void any_target_missed_is_not_all_met(long up, double ttft, double tokens)
    {
        var report = Evaluate(Stats(1000, up, 0, 1000 - up, Histogram(ttft), Histogram(tokens)));

        Assert.False(report.AllMet);
    }

    [Fact]
    public void a_window_without_token_data_is_judged_on_the_rest()
    {
        var report = Evaluate(Stats(1000, 1000, 0, 0, Histogram(300), new LogHistogram()));

        Assert.Null(report.ThroughputMet);
        Assert.Null(report.TokensPerSecondP50);
        Assert.True(report.AllMet);
    }

    [Fact]
    public void a_window_where_every_probe_failed_has_no_ttft_and_misses_availability()
    {
        var report = Evaluate(Stats(60, 0, 0, 60, new LogHistogram(), new LogHistogram()));

        Assert.Equal(0, report.AvailabilityPercent);
        Assert.Null(report.TtftMet);
        Assert.Null(report.TtftP95Ms);
        Assert.False(report.AllMet);
        // 100 % unavailable of 0.1 % allowed: exhausted, not −99 900 %.
        Assert.Equal(0, report.ErrorBudgetRemainingPercent);
        Assert.True(report.ErrorBudgetExhausted);
    }

    [Fact]
    public void a_window_without_samples_reports_nothing()
    {
        var report = SloMath.Evaluate(SloWindow.Week, Stats(0, 0, 0, 0), Targets);

        Assert.Equal(new SloReport(SloWindow.Week, 0, null, null, null, null, null, null, null, null), report);
        Assert.Null(report.AllMet);
    }

    [Theory]
    [InlineData(10, 8, 2, 1)] // more classified than sampled
    [InlineData(10, -1, 0, 0)]
    [InlineData(-1, 0, 0, 0)]
    public void inconsistent_counts_are_refused(long samples, long up, long degraded, long down) =>
        Assert.Throws<ArgumentException>(() => Evaluate(Stats(samples, up, degraded, down)));

    [Theory]
    [InlineData(100.01)]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    public void an_availability_target_outside_0_to_100_is_refused(double target) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluate(Stats(10, 10, 0, 0), Targets with { AvailabilityPercent = target }));
}
