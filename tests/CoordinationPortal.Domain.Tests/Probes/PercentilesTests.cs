using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class PercentilesTests
{
    [Theory]
    // numpy.percentile([1, 2, 3, 4], p): h = 3p/100.
    [InlineData(0, 1)]
    [InlineData(25, 1.75)]
    [InlineData(50, 2.5)]
    [InlineData(95, 3.85)]
    [InlineData(99, 3.97)]
    [InlineData(100, 4)]
    public void percentiles_of_one_to_four_match_numpys_linear_method(double p, double expected) =>
        Assert.Equal(expected, Percentiles.Of([1.0, 2, 3, 4], p)!.Value, 10);

    [Fact]
    public void unsorted_input_is_sorted_first_and_left_as_it_was()
    {
        double[] values = [40, 10, 30, 20, 50];

        // Sorted 10..50, n = 5: p90 → h = 3.6 → 40 + 0.6 × 10 = 46; p10 → h = 0.4 → 14.
        Assert.Equal(46, Percentiles.Of(values, 90)!.Value, 10);
        Assert.Equal(14, Percentiles.Of(values, 10)!.Value, 10);
        Assert.Equal([40.0, 10, 30, 20, 50], values);
    }

    [Fact]
    public void a_single_value_is_every_percentile()
    {
        Assert.Equal(7.5, Percentiles.Of([7.5], 0));
        Assert.Equal(7.5, Percentiles.Of([7.5], 50));
        Assert.Equal(7.5, Percentiles.Of([7.5], 100));
    }

    [Fact]
    public void repeated_values_interpolate_between_their_neighbours()
    {
        // [5, 5, 5, 100]: p50 → h = 1.5 → 5; p80 → h = 2.4 → 5 + 0.4 × 95 = 43.
        Assert.Equal(5, Percentiles.Of([5.0, 100, 5, 5], 50)!.Value, 10);
        Assert.Equal(43, Percentiles.Of([5.0, 100, 5, 5], 80)!.Value, 10);
    }

    [Fact]
    public void no_values_have_no_percentile_and_no_mean()
    {
        Assert.Null(Percentiles.Of([], 50));
        Assert.Null(Percentiles.Mean([]));
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(100.001)]
    [InlineData(double.NaN)]
    public void a_percentile_outside_0_to_100_is_refused(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1.0, 2], p));

    [Fact]
    public void nan_among_the_values_is_refused() =>
        Assert.Throws<ArgumentException>(() => Percentiles.Of([1.0, double.NaN, 3], 50));

    [Fact]
    public void the_mean_is_the_arithmetic_mean()
    {
        Assert.Equal(2.5, Percentiles.Mean([1.0, 2, 3, 4]));
        Assert.Equal(-1, Percentiles.Mean([-3.0, 1]));
        Assert.Equal(12.34, Percentiles.Mean([12.34]));
    }
}
