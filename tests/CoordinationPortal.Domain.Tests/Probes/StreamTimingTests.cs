using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class StreamTimingTests
{
    // Five chunks of one token at 200, 230, 250, 290 and 300 ms; the stream closes at 320 ms.
    private static readonly StreamChunk[] FiveChunks =
        [new(200), new(230), new(250), new(290), new(300)];

    [Fact]
    public void ttft_is_the_first_chunk_and_itl_the_gaps_between_chunks()
    {
        var m = StreamTiming.Measure(FiveChunks, 320, null)!;

        Assert.Equal(200, m.TtftMs);
        Assert.Equal(320, m.EndToEndMs);
        Assert.Equal([30.0, 20, 40, 10], m.InterTokenLatenciesMs);
    }

    [Fact]
    public void without_usage_the_tokens_are_counted_from_the_chunks()
    {
        var m = StreamTiming.Measure(FiveChunks, 320, null)!;

        Assert.Equal(5, m.OutputTokens);
        Assert.False(m.TokensFromUsage);
        // TPOT = (320 − 200) / (5 − 1) = 30 ms; throughput = 5 / 0.32 s = 15.625 tokens/s.
        Assert.Equal(30, m.TpotMs!.Value, 10);
        Assert.Equal(15.625, m.OutputTokensPerSecond!.Value, 10);
    }

    [Fact]
    public void itl_percentiles_are_numpy_linear_over_the_gaps()
    {
        var m = StreamTiming.Measure(FiveChunks, 320, null)!;

        // Gaps sorted: 10, 20, 30, 40. p50: h = 1.5 → 25. p95: h = 2.85 → 30 + 0.85 × 10 = 38.5.
        Assert.Equal(25, m.ItlP50Ms!.Value, 10);
        Assert.Equal(38.5, m.ItlP95Ms!.Value, 10);
    }

    [Fact]
    public void the_usage_count_overrides_the_chunk_count_when_the_server_gives_one()
    {
        var m = StreamTiming.Measure(FiveChunks, 320, usageTokens: 9)!;

        Assert.Equal(9, m.OutputTokens);
        Assert.True(m.TokensFromUsage);
        // TPOT = 120 / 8 = 15 ms; throughput = 9 / 0.32 = 28.125 tokens/s.
        Assert.Equal(15, m.TpotMs!.Value, 10);
        Assert.Equal(28.125, m.OutputTokensPerSecond!.Value, 10);
        Assert.Equal(4, m.InterTokenLatenciesMs.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void a_usage_count_that_is_not_positive_is_ignored(int usage)
    {
        var m = StreamTiming.Measure(FiveChunks, 320, usage)!;

        Assert.Equal(5, m.OutputTokens);
        Assert.False(m.TokensFromUsage);
    }

    [Fact]
    public void chunks_carrying_several_tokens_count_them_all()
    {
        // 1 + 4 + 3 = 8 tokens. TPOT = (500 − 100) / 7 = 57.142857…; throughput 8 / 0.5 = 16.
        var m = StreamTiming.Measure([new(100, 1), new(300, 4), new(450, 3)], 500, null)!;

        Assert.Equal(8, m.OutputTokens);
        Assert.Equal(400.0 / 7, m.TpotMs!.Value, 10);
        Assert.Equal(16, m.OutputTokensPerSecond!.Value, 10);
        Assert.Equal([200.0, 150], m.InterTokenLatenciesMs);
    }

    [Fact]
    public void a_single_token_has_no_tpot_and_no_itl()
    {
        var m = StreamTiming.Measure([new(80)], 95, null)!;

        Assert.Equal(80, m.TtftMs);
        Assert.Equal(1, m.OutputTokens);
        Assert.Null(m.TpotMs);
        Assert.Empty(m.InterTokenLatenciesMs);
        Assert.Null(m.ItlP50Ms);
        Assert.Null(m.ItlP95Ms);
        // 1 / 0.095 s = 10.526…
        Assert.Equal(1 / 0.095, m.OutputTokensPerSecond!.Value, 10);
    }

    [Fact]
    public void two_tokens_have_a_tpot_from_one_gap()
    {
        var m = StreamTiming.Measure([new(50), new(70)], 70, null)!;

        Assert.Equal(20, m.TpotMs!.Value, 10);
        Assert.Equal(20, m.ItlP50Ms);
        Assert.Equal(20, m.ItlP95Ms);
    }

    [Fact]
    public void a_single_chunk_with_a_usage_count_has_a_tpot()
    {
        // Everything arrived in one event but the server says 11 tokens: TPOT = (250 − 150) / 10 = 10.
        var m = StreamTiming.Measure([new(150)], 250, 11)!;

        Assert.Equal(10, m.TpotMs!.Value, 10);
        Assert.Empty(m.InterTokenLatenciesMs);
    }

    [Fact]
    public void a_zero_end_to_end_time_has_no_throughput()
    {
        var m = StreamTiming.Measure([new(0), new(0)], 0, null)!;

        Assert.Null(m.OutputTokensPerSecond);
        Assert.Equal(0, m.TpotMs);
    }

    [Fact]
    public void no_chunks_is_no_measurement() => Assert.Null(StreamTiming.Measure([], 500, 10));

    [Fact]
    public void chunks_out_of_order_are_refused() =>
        Assert.Throws<ArgumentException>(() => StreamTiming.Measure([new(100), new(90)], 200, null));

    [Fact]
    public void equal_chunk_times_are_accepted_as_a_zero_gap() =>
        Assert.Equal([0.0], StreamTiming.Measure([new(100), new(100)], 200, null)!.InterTokenLatenciesMs);

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void a_chunk_time_that_is_not_a_time_since_sending_is_refused(double at) =>
        Assert.Throws<ArgumentException>(() => StreamTiming.Measure([new(at)], 200, null));

    [Fact]
    public void a_negative_token_count_on_a_chunk_is_refused() =>
        Assert.Throws<ArgumentException>(() => StreamTiming.Measure([new(10, -1)], 200, null));

    [Fact]
    public void an_end_before_the_last_chunk_is_refused_but_an_end_at_it_is_accepted()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamTiming.Measure(FiveChunks, 299.9, null));
        Assert.NotNull(StreamTiming.Measure(FiveChunks, 300, null));
    }
}
