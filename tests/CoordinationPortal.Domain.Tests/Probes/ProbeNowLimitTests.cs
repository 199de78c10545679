using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class ProbeNowLimitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void below_the_limit_it_may_run() =>
        Assert.Null(ProbeNowLimit.RetryAfter([Now.AddSeconds(-10)], Now, limit: 2));

    [Fact]
    public void at_the_limit_it_waits_until_the_oldest_run_in_the_minute_leaves_it() =>
        Assert.Equal(TimeSpan.FromSeconds(50), ProbeNowLimit.RetryAfter([Now.AddSeconds(-10), Now.AddSeconds(-5)], Now, limit: 2));

    [Fact]
    public void runs_older_than_a_minute_do_not_count() =>
        Assert.Null(ProbeNowLimit.RetryAfter([Now.AddSeconds(-61), Now.AddSeconds(-60), Now.AddSeconds(-5)], Now, limit: 2));

    [Fact]
    public void the_wait_is_whole_seconds_and_at_least_one() =>
        Assert.Equal(TimeSpan.FromSeconds(1), ProbeNowLimit.RetryAfter([Now.AddSeconds(-59.9), Now], Now, limit: 2));

    [Fact]
    public void the_order_of_earlier_runs_does_not_matter() =>
        Assert.Equal(TimeSpan.FromSeconds(40), // two of the three must leave the minute
            ProbeNowLimit.RetryAfter([Now.AddSeconds(-1), Now.AddSeconds(-30), Now.AddSeconds(-20)], Now, limit: 2));

    [Fact]
    public void a_limit_below_one_never_allows_it() => Assert.NotNull(ProbeNowLimit.RetryAfter([], Now, limit: 0));
}
