using System.Diagnostics;

namespace CoordinationPortal.Simulator;

/// <summary>
/// Precise waits on the <see cref="Stopwatch"/> clock. Timers alone are late by up to a millisecond or
/// more, so a wait sleeps on <see cref="Task.Delay(TimeSpan, CancellationToken)"/> until the last
/// <see cref="SpinWindowMs"/> milliseconds and spins (yielding the CPU) through the rest.
/// </summary>
internal static class Pacing
{
    public const double SpinWindowMs = 2.5;

    private static readonly long SpinWindow = ToTicks(SpinWindowMs);

    /// <summary>Milliseconds as <see cref="Stopwatch"/> ticks.</summary>
    public static long ToTicks(double milliseconds) => (long)Math.Round(milliseconds * Stopwatch.Frequency / 1000.0);

    /// <summary>Returns at (never before, and within microseconds after) the given timestamp.</summary>
    public static async ValueTask WaitUntilAsync(long dueTimestamp, CancellationToken cancellationToken)
    {
        var sleep = dueTimestamp - SpinWindow - Stopwatch.GetTimestamp();
        if (sleep > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)sleep / Stopwatch.Frequency), cancellationToken);
        }

        var spinner = default(SpinWait);
        while (Stopwatch.GetTimestamp() < dueTimestamp)
        {
            cancellationToken.ThrowIfCancellationRequested();
            spinner.SpinOnce(sleep1Threshold: -1);
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
