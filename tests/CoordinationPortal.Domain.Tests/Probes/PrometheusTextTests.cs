using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class PrometheusTextTests
{
    private const string VllmScrape = """
        # HELP vllm:num_requests_running Number of requests in model execution batches.
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 3.0
        # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
        # TYPE vllm:num_requests_waiting gauge
        vllm:num_requests_waiting{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 7.0

        # HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
        # TYPE vllm:time_to_first_token_seconds histogram
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.04",model_name="meta-llama/Llama-3.1-8B-Instruct"} 12.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="meta-llama/Llama-3.1-8B-Instruct"} 40.0
        vllm:time_to_first_token_seconds_count{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 40.0
        vllm:time_to_first_token_seconds_sum{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 3.25
        process_start_time_seconds 1.7241e+09
        """;

    [Fact]
    public void a_vllm_scrape_yields_every_sample_and_skips_help_type_and_blank_lines()
    {
        var parse = PrometheusText.Parse(VllmScrape);

        Assert.Equal(0, parse.MalformedLines);
        Assert.False(parse.Truncated);
        Assert.Equal(
            [
                "vllm:num_requests_running",
                "vllm:num_requests_waiting",
                "vllm:time_to_first_token_seconds_bucket",
                "vllm:time_to_first_token_seconds_bucket",
                "vllm:time_to_first_token_seconds_count",
                "vllm:time_to_first_token_seconds_sum",
                "process_start_time_seconds",
            ],
            parse.Samples.Select(s => s.Name));
        Assert.Equal([3.0, 7.0, 12.0, 40.0, 40.0, 3.25, 1.7241e9], parse.Samples.Select(s => s.Value));
    }

    [Fact]
    public void labels_are_read_by_name_including_the_plus_inf_bucket_bound()
    {
        var parse = PrometheusText.Parse(VllmScrape);

        var infBucket = parse.Samples[3];
        Assert.Equal("+Inf", infBucket.Labels["le"]);
        Assert.Equal("0", infBucket.Labels["engine"]);
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", infBucket.Labels["model_name"]);
        Assert.Equal(3, infBucket.Labels.Count);
    }

    [Fact]
    public void a_sample_without_labels_has_an_empty_label_set() =>
        Assert.Empty(PrometheusText.Parse("up 1").Samples.Single().Labels);

    [Fact]
    public void an_empty_label_set_in_braces_is_an_empty_label_set()
    {
        var sample = PrometheusText.Parse("up{} 1").Samples.Single();

        Assert.Empty(sample.Labels);
        Assert.Equal(1, sample.Value);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    public void nan_is_a_value(string text) =>
        Assert.True(double.IsNaN(PrometheusText.Parse($"m {text}").Samples.Single().Value));

    [Theory]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("-0.5", -0.5)]
    [InlineData("1e-3", 0.001)]
    [InlineData("2.5E+2", 250)]
    [InlineData("42", 42)]
    public void values_are_read_in_the_invariant_culture(string text, double expected) =>
        Assert.Equal(expected, PrometheusText.Parse($"m{{a=\"b\"}} {text}").Samples.Single().Value);

    [Fact]
    public void a_timestamp_after_the_value_is_accepted_and_dropped()
    {
        var parse = PrometheusText.Parse("""
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"} 3 -1395066363000
            """);

        Assert.Equal(0, parse.MalformedLines);
        Assert.Equal([1027.0, 3.0], parse.Samples.Select(s => s.Value));
    }

    [Fact]
    public void escaped_quotes_backslashes_and_newlines_in_label_values_are_unescaped()
    {
        var sample = PrometheusText.Parse("""msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9""").Samples.Single();

        Assert.Equal(@"C:\DIR\FILE.TXT", sample.Labels["path"]);
        Assert.Equal("Cannot find file:\n\"FILE.TXT\"", sample.Labels["error"]);
        Assert.Equal(1.458255915e9, sample.Value);
    }

    [Fact]
    public void a_brace_or_comma_inside_a_quoted_label_value_is_part_of_the_value()
    {
        var sample = PrometheusText.Parse("""m{a="x}, y=\"z\"",b="2"} 5""").Samples.Single();

        Assert.Equal("x}, y=\"z\"", sample.Labels["a"]);
        Assert.Equal("2", sample.Labels["b"]);
    }

    [Fact]
    public void a_trailing_comma_in_the_label_set_and_spaces_around_labels_are_accepted()
    {
        var sample = PrometheusText.Parse("m { a = \"1\" , b=\"2\", } 9").Samples.Single();

        Assert.Equal("1", sample.Labels["a"]);
        Assert.Equal("2", sample.Labels["b"]);
        Assert.Equal(9, sample.Value);
    }

    [Fact]
    public void windows_line_endings_tabs_and_indented_comments_are_handled()
    {
        var parse = PrometheusText.Parse("  # TYPE a gauge\r\na\t1\r\n\r\n\tb{x=\"y\"}\t2\t123\r\n");

        Assert.Equal(0, parse.MalformedLines);
        Assert.Equal([("a", 1.0), ("b", 2.0)], parse.Samples.Select(s => (s.Name, s.Value)));
    }

    [Theory]
    [InlineData("no_value")]
    [InlineData("m{a=\"1\"}")]
    [InlineData("m abc")]
    [InlineData("m 1,5")]
    [InlineData("m 0x1A")]
    [InlineData("m Infinity")]
    [InlineData("m 1 2 3")]
    [InlineData("m 1 12.5")]
    [InlineData("m{a=\"unterminated} 1")]
    [InlineData("m{a=unquoted} 1")]
    [InlineData("m{a=\"1\" b=\"2\"} 1")]
    [InlineData("m{a=\"1\",a=\"2\"} 1")]
    [InlineData("m{a=\"bad \\t escape\"} 1")]
    [InlineData("m{1a=\"x\"} 1")]
    [InlineData("m{a:b=\"x\"} 1")]
    [InlineData("m{a=\"x\"")]
    [InlineData("9metric 1")]
    [InlineData("metric-name 1")]
    [InlineData("{a=\"x\"} 1")]
    public void a_malformed_line_is_skipped_and_counted_without_throwing(string line)
    {
        var parse = PrometheusText.Parse($"before 1\n{line}\nafter 2\n");

        Assert.Equal(1, parse.MalformedLines);
        Assert.Equal(["before", "after"], parse.Samples.Select(s => s.Name));
    }

    [Fact]
    public void every_malformed_line_is_counted()
    {
        var parse = PrometheusText.Parse("""
            # HELP broken stuff
            ok_one 1
            garbage here
            also garbage
            ok_two{a="b"} 2
            }{
            """);

        Assert.Equal(3, parse.MalformedLines);
        Assert.Equal(2, parse.Samples.Count);
    }

    [Fact]
    public void parsing_stops_at_the_sample_limit_and_says_so()
    {
        var parse = PrometheusText.Parse("a 1\nb 2\nc 3\nd 4\n", maxSamples: 2);

        Assert.Equal(["a", "b"], parse.Samples.Select(s => s.Name));
        Assert.True(parse.Truncated);
    }

    [Fact]
    public void a_scrape_exactly_at_the_limit_is_not_truncated()
    {
        var parse = PrometheusText.Parse("a 1\nb 2\n# trailing comment\n\n", maxSamples: 2);

        Assert.Equal(2, parse.Samples.Count);
        Assert.False(parse.Truncated);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n# only a comment\n")]
    public void a_scrape_without_samples_has_no_samples_and_nothing_malformed(string text)
    {
        var parse = PrometheusText.Parse(text);

        Assert.Empty(parse.Samples);
        Assert.Equal(0, parse.MalformedLines);
    }
}
