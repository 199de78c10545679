using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class LogHistogramTests
{
    private static LogHistogram Of(IEnumerable<double> values)
    {
        var histogram = new LogHistogram();
        foreach (var value in values)
        {
            histogram.Add(value);
        }

        return histogram;
    }

    /// <summary>Log-normal values around a median, from a seeded generator so the test is repeatable.</summary>
    private static double[] LogNormal(int seed, int n, double median, double sigma)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            // Box–Muller.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            values[i] = median * Math.Exp(sigma * z);
        }

        return values;
    }

    [Fact]
    public void the_bucket_count_covers_half_a_unit_to_ten_minutes_at_four_percent()
    {
        // ln(600 000 / 0.5) / ln 1.04 = 13.998 / 0.03922 = 356.9, so 357 buckets.
        var needed = (int)Math.Ceiling(Math.Log(600_000 / 0.5) / Math.Log(1.04));

        Assert.Equal(LogHistogram.BucketCount, needed);
        Assert.Equal(357, needed);
        Assert.True(LogHistogram.LowerEdge(LogHistogram.BucketCount - 1) <= 600_000);
        Assert.True(LogHistogram.LowerEdge(LogHistogram.BucketCount) > 600_000);
    }

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(0.51, 0)]
    [InlineData(0.52, 1)] // 0.5 × 1.04 = 0.52, the second bucket's lower edge
    [InlineData(1.0, 17)] // ln 2 / ln 1.04 = 17.67
    [InlineData(100.0, 135)] // ln 200 / ln 1.04 = 135.09
    [InlineData(600_000, 356)]
    public void values_fall_in_the_bucket_whose_edges_surround_them(double value, int expected)
    {
        var bucket = LogHistogram.BucketOf(value);

        Assert.Equal(expected, bucket);
        Assert.InRange(value, LogHistogram.LowerEdge(bucket), LogHistogram.LowerEdge(bucket + 1));
    }

    [Fact]
    public void every_bucket_edge_falls_in_the_bucket_it_starts()
    {
        for (var i = 0; i < LogHistogram.BucketCount; i++)
        {
            Assert.Equal(i, LogHistogram.BucketOf(LogHistogram.LowerEdge(i)));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.4999)]
    [InlineData(-5.0)]
    [InlineData(double.NegativeInfinity)]
    public void values_below_the_range_go_to_the_first_bucket(double value) =>
        Assert.Equal(0, LogHistogram.BucketOf(value));

    [Theory]
    [InlineData(600_000.1)]
    [InlineData(5e9)]
    [InlineData(double.PositiveInfinity)]
    public void values_above_the_range_go_to_the_last_bucket(double value) =>
        Assert.Equal(LogHistogram.BucketCount - 1, LogHistogram.BucketOf(value));

    [Fact]
    public void nan_cannot_be_counted() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogHistogram().Add(double.NaN));

    [Fact]
    public void an_empty_histogram_has_no_percentiles()
    {
        var histogram = new LogHistogram();

        Assert.Equal(0, histogram.Count);
        Assert.Null(histogram.Percentile(50));
        Assert.Empty(histogram.ToSparse().Indexes);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(1.0)]
    [InlineData(37.3)]
    [InlineData(99.6)]
    [InlineData(250.0)]
    [InlineData(1234.5)]
    [InlineData(599_999.0)]
    public void a_single_value_is_estimated_within_two_percent_at_every_percentile(double value)
    {
        var histogram = Of([value]);

        foreach (var p in new[] { 0.0, 50, 95, 100 })
        {
            var estimate = histogram.Percentile(p)!.Value;
            Assert.InRange(Math.Abs(estimate - value) / value, 0, Math.Sqrt(1.04) - 1 + 1e-12);
        }
    }

    [Fact]
    public void an_estimate_lies_within_the_bucket_of_the_values_it_stands_for()
    {
        var histogram = Of(Enumerable.Repeat(100.0, 50));
        var estimate = histogram.Percentile(95)!.Value;

        Assert.Equal(135, LogHistogram.BucketOf(estimate));
    }

    [Theory]
    [InlineData(1, 2000, 350.0, 0.6)] // TTFT in ms
    [InlineData(2, 500, 45.0, 0.3)] // output tokens per second
    [InlineData(3, 20_000, 1500.0, 1.2)] // a long tail
    public void percentiles_of_generated_data_are_within_two_percent_of_exact(int seed, int n, double median, double sigma)
    {
        var values = LogNormal(seed, n, median, sigma);
        var histogram = Of(values);

        Assert.Equal(n, histogram.Count);
        foreach (var p in new[] { 1.0, 10, 25, 50, 75, 90, 95, 99, 99.9 })
        {
            var exact = Percentiles.Of(values, p)!.Value;
            var estimate = histogram.Percentile(p)!.Value;
            Assert.True(Math.Abs(estimate - exact) / exact <= 0.02, $"p{p}: estimate {estimate}, exact {exact}");
        }
    }

    [Fact]
    public void percentiles_interpolate_between_ranks_across_buckets()
    {
        // One value in the bucket of 1.0 (17) and one in the bucket of 100.0 (135): p50 is halfway between the midpoints.
        var histogram = Of([1.0, 100.0]);
        var low = 0.5 * Math.Pow(1.04, 17.5);
        var high = 0.5 * Math.Pow(1.04, 135.5);

        Assert.Equal(low, histogram.Percentile(0)!.Value, 10);
        Assert.Equal((low + high) / 2, histogram.Percentile(50)!.Value, 10);
        Assert.Equal(high, histogram.Percentile(100)!.Value, 10);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void a_percentile_outside_0_to_100_is_refused(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Of([1.0]).Percentile(p));

    [Fact]
    public void sparse_form_lists_only_non_empty_buckets_in_ascending_order()
    {
        var (indexes, counts) = Of([100.0, 1.0, 100.0, 0.1, 1e9]).ToSparse();

        Assert.Equal([0, 17, 135, 356], indexes);
        Assert.Equal([1, 1, 2, 1], counts);
    }

    [Fact]
    public void a_histogram_survives_a_round_trip_through_sparse_form()
    {
        var original = Of(LogNormal(7, 1000, 200, 0.8));

        var (indexes, counts) = original.ToSparse();
        var copy = LogHistogram.FromSparse(indexes, counts);

        Assert.Equal(original.Count, copy.Count);
        Assert.Equal(indexes, copy.ToSparse().Indexes);
        Assert.Equal(counts, copy.ToSparse().Counts);
        Assert.True(indexes.Length > 20, "the generated data should spread over many buckets");
        Assert.Equal(original.Percentile(95), copy.Percentile(95));
    }

    [Fact]
    public void merging_histograms_equals_adding_every_value_to_one()
    {
        var first = LogNormal(11, 300, 80, 0.5);
        var second = LogNormal(12, 700, 400, 0.9);
        var merged = Of(first);

        merged.Add(Of(second));
        var all = Of(first.Concat(second));

        Assert.Equal(1000, merged.Count);
        Assert.Equal(all.ToSparse().Indexes, merged.ToSparse().Indexes);
        Assert.Equal(all.ToSparse().Counts, merged.ToSparse().Counts);
        Assert.Equal(all.Percentile(50), merged.Percentile(50));
    }

    [Fact]
    public void merging_a_histogram_into_itself_doubles_every_count()
    {
        var histogram = Of([1.0, 100.0, 100.0]);

        histogram.Add(histogram);

        Assert.Equal(6, histogram.Count);
        Assert.Equal([2, 4], histogram.ToSparse().Counts);
    }

    [Fact]
    public void sparse_lists_of_different_lengths_are_refused() =>
        Assert.Throws<ArgumentException>(() => LogHistogram.FromSparse([1, 2], [5]));

    [Theory]
    [InlineData(-1)]
    [InlineData(LogHistogram.BucketCount)]
    public void a_sparse_index_out_of_range_is_refused(int index) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LogHistogram.FromSparse([index], [1]));

    [Fact]
    public void sparse_indexes_out_of_order_or_repeated_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LogHistogram.FromSparse([5, 3], [1, 1]));
        Assert.Throws<ArgumentException>(() => LogHistogram.FromSparse([3, 3], [1, 1]));
    }

    [Fact]
    public void a_negative_sparse_count_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LogHistogram.FromSparse([3], [-1]));

    [Fact]
    public void the_last_bucket_index_is_accepted_in_sparse_form()
    {
        var histogram = LogHistogram.FromSparse([LogHistogram.BucketCount - 1], [3]);

        Assert.Equal(3, histogram.Count);
    }
}
