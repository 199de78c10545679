namespace CoordinationPortal.Integration.Tests.Notifications;

/// <summary>
/// The clock of a test portal process: the system's, moved forward by what a test asks for, so that a test can reach an
/// instant (the end of an overlap, a retry's due time, a grace) at once instead of waiting for it, and stays far from it
/// until then however slowly the machine runs. A test that moves it puts it back in its <c>finally</c>.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward while a test runs.");
        }

        Interlocked.Add(ref offsetTicks, by.Ticks);
    }

    /// <summary>Moves the clock to a second past <paramref name="at"/>, unless it is past that already.</summary>
    public void AdvancePast(DateTimeOffset? at)
    {
        var behind = (at ?? GetUtcNow()) + TimeSpan.FromSeconds(1) - GetUtcNow();
        if (behind > TimeSpan.Zero)
        {
            Advance(behind);
        }
    }

    /// <summary>Back to the system's time, for the tests that follow.</summary>
    public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);
}
