using System.Net;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Simulator;
using CoordinationPortal.Web.Probes.Engine;

namespace CoordinationPortal.Integration.Tests.Probes;

/// <summary>
/// Probes that must not flatter or leak, against the real simulator's profiles that reproduce each problem: an empty
/// answer, a prompt cache, a llama.cpp server serving another model, an error inside a 200 stream, a server whose error
/// body carries a password, and an allowlisted address reached on a port its entry does not open.
/// </summary>
[Collection(TimingTests.Name)]
public sealed class ProbeHonestyTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private static ProbeOptions Generous()
    {
        var options = SimulatorFixture.FastOptions();
        options.HeadersTimeout = options.StreamTimeout = TimeSpan.FromSeconds(10);
        return options;
    }

    [Theory]
    [InlineData(ServerKind.Vllm)]
    [InlineData(ServerKind.LlamaCpp)]
    public async Task an_answer_with_no_generated_text_is_down_not_one_fast_token(ServerKind kind)
    {
        // A role chunk, then a finish chunk, then usage saying 1 token: nothing a user would read.
        var url = sim.Profile(SimulatorProfile.DefaultProfiles["empty-answer"]);

        var result = await sim.Engine(Generous()).ProbeAsync(SimulatorFixture.Target(url, kind), CancellationToken.None);

        Assert.Equal(ProbeState.Down, result.Verdict.State);
        Assert.Equal(ReasonCode.NoToken, result.Verdict.Reason.Code);
        Assert.Null(result.Stream);
    }

    [Fact]
    public async Task a_role_chunk_before_the_text_does_not_count_as_the_first_token()
    {
        // The normal profile sends the role with the first token; the empty profile sends it alone at TTFT. A stream of real
        // text still counts only its text: 12 tokens from 12 content chunks.
        var url = sim.Profile(new SimulatorProfile { TtftMs = 20, InterTokenMs = 2, OutputTokens = 12, OmitUsage = true });

        var result = await sim.Engine(Generous()).ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        Assert.Equal(ProbeState.Up, result.Verdict.State);
        Assert.Equal(12, result.Stream!.OutputTokens);
        Assert.False(result.Stream.TokensFromUsage);
    }

    [Fact]
    public async Task a_prompt_cache_cannot_answer_the_probe_so_ttft_is_that_of_a_new_prompt()
    {
        // 300 ms for a new prompt, 20 ms for one the server has seen (a prefix sharing half of it).
        var profile = SimulatorProfile.DefaultProfiles["prompt-cache"] with { InterTokenMs = 1, OutputTokens = 4 };
        var url = sim.Profile(profile);
        var engine = sim.Engine(Generous());
        var target = SimulatorFixture.Target(url, ServerKind.LlamaCpp);

        var first = await engine.ProbeAsync(target, CancellationToken.None);
        var second = await engine.ProbeAsync(target, CancellationToken.None);
        var third = await engine.ProbeAsync(target, CancellationToken.None);

        // Lower bounds only: a loaded machine can make a probe slower, never faster than the server's delay.
        Assert.True(first.Stream!.TtftMs >= 300, $"first TTFT {first.Stream.TtftMs:0} ms");
        Assert.True(second.Stream!.TtftMs >= 300, $"second TTFT {second.Stream.TtftMs:0} ms: served from the prompt cache");
        Assert.True(third.Stream!.TtftMs >= 300, $"third TTFT {third.Stream.TtftMs:0} ms: served from the prompt cache");
    }

    [Fact]
    public void each_probe_prompt_starts_with_its_own_nonce()
    {
        var a = ProbeEngine.UniquePrompt("Reply with one short sentence about the weather.");
        var b = ProbeEngine.UniquePrompt("Reply with one short sentence about the weather.");

        Assert.NotEqual(a, b);
        Assert.NotEqual(a[..20], b[..20]); // they differ at the start, where a prefix cache matches
        Assert.EndsWith("Reply with one short sentence about the weather.", a, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_llama_cpp_server_serving_another_model_is_down_as_not_served()
    {
        // llama-server answers completions with whatever it loaded, so only its model list can tell.
        var url = sim.Profile(SimulatorProfile.DefaultProfiles["llamacpp-other-model"] with { TtftMs = 5, InterTokenMs = 1 });

        var result = await sim.Engine(Generous()).ProbeAsync(SimulatorFixture.Target(url, ServerKind.LlamaCpp, model: "sim-llama-3-8b"), CancellationToken.None);

        Assert.Equal(ProbeState.Down, result.Verdict.State);
        Assert.Equal(ReasonCode.ModelNotServed, result.Verdict.Reason.Code);
        Assert.Equal("/v1/models", result.Verdict.Reason.Path);
        Assert.Equal("sim-llama-3-8b", result.Verdict.Reason.Detail);
    }

    [Theory]
    [InlineData("sim-qwen-2.5-7b")] // the id /v1/models lists (the --alias, or here the model)
    [InlineData("sim-qwen-2.5-7b.gguf")]
    public async Task a_llama_cpp_server_serving_the_registered_model_is_up(string registered)
    {
        var profile = SimulatorProfile.DefaultProfiles["llamacpp-other-model"] with { TtftMs = 5, InterTokenMs = 1 };
        var url = sim.Profile(registered.EndsWith(".gguf", StringComparison.Ordinal) ? profile with { Model = registered } : profile);

        var result = await sim.Engine(Generous()).ProbeAsync(SimulatorFixture.Target(url, ServerKind.LlamaCpp, model: "sim-qwen-2.5-7b"), CancellationToken.None);

        Assert.Equal(ProbeState.Up, result.Verdict.State);
    }

    [Theory]
    [InlineData("sim-qwen-2.5-7b", ProbeState.Up)] // /props model_path "/models/sim-qwen-2.5-7b.gguf"
    [InlineData("sim-llama-3-8b", ProbeState.Down)]
    public async Task without_a_model_list_llama_cpp_is_checked_through_props(string registered, ProbeState expected)
    {
        var url = sim.Profile(SimulatorProfile.DefaultProfiles["llamacpp-other-model"] with { TtftMs = 5, InterTokenMs = 1, ModelListMissing = true });

        var result = await sim.Engine(Generous()).ProbeAsync(SimulatorFixture.Target(url, ServerKind.LlamaCpp, model: registered), CancellationToken.None);

        Assert.Equal(expected, result.Verdict.State);
        if (expected == ProbeState.Down)
        {
            Assert.Equal(ReasonCode.ModelNotServed, result.Verdict.Reason.Code);
            Assert.Equal("/props", result.Verdict.Reason.Path);
        }
    }

    [Fact]
    public async Task an_error_inside_a_200_stream_is_named_as_the_servers_error_with_its_message()
    {
        var url = sim.Profile(SimulatorProfile.DefaultProfiles["stream-error"] with { TtftMs = 5, InterTokenMs = 1 });

        var result = await sim.Engine(Generous()).ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        var reason = result.Verdict.Reason;
        Assert.Equal(ProbeState.Down, result.Verdict.State);
        Assert.Equal(ReasonCode.StreamError, reason.Code);
        Assert.Null(reason.Status); // not "HTTP 200"
        Assert.Equal("CUDA error: out of memory while decoding", reason.Excerpt);
        Assert.Equal(2, reason.Measured); // the text that came before the error
    }

    [Fact]
    public async Task a_servers_error_body_is_kept_only_as_a_sanitised_excerpt_without_its_secrets()
    {
        var url = sim.Profile(SimulatorProfile.DefaultProfiles["leaky"]);

        var result = await sim.Engine(Generous()).ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);

        var reason = result.Verdict.Reason;
        Assert.Equal(ReasonCode.HttpStatus, reason.Code);
        Assert.Equal(500, reason.Status);
        Assert.Null(reason.Detail);
        Assert.NotNull(reason.Excerpt);
        Assert.StartsWith("upstream refused:", reason.Excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", reason.Excerpt, StringComparison.Ordinal);
        Assert.Contains(ReasonExcerpt.Redacted, reason.Excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task nothing_is_kept_of_a_body_that_came_from_where_a_redirect_led()
    {
        var leaky = sim.Profile(SimulatorProfile.DefaultProfiles["leaky"]);
        var url = sim.Profile(new SimulatorProfile { RedirectTo = leaky + "/v1/chat/completions" });

        // Every route of the first profile redirects to the leaky one's completions: whatever fails there is another
        // service's answer, not the probe path's.
        var result = await sim.Engine(Generous()).ProbeAsync(SimulatorFixture.Target(url, ServerKind.OpenAi), CancellationToken.None);

        Assert.Equal(ProbeState.Down, result.Verdict.State);
        Assert.Null(result.Verdict.Reason.Excerpt);
        Assert.Null(result.Verdict.Reason.Detail);
    }

    [Fact]
    public async Task a_service_that_is_not_http_cannot_leak_its_answer_through_the_error_message()
    {
        // Not an inference server at all: it answers anything with one line carrying a password. .NET's error for an
        // invalid status line quotes that line, so the message is kept only as a sanitised excerpt.
        using var listener = new System.Net.Sockets.TcpListener(SimulatorFixture.Address, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer);
            await stream.WriteAsync("db_password=hunter2 ready\r\n\r\n"u8.ToArray());
        });

        var result = await sim.Engine(Generous()).ProbeAsync(
            SimulatorFixture.Target($"http://{SimulatorFixture.Address}:{port}", ServerKind.Vllm), CancellationToken.None);
        await serving;

        var reason = result.Verdict.Reason;
        Assert.Equal(ProbeState.Down, result.Verdict.State);
        Assert.Null(reason.Detail);
        Assert.Null(reason.PublicDetail);
        Assert.DoesNotContain("hunter2", reason.Excerpt ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_allowlisted_address_is_reachable_only_on_the_ports_its_entry_opens()
    {
        var url = sim.Profile(new SimulatorProfile { TtftMs = 5, InterTokenMs = 1 });
        var port = new Uri(url).Port;
        var network = IPNetwork.Parse("127.77.0.2/32");

        var webPortsOnly = await ProbeWith(new AllowlistRule(network, PortSet.Default));
        var otherPort = await ProbeWith(Parse($"127.77.0.2/32:{(port == 65535 ? 1 : port + 1)}"));
        var itsPort = await ProbeWith(Parse($"127.77.0.2:{port}"));

        Assert.Equal(ReasonCode.AddressRefused, webPortsOnly.Verdict.Reason.Code);
        Assert.Equal($"127.77.0.2:{port}|Port", webPortsOnly.Verdict.Reason.Detail);
        Assert.Equal(ReasonCode.AddressRefused, otherPort.Verdict.Reason.Code);
        Assert.Equal(ProbeState.Up, itsPort.Verdict.State);

        Task<ProbeResult> ProbeWith(AllowlistRule rule) =>
            ProbeWithRules(url, [rule]);
    }

    private static async Task<ProbeResult> ProbeWithRules(string url, IReadOnlyList<AllowlistRule> rules)
    {
        var options = Generous();
        var connector = new Web.Outbound.ProbeConnector(_ => ValueTask.FromResult(rules), options.ConnectTimeout);
        using var http = new HttpClient(Web.Outbound.OutboundHttp.CreateHandler(connector)) { Timeout = Timeout.InfiniteTimeSpan };
        var engine = new ProbeEngine(http, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
        return await engine.ProbeAsync(SimulatorFixture.Target(url, ServerKind.Vllm), CancellationToken.None);
    }

    private static AllowlistRule Parse(string text)
    {
        Assert.True(AllowlistRule.TryParse(text, out var rule, out var error), error);
        return rule;
    }
}
