namespace CoordinationPortal.Domain.Probes;

/// <summary>Exact statistics of a small list of measurements, such as the inter-token latencies of one stream.</summary>
public static class Percentiles
{
    /// <summary>
    /// The p-th percentile (0–100) by linear interpolation between the closest ranks, numpy's default "linear"
    /// method: with the values sorted into x[0..n−1], h = (n − 1)·p/100 and the result is
    /// x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]). Null for no values. The input is not modified.
    /// </summary>
    public static double? Of(IReadOnlyList<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckPercent(p);

        if (values.Count == 0)
        {
            return null;
        }

        var sorted = new double[values.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                throw new ArgumentException("A percentile of values including NaN has no meaning.", nameof(values));
            }

            sorted[i] = values[i];
        }

        Array.Sort(sorted);
        return OfSorted(sorted, p);
    }

    public static double? Mean(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);

        if (values.Count == 0)
        {
            return null;
        }

        var sum = 0.0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += values[i];
        }

        return sum / values.Count;
    }

    internal static void CheckPercent(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A percentile is from 0 to 100.");
        }
    }

    private static double OfSorted(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p / 100.0;
        var below = (int)Math.Floor(h);
        if (below >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        var fraction = h - below;
        return sorted[below] + (fraction * (sorted[below + 1] - sorted[below]));
    }
}
