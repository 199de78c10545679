namespace CoordinationPortal.Domain.Probes;

/// <summary>
/// A compact record of many measurements (time to first token in ms, output tokens per second) from which
/// percentiles can be estimated, and which can be merged and stored as a sparse list of bucket counts.
/// Buckets are log-spaced: bucket i holds [0.5·1.04^i, 0.5·1.04^(i+1)), so each is about 4 % wide, from 0.5 up to
/// 600 000. Values below 0.5 count in the first bucket, values above 600 000 in the last.
/// </summary>
public sealed class LogHistogram
{
    /// <summary>The lower edge of the first bucket.</summary>
    public const double Min = 0.5;

    /// <summary>The highest value the buckets are meant to cover; the last bucket ends just above it.</summary>
    public const double Max = 600_000;

    /// <summary>The ratio of each bucket's upper edge to its lower edge.</summary>
    public const double Growth = 1.04;

    /// <summary>⌈ln(Max/Min) / ln(Growth)⌉ = ⌈356.9⌉.</summary>
    public const int BucketCount = 357;

    private static readonly double LogGrowth = Math.Log(Growth);

    private readonly long[] counts = new long[BucketCount];

    public long Count { get; private set; }

    /// <summary>Counts a value. NaN is refused; +∞ counts in the last bucket, −∞ and anything below 0.5 in the first.</summary>
    public void Add(double value)
    {
        counts[BucketOf(value)]++;
        Count++;
    }

    /// <summary>Adds every value counted in <paramref name="other"/>, as if each had been added here.</summary>
    public void Add(LogHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);

        var added = other.Count;
        for (var i = 0; i < BucketCount; i++)
        {
            counts[i] += other.counts[i];
        }

        Count += added;
    }

    /// <summary>
    /// An estimate of the p-th percentile (0–100), null when nothing has been counted. Each counted value is taken
    /// to be the geometric midpoint of its bucket, and ranks are interpolated as in <see cref="Percentiles.Of"/>.
    /// For values within 0.5–600 000 the estimate is within 2 % of the exact percentile (at most √1.04 − 1 ≈ 1.98 %).
    /// </summary>
    public double? Percentile(double p)
    {
        Percentiles.CheckPercent(p);

        if (Count == 0)
        {
            return null;
        }

        var h = (Count - 1) * p / 100.0;
        var below = (long)Math.Floor(h);
        var fraction = h - below;
        var lower = Midpoint(BucketOfRank(below));
        if (fraction == 0 || below + 1 >= Count)
        {
            return lower;
        }

        var upper = Midpoint(BucketOfRank(below + 1));
        return lower + (fraction * (upper - lower));
    }

    /// <summary>The non-empty buckets, by ascending index, and their counts. Throws if a count exceeds int.MaxValue.</summary>
    public (int[] Indexes, int[] Counts) ToSparse()
    {
        var indexes = new List<int>();
        var sparseCounts = new List<int>();
        for (var i = 0; i < BucketCount; i++)
        {
            if (counts[i] > 0)
            {
                indexes.Add(i);
                sparseCounts.Add(checked((int)counts[i]));
            }
        }

        return ([.. indexes], [.. sparseCounts]);
    }

    /// <summary>
    /// Rebuilds a histogram from <see cref="ToSparse"/>'s output. Indexes must be strictly ascending and within
    /// 0..<see cref="BucketCount"/>−1, counts not negative, and both lists the same length.
    /// </summary>
    public static LogHistogram FromSparse(IReadOnlyList<int> indexes, IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        ArgumentNullException.ThrowIfNull(counts);

        if (indexes.Count != counts.Count)
        {
            throw new ArgumentException($"{indexes.Count} bucket indexes but {counts.Count} counts.", nameof(counts));
        }

        var histogram = new LogHistogram();
        var previous = -1;
        for (var i = 0; i < indexes.Count; i++)
        {
            var index = indexes[i];
            if (index < 0 || index >= BucketCount)
            {
                throw new ArgumentOutOfRangeException(nameof(indexes), index, $"A bucket index is from 0 to {BucketCount - 1}.");
            }

            if (index <= previous)
            {
                throw new ArgumentException($"Bucket indexes must be strictly ascending: {index} follows {previous}.", nameof(indexes));
            }

            if (counts[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(counts), counts[i], "A bucket count cannot be negative.");
            }

            histogram.counts[index] = counts[i];
            histogram.Count += counts[i];
            previous = index;
        }

        return histogram;
    }

    public static int BucketOf(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "NaN cannot be counted.");
        }

        if (value < Min * Growth)
        {
            return 0;
        }

        if (value >= Max)
        {
            return BucketCount - 1;
        }

        var index = (int)Math.Floor(Math.Log(value / Min) / LogGrowth);

        // Rounding in the logarithm can put a value that sits exactly on an edge one bucket off; put it right.
        if (value < LowerEdge(index))
        {
            index--;
        }
        else if (value >= LowerEdge(index + 1))
        {
            index++;
        }

        return Math.Clamp(index, 0, BucketCount - 1);
    }

    /// <summary>The lower edge of bucket <paramref name="index"/>: 0.5·1.04^index.</summary>
    public static double LowerEdge(int index) => Min * Math.Pow(Growth, index);

    private static double Midpoint(int index) => Min * Math.Pow(Growth, index + 0.5);

    private int BucketOfRank(long rank)
    {
        var seen = 0L;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += counts[i];
            if (rank < seen)
            {
                return i;
            }
        }

        return BucketCount - 1;
    }
}
