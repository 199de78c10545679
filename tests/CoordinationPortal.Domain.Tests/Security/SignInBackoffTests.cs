using CoordinationPortal.Domain.Security;

namespace CoordinationPortal.Domain.Tests.Security;

public sealed class SignInBackoffTests
{
    private static readonly SignInBackoff Backoff = new(3, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 0)]
    [InlineData(4, 2)]
    [InlineData(5, 4)]
    [InlineData(6, 8)]
    [InlineData(10, 128)]
    [InlineData(11, 256)]
    [InlineData(12, 300)]
    [InlineData(1_000_000, 300)]
    public void the_first_failures_are_free_then_each_doubles_the_wait_up_to_the_cap(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.DelayAfter(failures));

    [Fact]
    public void the_wait_counts_from_the_last_failure()
    {
        var last = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(4), Backoff.RemainingWait(5, last, last));
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.RemainingWait(5, last, last.AddSeconds(3)));
        Assert.Equal(TimeSpan.Zero, Backoff.RemainingWait(5, last, last.AddSeconds(4)));
    }
}
