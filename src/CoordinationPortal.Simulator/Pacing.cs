using System.Diagnostics;

namespace CoordinationPortal.Simulator;

/// <summary>
/// Precise waits on the <see cref="Stopwatch"/> clock. A timer alone fires a millisecond or two late, so a
/// wait sleeps on <see cref="Task.Delay(TimeSpan, CancellationToken)"/> until <see cref="SpinWindowMs"/>
/// before the deadline, then spins: yielding the CPU to other threads until <see cref="BusyWindowMs"/>
/// remain, and without yielding through the last stretch, so the thread is running when the deadline comes.
/// </summary>
internal static class Pacing
{
    /// <summary>How long before a deadline the timer hands over to spinning.</summary>
    public const double SpinWindowMs = 3;

    /// <summary>How long before a deadline spinning stops yielding the CPU.</summary>
    public const double BusyWindowMs = 1;

    private static readonly long SpinWindow = ToTicks(SpinWindowMs);
    private static readonly long BusyWindow = ToTicks(BusyWindowMs);

    /// <summary>Milliseconds as <see cref="Stopwatch"/> ticks.</summary>
    public static long ToTicks(double milliseconds) => (long)Math.Round(milliseconds * Stopwatch.Frequency / 1000.0);

    /// <summary>Returns at the given timestamp: never before it, and normally within microseconds after.</summary>
    public static async ValueTask WaitUntilAsync(long dueTimestamp, CancellationToken cancellationToken)
    {
        var sleep = dueTimestamp - SpinWindow - Stopwatch.GetTimestamp();
        if (sleep > 0)
        {
            await Task.Delay(Stopwatch.GetElapsedTime(0, sleep), cancellationToken);
        }

        var spinner = default(SpinWait);
        while (dueTimestamp - Stopwatch.GetTimestamp() > BusyWindow)
        {
            cancellationToken.ThrowIfCancellationRequested();
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        while (Stopwatch.GetTimestamp() < dueTimestamp)
        {
            Thread.SpinWait(20);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Waits until the request is aborted (or the simulator stops); always ends by throwing.</summary>
    public static async Task WaitForeverAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }
}
