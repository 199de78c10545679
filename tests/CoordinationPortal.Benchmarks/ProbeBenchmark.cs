using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Probes;
using CoordinationPortal.Web.Probes.Engine;
using CoordinationPortal.Web.Outbound;
using CoordinationPortal.Web.Probes.Storage;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoordinationPortal.Benchmarks;

// Inside the namespace: a using at the top of the file would lose to the namespace CoordinationPortal.EmbeddedPostgres.
using CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// <c>dotnet run -c Release --project tests/CoordinationPortal.Benchmarks -- probes [--quick]</c>. The simulator runs as
/// its own process, so this process's CPU time is the probe side only. Three figures:
/// (1) TTFT error against the simulator's injected delay; (2) the probe engine's CPU per request against a bare
/// HttpClient streaming loop doing the same requests, interleaved in the same run; (3) 1,000 endpoints at a one-minute
/// interval through the real dispatcher and recorder (PostgreSQL, damping, events) on one worker, with its CPU use.
/// </summary>
internal static class ProbeBenchmark
{
    private const string Address = "127.77.0.9";

    public static async Task<int> RunAsync(bool quick, bool fleet, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine($"CoordinationPortal probe benchmark ({(quick ? "quick" : "full")}), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var port = FreePort();
        var profilesFile = Path.Combine(Path.GetTempPath(), $"cp-bench-profiles-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(profilesFile, Profiles(), ct);
        using var simulator = StartSimulator(port, profilesFile);
        try
        {
            var baseUrl = $"http://{Address}:{port.ToString(CultureInfo.InvariantCulture)}";
            await WaitForAsync(baseUrl, ct);
            await TtftAccuracyAsync(baseUrl, quick ? 60 : 200, ct);
            await PerRequestCostAsync(baseUrl, quick ? 300 : 1500, ct);
            if (fleet)
            {
                await ThroughputAsync(baseUrl, quick ? 1 : 2, ct);
            }

            Console.WriteLine($"Total {total.Elapsed.TotalSeconds:0} s");
            return 0;
        }
        finally
        {
            simulator.Kill(entireProcessTree: true);
            File.Delete(profilesFile);
        }
    }

    private static string Profiles()
    {
        var profiles = new Dictionary<string, object>
        {
            ["ttft50"] = new { ttftMs = 50, interTokenMs = 10, outputTokens = 8 },
            ["ttft200"] = new { ttftMs = 200, interTokenMs = 10, outputTokens = 8 },
            ["ttft800"] = new { ttftMs = 800, interTokenMs = 10, outputTokens = 8 },
            ["instant"] = new { ttftMs = 0, interTokenMs = 0, outputTokens = 16 },
        };
        for (var i = 0; i < 10; i++)
        {
            profiles[$"fleet{i}"] = new { ttftMs = 60 + (i * 20), interTokenMs = 12, outputTokens = 16 };
        }

        return JsonSerializer.Serialize(profiles);
    }

    private static ProbeEngine Engine(int maxTokens = 16)
    {
        var options = new ProbeOptions { MaxTokens = maxTokens };
        IReadOnlyList<AllowlistRule> allow = [AllowlistRule.AnyPort(IPNetwork.Parse(Address + "/32"))];
        var connector = new ProbeConnector(_ => ValueTask.FromResult(allow), options.ConnectTimeout);
        return new ProbeEngine(new HttpClient(OutboundHttp.CreateHandler(connector)) { Timeout = Timeout.InfiniteTimeSpan },
            Options.Create(options), TimeProvider.System);
    }

    private static ProbeTarget Target(string url, ServerKind kind = ServerKind.OpenAi) =>
        new(Guid.NewGuid(), new EndpointSettings("bench", url, kind, "sim-llama-3-8b", 60, new SloTargets(99, 5000, 0), null), null);

    private static async Task TtftAccuracyAsync(string baseUrl, int probes, CancellationToken ct)
    {
        Console.WriteLine();
        Console.WriteLine($"1. TTFT error = measured − injected, {probes} probes per delay (target: p99 ≤ 2 ms)");
        // The floor of this machine: how late a wait that sleeps, then spins to a deadline, wakes up here (no I/O).
        var lateness = new List<double>();
        for (var i = 0; i < probes; i++)
        {
            var due = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 20);
            await Task.Delay(47, ct);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.SpinWait(20);
            }

            lateness.Add(Stopwatch.GetElapsedTime(due).TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   baseline, this machine's wake-up lateness for a 50 ms sleep-then-spin wait: p50 {Percentiles.Of(lateness, 50):0.000} ms, p99 {Percentiles.Of(lateness, 99):0.000} ms, max {lateness.Max():0.000} ms"));
        var engine = Engine(maxTokens: 8);
        foreach (var ttft in new[] { 50, 200, 800 })
        {
            var errors = new List<double>();
            var url = $"{baseUrl}/p/ttft{ttft.ToString(CultureInfo.InvariantCulture)}";
            for (var i = 0; i < 10; i++)
            {
                await engine.ProbeAsync(Target(url), ct); // warm-up: JIT, connection
            }

            for (var i = 0; i < probes; i++)
            {
                var r = await engine.ProbeAsync(Target(url), ct);
                errors.Add(r.Stream!.TtftMs - ttft);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   injected {ttft,4} ms: error p50 {Percentiles.Of(errors, 50):0.000} ms, p99 {Percentiles.Of(errors, 99):0.000} ms, max {errors.Max():0.000} ms"));
        }
    }

    private static async Task PerRequestCostAsync(string baseUrl, int requests, CancellationToken ct)
    {
        Console.WriteLine();
        Console.WriteLine($"2. CPU per probe request: probe engine vs bare HttpClient streaming loop, same requests ({requests} each, interleaved; target ≤ 1.15×)");
        var url = baseUrl + "/p/instant";
        var engine = Engine();
        using var bare = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var body = JsonSerializer.Serialize(new
        {
            model = "sim-llama-3-8b",
            messages = new[] { new { role = "user", content = "Reply with one short sentence about the weather." } },
            max_tokens = 16, temperature = 0, stream = true, stream_options = new { include_usage = true },
        });

        async Task BareAsync()
        {
            // The same two requests an OpenAI-kind probe makes: the model list, then the streamed completion read line by line.
            using (var models = await bare.GetAsync(new Uri(url + "/v1/models"), ct))
            {
                await models.Content.ReadAsByteArrayAsync(ct);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, url + "/v1/chat/completions")
            { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await bare.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line && line != "data: [DONE]")
            {
            }
        }

        var cold = 0;
        async Task EngineAsync()
        {
            var r = await engine.ProbeAsync(Target(url), ct);
            cold += r.Cold ? 1 : 0;
        }

        for (var i = 0; i < 100; i++)
        {
            await BareAsync();
            await EngineAsync();
        }

        // Rounds alternate which side goes first; each round gives a ratio, and the median ratio is reported, so a
        // burst of noise from elsewhere on a shared machine moves one round, not the figure.
        const int rounds = 10;
        var perRound = requests / rounds;
        double bareCpu = 0, engineCpu = 0, bareWall = 0, engineWall = 0;
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            (double Cpu, double Wall) b, e;
            if (round % 2 == 0)
            {
                b = await MeasureAsync(BareAsync, perRound);
                e = await MeasureAsync(EngineAsync, perRound);
            }
            else
            {
                e = await MeasureAsync(EngineAsync, perRound);
                b = await MeasureAsync(BareAsync, perRound);
            }

            bareCpu += b.Cpu; bareWall += b.Wall; engineCpu += e.Cpu; engineWall += e.Wall;
            ratios.Add(e.Cpu / b.Cpu);
        }

        var n = (double)(perRound * rounds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   bare loop : {bareCpu / n * 1000:0.0} µs CPU, {bareWall / n:0.000} ms wall per probe (2 requests)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   engine    : {engineCpu / n * 1000:0.0} µs CPU, {engineWall / n:0.000} ms wall per probe (2 requests)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   ratio     : CPU median of {rounds} rounds {Percentiles.Of(ratios, 50):0.00}× (rounds {ratios.Min():0.00}–{ratios.Max():0.00}×; totals {engineCpu / bareCpu:0.00}×), wall {engineWall / bareWall:0.00}×; {cold} engine probes opened a new connection"));
    }

    private static async Task<(double CpuMs, double WallMs)> MeasureAsync(Func<Task> run, int count)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await run();
        }

        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalMilliseconds, wall.Elapsed.TotalMilliseconds);
    }

    private static async Task ThroughputAsync(string baseUrl, int minutes, CancellationToken ct)
    {
        const int endpoints = 1000;
        Console.WriteLine();
        Console.WriteLine($"3. {endpoints} endpoints at a 60 s interval, one worker, {minutes} min through the dispatcher + recorder (target: sustained, CPU < 25% of 2 cores)");
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bench-probes-{Guid.NewGuid():N}");
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        var database = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = dataDirectory }, loggerFactory.CreateLogger("pg"), ct);
        var portal = new PortalHostFactory(database.ConnectionString, seedDemo: false,
            new Dictionary<string, string> { ["Probes:Network:Allow:0"] = Address + "/32:*" }, environment: "Production");
        try
        {
            var services = portal.Services;
            var store = services.GetRequiredService<IDocumentStore>();
            var probes = services.GetRequiredService<ProbeStore>();
            var agencyId = Guid.NewGuid();
            await using (var session = store.LightweightSession())
            {
                session.Events.StartStream<Domain.Agencies.Agency>(agencyId,
                    new Domain.Agencies.AgencyRegistered(agencyId, "Bench agency", Domain.Agencies.AgencyKind.Ministry, "health", "national", "bench", DateTimeOffset.UtcNow));
                var kinds = new[] { ServerKind.Vllm, ServerKind.Tgi, ServerKind.Ollama, ServerKind.KServeV2, ServerKind.LlamaCpp };
                for (var i = 0; i < endpoints; i++)
                {
                    var id = Guid.NewGuid();
                    var settings = new EndpointSettings($"bench {i}", $"{baseUrl}/p/fleet{(i % 10).ToString(CultureInfo.InvariantCulture)}",
                        kinds[i % kinds.Length], "sim-llama-3-8b", 60, new SloTargets(99, 1000, 5), null);
                    session.Events.StartStream<InferenceEndpoint>(id, new EndpointRegistered(id, agencyId, settings, false, "bench", DateTimeOffset.UtcNow));
                }

                await session.SaveChangesAsync(ct);
            }

            // Spread the first due times over the minute, as endpoints registered over time would be.
            await using (var connection = await probes.DataSource.OpenConnectionAsync(ct))
            {
                await using var insert = new NpgsqlCommand(
                    """
                    INSERT INTO probes.schedule (endpoint_id, interval_seconds, next_due, active)
                    SELECT id, 60, now() + make_interval(secs => 5 + (row_number() OVER (ORDER BY id)) * 60.0 / $1), true
                    FROM portal.mt_doc_inferenceendpoint
                    """, connection);
                insert.Parameters.AddWithValue(endpoints);
                await insert.ExecuteNonQueryAsync(ct);
            }

            var dispatcher = services.GetRequiredService<ProbeDispatcher>();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var started = DateTimeOffset.UtcNow;
            var dispatched = await dispatcher.DispatchAsync(TimeSpan.FromSeconds(5 + (60 * minutes)), ct);
            var elapsed = wall.Elapsed;
            process.Refresh();
            var used = process.TotalProcessorTime - cpu;

            await using var read = await probes.DataSource.OpenConnectionAsync(ct);
            await using var count = new NpgsqlCommand(
                "SELECT count(*), count(*) FILTER (WHERE state = 0), percentile_cont(0.99) WITHIN GROUP (ORDER BY ttft_ms) FROM probes.samples WHERE at >= $1", read);
            count.Parameters.AddWithValue(started);
            await using var r = await count.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            var samples = r.GetInt64(0);
            var up = r.GetInt64(1);
            var cpuShare = used.TotalSeconds / elapsed.TotalSeconds / Environment.ProcessorCount * 100;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   probes dispatched {dispatched}, recorded {samples} ({up} Up) in {elapsed.TotalSeconds:0.0} s = {samples / (elapsed.TotalSeconds - 5) * 60:0} probes/min"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   CPU (this process: dispatcher, engine, recorder, Npgsql/Marten) {used.TotalSeconds:0.0} s = {cpuShare:0.0}% of {Environment.ProcessorCount} cores (PostgreSQL and the simulator are other processes)"));
        }
        finally
        {
            await portal.DisposeAsync();
            await database.DisposeAsync();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Process StartSimulator(int port, string profilesFile)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CoordinationPortal.Simulator.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--address", Address, "--port", port.ToString(CultureInfo.InvariantCulture), "--profiles", profilesFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The simulator did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("simulator: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForAsync(string baseUrl, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var r = await http.GetAsync(new Uri(baseUrl + "/health"), ct);
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200, ct);
        }

        throw new InvalidOperationException("The simulator did not answer.");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Parse(Address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
