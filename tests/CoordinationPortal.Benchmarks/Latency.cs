using System.Diagnostics;

namespace CoordinationPortal.Benchmarks;

/// <summary>Collects the elapsed time of individual operations.</summary>
internal sealed class LatencyRecorder(string name, int capacity)
{
    private readonly List<double> _milliseconds = new(capacity);

    public string Name { get; } = name;

    public int Count => _milliseconds.Count;

    /// <summary>Records the time since <paramref name="startTimestamp"/> (from <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void Stop(long startTimestamp) => _milliseconds.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    /// <summary>Records a duration measured elsewhere.</summary>
    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    public LatencySummary Summarize()
    {
        if (_milliseconds.Count == 0)
        {
            throw new InvalidOperationException($"No samples recorded for {Name}.");
        }

        var sorted = _milliseconds.Order().ToArray();
        return new LatencySummary(
            Name,
            sorted.Length,
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.95),
            Percentile(sorted, 0.99),
            sorted.Average(),
            sorted[0],
            sorted[^1]);
    }

    /// <summary>Linear interpolation between the closest ranks (numpy's default).</summary>
    private static double Percentile(double[] sorted, double fraction)
    {
        var position = fraction * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}

internal sealed record LatencySummary(string Name, int Count, double P50, double P95, double P99, double Mean, double Min, double Max);
