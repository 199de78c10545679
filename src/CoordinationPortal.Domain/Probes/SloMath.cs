namespace CoordinationPortal.Domain.Probes;

/// <summary>
/// What an endpoint promises: the share of probes that get an answer, the 95th-percentile time to first token,
/// and the median output tokens per second.
/// </summary>
public sealed record SloTargets(double AvailabilityPercent, int P95TtftMs, double MinOutputTokensPerSecond);

/// <summary>
/// The probes of one window: how many there were, how many found the endpoint up, degraded (answering, but
/// slowly or partly) or down, and the time to first token and throughput of those that measured them.
/// </summary>
public sealed record SloWindowStats(long Samples, long Up, long Degraded, long Down, LogHistogram Ttft, LogHistogram TokensPerSecond);

/// <summary>The rolling windows an SLO is reported over: 1 hour, 24 hours, 7 days and 30 days.</summary>
public enum SloWindow
{
    Hour,
    Day,
    Week,
    Month,
}

/// <summary>
/// An endpoint's standing against its targets over one window. Figures are null where the window has no data
/// for them; every figure is null when the window has no samples.
/// </summary>
public sealed record SloReport(
    SloWindow Window,
    long Samples,
    double? AvailabilityPercent,
    double? TtftP50Ms,
    double? TtftP95Ms,
    double? TokensPerSecondP50,
    double? ErrorBudgetRemainingPercent,
    bool? AvailabilityMet,
    bool? TtftMet,
    bool? ThroughputMet)
{
    /// <summary>
    /// Null when the window has no samples. Otherwise false if any target is missed, true if none is: a target
    /// without data in the window (no TTFT or no throughput measured) is not counted against the endpoint.
    /// </summary>
    public bool? AllMet => AvailabilityMet is null
        ? null
        : AvailabilityMet == true && TtftMet != false && ThroughputMet != false;

    /// <summary>Null when the window has no samples; true when the misses have used the whole error budget.</summary>
    public bool? ErrorBudgetExhausted => ErrorBudgetRemainingPercent is { } left ? left <= 0 : null;
}

public static class SloMath
{
    public static TimeSpan Length(SloWindow window) => window switch
    {
        SloWindow.Hour => TimeSpan.FromHours(1),
        SloWindow.Day => TimeSpan.FromHours(24),
        SloWindow.Week => TimeSpan.FromDays(7),
        SloWindow.Month => TimeSpan.FromDays(30),
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, null),
    };

    /// <summary>
    /// Availability is (Up + Degraded) / Samples × 100: a degraded endpoint still answers. A sample counted as
    /// neither up, degraded nor down counts as unavailable. The error budget is spent by every probe that missed the
    /// promise — down, unclassified, and degraded too (it answered, but too slowly or only partly), so a degraded
    /// endpoint's budget shows its misses. Remaining: 100 × (1 − missed fraction / (1 − target/100)), from 100 with
    /// nothing missed down to 0, where it stays: an exhausted budget is 0 and <see cref="SloReport.ErrorBudgetExhausted"/>,
    /// never a figure such as −9 900 %. With a 100 % target any miss exhausts it.
    /// Availability and budget are computed in decimal so that a window exactly at its target meets it.
    /// TTFT is met when the estimated p95 is at most the target; throughput when the estimated median is at least
    /// the minimum; each null when the window has no such measurement.
    /// </summary>
    public static SloReport Evaluate(SloWindow window, SloWindowStats stats, SloTargets targets)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(stats.Ttft);
        ArgumentNullException.ThrowIfNull(stats.TokensPerSecond);
        _ = Length(window);
        Validate(stats);
        Validate(targets);

        if (stats.Samples == 0)
        {
            return new SloReport(window, 0, null, null, null, null, null, null, null, null);
        }

        var target = (decimal)targets.AvailabilityPercent;
        var availability = (stats.Up + stats.Degraded) * 100m / stats.Samples;
        var missed = (stats.Samples - stats.Up) * 100m / stats.Samples;
        var budget = (double)ErrorBudgetRemaining(missed, 100m - target);

        var ttftP95 = stats.Ttft.Percentile(95);
        var tokensP50 = stats.TokensPerSecond.Percentile(50);

        return new SloReport(
            window,
            stats.Samples,
            (double)availability,
            stats.Ttft.Percentile(50),
            ttftP95,
            tokensP50,
            budget,
            availability >= target,
            MeetsTtft(ttftP95, targets.P95TtftMs),
            MeetsThroughput(tokensP50, targets.MinOutputTokensPerSecond));
    }

    /// <summary>
    /// The share of the error budget left, 0 to 100: <paramref name="missedPercent"/> of the probes missed, of
    /// <paramref name="allowedPercent"/> allowed. Spent or overspent is 0.
    /// </summary>
    public static decimal ErrorBudgetRemaining(decimal missedPercent, decimal allowedPercent)
    {
        if (missedPercent <= 0)
        {
            return 100;
        }

        return allowedPercent <= 0 ? 0 : Math.Max(0, 100m * (1m - (missedPercent / allowedPercent)));
    }

    /// <summary>Whether a p95 time to first token meets its target: at or under it. Null without a measurement.</summary>
    public static bool? MeetsTtft(double? p95Ms, int targetMs) => p95Ms is { } p95 ? p95 <= targetMs : null;

    /// <summary>Whether a median throughput meets its minimum: at or over it. Null without a measurement.</summary>
    public static bool? MeetsThroughput(double? p50TokensPerSecond, double minimum) =>
        p50TokensPerSecond is { } p50 ? p50 >= minimum : null;

    private static void Validate(SloWindowStats stats)
    {
        if (stats.Samples < 0 || stats.Up < 0 || stats.Degraded < 0 || stats.Down < 0)
        {
            throw new ArgumentException("Sample counts cannot be negative.", nameof(stats));
        }

        if (stats.Up + stats.Degraded + stats.Down > stats.Samples)
        {
            throw new ArgumentException(
                $"Up {stats.Up} + degraded {stats.Degraded} + down {stats.Down} is more than the {stats.Samples} samples.",
                nameof(stats));
        }
    }

    private static void Validate(SloTargets targets)
    {
        if (!(targets.AvailabilityPercent is >= 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(targets), targets.AvailabilityPercent, "An availability target is from 0 to 100 %.");
        }

        if (targets.P95TtftMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targets), targets.P95TtftMs, "A TTFT target cannot be negative.");
        }

        if (!double.IsFinite(targets.MinOutputTokensPerSecond) || targets.MinOutputTokensPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(targets), targets.MinOutputTokensPerSecond, "A throughput minimum is a finite number, not negative.");
        }
    }
}
