using System.Diagnostics;
using System.Net;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Simulator;
using CoordinationPortal.Web.Probes.Engine;

namespace CoordinationPortal.Integration.Tests.Probes;

/// <summary>Every server kind, and every hostile behaviour, against the real simulator over real sockets. These tests time
/// what they measure, so they run alone, after the parallel collections (one of which starts PostgreSQL).</summary>
[Collection(TimingTests.Name)]
public sealed class ProbeEngineTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData(ServerKind.Vllm)]
    [InlineData(ServerKind.OpenAi)]
    [InlineData(ServerKind.Nim)]
    [InlineData(ServerKind.LlamaCpp)]
    [InlineData(ServerKind.Tgi)]
    [InlineData(ServerKind.KServeV2)]
    [InlineData(ServerKind.Ollama)]
    public async Task every_server_kind_is_probed_up_with_its_tokens_counted(ServerKind kind)
    {
        var url = sim.Profile(new SimulatorProfile { TtftMs = 40, InterTokenMs = 5, OutputTokens = 12 });

        // A generous TTFT target: this test is about each kind's surface, not timing (a cold, loaded test process can
        // take long over its first probe).
        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, kind, p95TtftMs: 10_000), CancellationToken.None);

        Assert.Equal(ProbeState.Up, result.Verdict.State);
        Assert.Equal(ReasonCode.Healthy, result.Verdict.Reason.Code);
        Assert.NotNull(result.Stream);
        Assert.Equal(12, result.Stream.OutputTokens);
        Assert.True(result.Stream.TtftMs >= 40, "never earlier than the injected delay");
        Assert.NotNull(result.ReadinessMs);
    }

    [Fact]
    public async Task ttft_and_inter_token_latency_follow_the_injected_delays()
    {
        const double Ttft = 150, Itl = 25;
        const int Tokens = 10;
        const double EndToEnd = Ttft + ((Tokens - 1) * Itl);
        var delayed = sim.Profile(new SimulatorProfile { TtftMs = Ttft, InterTokenMs = Itl, OutputTokens = Tokens });
        // The same stream with nothing injected: what this host, at this moment, adds to any probe.
        var baseline = sim.Profile(new SimulatorProfile { TtftMs = 0, InterTokenMs = 0, OutputTokens = Tokens });
        // Generous limits: a probe the host stalls still ends with a measurement, for the checks below to judge.
        var options = SimulatorFixture.FastOptions();
        options.HeadersTimeout = options.StreamTimeout = TimeSpan.FromSeconds(10);
        var engine = sim.Engine(options);

        var first = await engine.ProbeAsync(SimulatorFixture.Target(delayed, ServerKind.Vllm), CancellationToken.None);
        Assert.True(first.Cold, "a new engine opens a connection for its first probe");
        Assert.NotNull(first.ConnectMs);

        // Alternating, so a slow spell of the host falls on both series alike.
        var results = new List<StreamMeasurement>();
        var baselines = new List<StreamMeasurement>();
        var later = new List<ProbeResult>();
        for (var i = 0; i < 8; i++)
        {
            var b = await engine.ProbeAsync(SimulatorFixture.Target(baseline, ServerKind.Vllm), CancellationToken.None);
            Assert.Equal(ProbeState.Up, b.Verdict.State);
            baselines.Add(b.Stream!);
            var r = await engine.ProbeAsync(SimulatorFixture.Target(delayed, ServerKind.Vllm), CancellationToken.None);
            Assert.Equal(ProbeState.Up, r.Verdict.State);
            results.Add(r.Stream!);
            later.Add(b);
            later.Add(r);
        }

        // Never earlier than injected, on every probe and every token: the simulator sends token i at its arrival +
        // TTFT + i × ITL, and the probe's clock starts before that arrival. How much later depends on the machine: a
        // loaded 2-core host has been seen to stall a single probe by a second, so each probe gets a loose ceiling. A
        // stall also bunches tokens (those late are read at once, a probe stalled through its whole stream reads them all
        // at once), so a probe's ITL median has no floor of its own.
        foreach (var s in results)
        {
            Assert.InRange(s.TtftMs, Ttft, Ttft + 3_000);
            Assert.Equal(Tokens - 1, s.InterTokenLatenciesMs.Count);
            var at = s.TtftMs;
            for (var token = 1; token < Tokens; token++)
            {
                at += s.InterTokenLatenciesMs[token - 1];
                Assert.True(at >= Ttft + (token * Itl) - 0.001, $"token {token} came at {at:0.0} ms, before its injected {Ttft + (token * Itl)} ms");
            }

            Assert.InRange(s.ItlP50Ms!.Value, 0, Itl + 1_000);
            Assert.True(s.TokensFromUsage);
            Assert.InRange(s.EndToEndMs, EndToEnd, EndToEnd + 3_000);
            // TPOT = (e2e - ttft) / (tokens - 1)
            Assert.Equal((s.EndToEndMs - s.TtftMs) / (Tokens - 1), s.TpotMs!.Value, 3);
        }

        // The tight checks are relative to the undelayed stream, so what a slow host adds to every probe cancels out (the
        // benchmark measures the error precisely). TTFT and end-to-end: the best delayed probe less the best undelayed
        // one is the injected delay. ITL: the median probe's, since a stall makes one probe's gaps longer or shorter.
        Assert.All(baselines, b => Assert.Equal(Tokens, b.OutputTokens));
        var extraTtft = results.Min(s => s.TtftMs) - baselines.Min(s => s.TtftMs);
        var extraEndToEnd = results.Min(s => s.EndToEndMs) - baselines.Min(s => s.EndToEndMs);
        var extraItl = Median(results.Select(s => s.ItlP50Ms!.Value)) - Median(baselines.Select(s => s.ItlP50Ms ?? 0));
        Assert.InRange(extraTtft, Ttft - 60, Ttft + 60);
        Assert.InRange(extraEndToEnd, EndToEnd - 150, EndToEnd + 150);
        Assert.InRange(extraItl, Itl - 10, Itl + 20);

        // The first probe opened the connection; later ones reuse pooled connections. Not every one: a probe stops reading
        // at the stream's end marker, and the handler drains the rest in the background, so on a busy host the next request
        // can find that connection still draining and open another. Probes run one at a time, so a few pooled connections
        // cover them; without reuse, every probe would open one.
        var opened = later.Count(p => p.Cold);
        Assert.True(opened <= later.Count / 4, $"{opened} of {later.Count} later probes opened a connection");
    }

    [Fact]
    public async Task a_server_that_omits_usage_is_measured_by_counting_chunks()
    {
        var url = sim.Profile(new SimulatorProfile { TtftMs = 10, InterTokenMs = 2, OutputTokens = 7, OmitUsage = true });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ProbeState.Up, result.Verdict.State);
        Assert.Equal(7, result.Stream!.OutputTokens);
        Assert.False(result.Stream.TokensFromUsage);
    }

    [Fact]
    public async Task a_slow_first_token_is_degraded_with_the_numbers_in_the_reason()
    {
        var url = sim.Profile(new SimulatorProfile { TtftMs = 400, InterTokenMs = 2, OutputTokens = 4 });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm, p95TtftMs: 200), CancellationToken.None);

        Assert.Equal(ProbeState.Degraded, result.Verdict.State);
        Assert.Equal(ReasonCode.TtftAboveTarget, result.Verdict.Reason.Code);
        Assert.InRange(result.Verdict.Reason.Measured!.Value, 400, 400 + 2_000); // never earlier than injected
        Assert.Equal(200, result.Verdict.Reason.Target);
    }

    [Fact]
    public async Task a_loading_model_is_down_with_model_loading()
    {
        var url = sim.Profile(new SimulatorProfile { Loading = true });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ProbeState.Down, result.Verdict.State);
        Assert.Equal(ReasonCode.ModelLoading, result.Verdict.Reason.Code);
        Assert.Equal(503, result.Verdict.Reason.Status);
        Assert.Equal("/health", result.Verdict.Reason.Path);
    }

    [Fact]
    public async Task a_model_the_server_does_not_serve_is_named()
    {
        var url = sim.Profile(new SimulatorProfile { Model = "served-model" });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm, model: "other-model"), CancellationToken.None);

        Assert.Equal(ReasonCode.ModelNotServed, result.Verdict.Reason.Code);
        Assert.Equal("other-model", result.Verdict.Reason.Detail);
    }

    [Fact]
    public async Task server_errors_are_down_with_the_status()
    {
        var url = sim.Profile(new SimulatorProfile { ErrorRate = 1 });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ProbeState.Down, result.Verdict.State);
        Assert.Equal(ReasonCode.HttpStatus, result.Verdict.Reason.Code);
        Assert.Equal(500, result.Verdict.Reason.Status);
    }

    [Fact]
    public async Task a_hang_before_headers_ends_at_the_headers_timeout()
    {
        var url = sim.Profile(new SimulatorProfile { Hang = true });

        var (result, elapsed) = await Timed(() => sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.OpenAi), CancellationToken.None));

        Assert.Equal(ReasonCode.HeadersTimeout, result.Verdict.Reason.Code);
        Assert.InRange(elapsed.TotalSeconds, 3.9, 10);
    }

    [Fact]
    public async Task a_slow_drip_without_tokens_ends_at_the_stream_timeout()
    {
        var url = sim.Profile(new SimulatorProfile { DripIntervalMs = 100 });

        var (result, elapsed) = await Timed(() => sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None));

        Assert.Equal(ReasonCode.StreamTimeout, result.Verdict.Reason.Code);
        Assert.Equal(0, result.Verdict.Reason.Measured);
        Assert.InRange(elapsed.TotalSeconds, 2.9, 9);
    }

    [Fact]
    public async Task a_stream_that_stops_after_the_first_token_ends_at_the_stream_timeout()
    {
        var url = sim.Profile(new SimulatorProfile { TtftMs = 10, HangAfterFirstToken = true });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ReasonCode.StreamTimeout, result.Verdict.Reason.Code);
        Assert.Equal(1, result.Verdict.Reason.Measured);
    }

    [Fact]
    public async Task a_reset_connection_is_reported_as_reset()
    {
        var url = sim.Profile(new SimulatorProfile { Reset = true });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.OpenAi), CancellationToken.None);

        Assert.Equal(ProbeState.Down, result.Verdict.State);
        Assert.Equal(ReasonCode.ConnectionReset, result.Verdict.Reason.Code);
    }

    [Fact]
    public async Task a_malformed_stream_is_reported_as_malformed()
    {
        var url = sim.Profile(new SimulatorProfile { MalformedStream = true });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ReasonCode.MalformedStream, result.Verdict.Reason.Code);
    }

    [Fact]
    public async Task a_ten_megabyte_body_stops_at_the_byte_cap()
    {
        var url = sim.Profile(new SimulatorProfile { HugeBodyBytes = 10L << 20 });

        var (result, elapsed) = await Timed(() => sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.OpenAi), CancellationToken.None));

        Assert.Equal(ReasonCode.BodyTooLarge, result.Verdict.Reason.Code);
        Assert.Equal(1 << 20, result.Verdict.Reason.Target);
        Assert.True(elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task a_completion_answered_as_html_is_a_wrong_content_type()
    {
        var url = sim.Profile(new SimulatorProfile { WrongContentType = true });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ReasonCode.WrongContentType, result.Verdict.Reason.Code);
        Assert.Equal("text/html", result.Verdict.Reason.Detail);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "CloudMetadata")]
    [InlineData("http://127.0.0.1:9/", "Loopback")]
    [InlineData("http://10.0.0.5/", "Private")]
    public async Task a_redirect_to_a_forbidden_address_is_refused_at_connect_time(string target, string addressClass)
    {
        var url = sim.Profile(new SimulatorProfile { RedirectTo = target });

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.OpenAi), CancellationToken.None);

        Assert.Equal(ReasonCode.AddressRefused, result.Verdict.Reason.Code);
        Assert.EndsWith("|" + addressClass, result.Verdict.Reason.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}", "Loopback")]
    [InlineData("http://localhost:{port}", "Loopback")]
    [InlineData("http://[::1]:{port}", "Loopback")]
    [InlineData("http://169.254.169.254", "CloudMetadata")]
    [InlineData("http://[::ffff:169.254.169.254]", "CloudMetadata")]
    [InlineData("http://192.168.1.10:8000", "Private")]
    [InlineData("http://0.0.0.0:{port}", "Unspecified")]
    public async Task ssrf_guard_refuses_local_and_private_addresses_that_are_not_allowlisted(string template, string addressClass)
    {
        var url = template.Replace("{port}", sim.Simulator.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ReasonCode.AddressRefused, result.Verdict.Reason.Code);
        Assert.EndsWith("|" + addressClass, result.Verdict.Reason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_simulator_is_refused_too_when_its_address_is_not_allowlisted()
    {
        var url = sim.Profile(new SimulatorProfile());

        var refused = await sim.Engine(allowlist: []).ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);
        var allowed = await sim.Engine(allowlist: [IPNetwork.Parse("127.77.0.0/16")]).ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ReasonCode.AddressRefused, refused.Verdict.Reason.Code);
        Assert.Equal(ProbeState.Up, allowed.Verdict.State);
    }

    [Fact]
    public async Task a_closed_port_is_connection_refused()
    {
        var url = $"http://{SimulatorFixture.Address}:{RawServer.ClosedPort(SimulatorFixture.Address)}";

        var result = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ReasonCode.ConnectionRefused, result.Verdict.Reason.Code);
    }

    [Fact]
    public async Task server_metrics_are_read_from_the_vllm_metrics_endpoint_and_a_dcgm_exporter()
    {
        var url = sim.Profile(new SimulatorProfile { MetricsRequestsWaiting = 3, MetricsKvCacheUsage = 0.42 });

        var own = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);
        var dcgm = await sim.Engine().ProbeAsync(
            SimulatorFixture.Target(url, ServerKind.OpenAi, metricsUrl: sim.Simulator.BaseAddress + "dcgm/metrics"), CancellationToken.None);

        Assert.NotNull(own.Metrics);
        Assert.Equal(3, own.Metrics.RequestsWaiting);
        Assert.Equal(0.42, own.Metrics.KvCacheUsage!.Value, 3);
        Assert.NotNull(dcgm.Metrics);
        Assert.True(dcgm.Metrics.GpuCount >= 1);
        Assert.NotNull(dcgm.Metrics.GpuTemperatureCelsius);
    }

    [Fact]
    public async Task the_api_key_is_sent_as_a_bearer_token()
    {
        var url = sim.Profile(new SimulatorProfile { RequireApiKey = "secret-key-1" });

        var without = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);
        var with = await sim.Engine().ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm, apiKey: "secret-key-1"), CancellationToken.None);

        Assert.Equal(ReasonCode.Unauthorized, without.Verdict.Reason.Code);
        Assert.Equal(ProbeState.Up, with.Verdict.State);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<(T Result, TimeSpan Elapsed)> Timed<T>(Func<Task<T>> run)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await run();
        return (result, Stopwatch.GetElapsedTime(started));
    }
}
