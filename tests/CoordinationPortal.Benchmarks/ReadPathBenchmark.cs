using System.Diagnostics;
using System.Globalization;
using System.Net;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace CoordinationPortal.Benchmarks;

// Inside the namespace: a using at the top of the file would lose to the namespace CoordinationPortal.EmbeddedPostgres.
using CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// <c>dotnet run -c Release --project tests/CoordinationPortal.Benchmarks -- readpath [--quick]</c>: the demo portfolio
/// (46 agencies) on real Kestrel, read by 50 concurrent signed-in connections (an in-process load loop: neither wrk nor
/// autocannon is installed on these machines), the portfolio page, the flags board, <c>/api/v1/agencies</c> and a
/// trivial endpoint one after another in the same run; then a first visit to <c>/</c> in Debian's Chromium under
/// network emulation (400 kbit/s, 400 ms RTT): bytes transferred and first contentful paint. Three times on the same
/// database: "before" with <c>Performance:Compression</c>, <c>Performance:OutputCache</c> and the session-stamp cache
/// (<c>Security:Sessions:StampCacheDuration</c>) off, then with the first two on, then "after" with all three on.
/// </summary>
internal static class ReadPathBenchmark
{
    public const int Connections = 50;
    public const double PortfolioTargetRps = 1500;
    public const double PortfolioTargetP95Ms = 50;
    public const double ApiTargetRps = 3000;

    private static readonly (string Name, string Path)[] Targets =
    [
        ("trivial (GET /culture, a redirect without the database)", "/culture?culture=en-IN&returnUrl=/"),
        ("portfolio page GET /", "/"),
        ("flags board GET /flags", "/flags"),
        ("API GET /api/v1/agencies", "/api/v1/agencies"),
    ];

    public static async Task<int> RunAsync(bool quick, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var seconds = quick ? 5 : 15;
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bench-{Guid.NewGuid():N}");
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        EmbeddedPostgres? database = null;
        var results = new List<(string Phase, IReadOnlyList<LoadResult> Load, FirstVisit Visit)>();
        try
        {
            database = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions { DataDirectory = dataDirectory }, loggerFactory.CreateLogger("CoordinationPortal.EmbeddedPostgres"), ct);
            var phases = new[]
            {
                ("before (compression, output cache and session-stamp cache off)", false, false),
                ("compression and output cache on, the session stamp read on every request", true, false),
                ("after (all on)", true, true),
            };
            foreach (var (phase, on, stampCache) in phases)
            {
                var switches = new Dictionary<string, string>
                {
                    ["Performance:Compression"] = on ? "true" : "false",
                    ["Performance:OutputCache"] = on ? "true" : "false",
                    ["Security:Sessions:StampCacheDuration"] = stampCache ? "00:00:30" : "00:00:00",
                };
                await using var portal = new PortalHostFactory(database.ConnectionString, seedDemo: true, switches, environment: "Production");
                portal.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
                portal.StartServer();
                var baseAddress = new Uri(portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
                Report.Line($"== {phase}: portal on {baseAddress}, {seconds} s per endpoint at {Connections} connections");

                var cookies = await SignInAsync(baseAddress, ct);
                var load = new List<LoadResult>();
                foreach (var (name, path) in Targets)
                {
                    var result = await LoadAsync(baseAddress, cookies, name, path, TimeSpan.FromSeconds(seconds), ct);
                    load.Add(result);
                    Report.Line(Describe(result, load[0]));
                }

                var visit = await FirstVisitAsync(baseAddress, ct);
                Report.Line(string.Create(CultureInfo.InvariantCulture,
                    $"  first visit to / at 400 kbit/s, 400 ms RTT: {visit.Bytes / 1024.0:0.0} KB transferred in {visit.Requests} requests, first contentful paint {Paint(visit)}, load {visit.LoadMs / 1000:0.00} s"));
                results.Add((phase, load, visit));
            }

            Report.Line(string.Empty);
            Report.Line("==================================== SUMMARY ====================================");
            foreach (var (phase, load, visit) in results)
            {
                Report.Line($"  {phase}");
                foreach (var result in load)
                {
                    Report.Line("  " + Describe(result, load[0]));
                }

                Report.Line(string.Create(CultureInfo.InvariantCulture, $"    first visit: {visit.Bytes / 1024.0:0.0} KB, first paint {Paint(visit)}"));
            }

            var after = results[^1];
            var portfolio = after.Load[1];
            var api = after.Load[3];
            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"  targets: portfolio >= {PortfolioTargetRps:0} req/s and p95 <= {PortfolioTargetP95Ms:0} ms: {(portfolio.RequestsPerSecond >= PortfolioTargetRps && portfolio.P95 <= PortfolioTargetP95Ms ? "met" : "MISSED")}; " +
                $"API >= {ApiTargetRps:0} req/s: {(api.RequestsPerSecond >= ApiTargetRps ? "met" : "MISSED")}; " +
                $"first visit <= 150 KB and paint <= 4 s: {(after.Visit.Bytes <= 150 * 1024 && after.Visit.FirstPaintMs is >= 0 and <= 4000 ? "met" : "MISSED")}"));
            Report.Line(string.Create(CultureInfo.InvariantCulture, $"  total run time {total.Elapsed.TotalMinutes:0.0} min"));
            return 0;
        }
        finally
        {
            if (database is not null)
            {
                await database.DisposeAsync();
            }

            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A new directory is used each run.
            }
        }
    }

    private static string Describe(LoadResult r, LoadResult trivial) => string.Create(CultureInfo.InvariantCulture,
        $"  {r.Name}: {r.RequestsPerSecond:0} req/s ({r.RequestsPerSecond / trivial.RequestsPerSecond:0.00}x trivial), p50 {r.P50:0.0} ms, p95 {r.P95:0.0} ms ({r.P95 / trivial.P95:0.0}x), " +
        $"p97.5 {r.P975:0.0} ms ({r.P975 / trivial.P975:0.0}x), {r.Errors} errors, {r.BytesPerResponse / 1024.0:0.0} KB a response on the wire");

    /// <summary>Signs in through the real form as the demo viewer; returns the Cookie header a browser would then send.</summary>
    private static async Task<string> SignInAsync(Uri baseAddress, CancellationToken ct)
    {
        var jar = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress };
        var viewer = CoordinationPortal.Web.Seeding.DemoSeeder.Accounts.Single(a => a.Role == "Viewer");
        await PortalForms.SignInAsync(client, viewer.Email, viewer.Password, ct);
        _ = await client.GetStringAsync(new Uri("/", UriKind.Relative), ct); // the antiforgery cookie, as after a first page
        return jar.GetCookieHeader(baseAddress);
    }

    private static async Task<LoadResult> LoadAsync(Uri baseAddress, string cookies, string name, string path, TimeSpan duration, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Connections,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress };

        async Task<(int Status, long Bytes)> OnceAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.TryAddWithoutValidation("Cookie", cookies);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd"); // as Chromium sends it
            request.Headers.TryAddWithoutValidation("Accept", path.StartsWith("/api", StringComparison.Ordinal) ? "application/json" : "text/html");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return ((int)response.StatusCode, body.LongLength);
        }

        // Warm-up: every connection opened, every cache filled.
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => OnceAsync()));
        var latencies = new List<double>[Connections];
        var errors = 0;
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                var (status, size) = await OnceAsync();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                Interlocked.Add(ref bytes, size);
                if (status >= 400)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(name, sorted.Length / elapsed, Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.975), errors, (double)bytes / sorted.Length);
    }

    private static double Percentile(double[] sorted, double fraction) => sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Signs in at full speed, then clears the browser's cache and opens <c>/</c> over the emulated slow link.</summary>
    private static async Task<FirstVisit> FirstVisitAsync(Uri baseAddress, CancellationToken ct)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), Locale = "en-IN" });
        var page = await context.NewPageAsync();
        var viewer = CoordinationPortal.Web.Seeding.DemoSeeder.Accounts.Single(a => a.Role == "Viewer");
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(viewer.Email);
        await page.GetByLabel("Password").FillAsync(viewer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync("about:blank");

        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.clearBrowserCache");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 400,
            ["downloadThroughput"] = 400_000 / 8,
            ["uploadThroughput"] = 400_000 / 8,
        });
        long bytes = 0;
        var requests = 0;
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
        {
            if (e?.TryGetProperty("encodedDataLength", out var length) == true)
            {
                Interlocked.Add(ref bytes, (long)length.GetDouble());
                Interlocked.Increment(ref requests);
            }
        };

        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
        var paint = await page.EvaluateAsync<double>(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || performance.getEntriesByName('first-paint')[0] || { startTime: -1 }).startTime");
        var load = await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].loadEventEnd");
        ct.ThrowIfCancellationRequested();
        return new FirstVisit(Interlocked.Read(ref bytes), requests, paint, load);
    }

    private sealed record LoadResult(string Name, double RequestsPerSecond, double P50, double P95, double P975, int Errors, double BytesPerResponse);

    /// <summary>The paint time, or why there is none (Chromium records no paint entry for a page still loading when it is read).</summary>
    private static string Paint(FirstVisit visit) => visit.FirstPaintMs < 0
        ? "not recorded"
        : string.Create(CultureInfo.InvariantCulture, $"{visit.FirstPaintMs / 1000:0.00} s");

    private sealed record FirstVisit(long Bytes, int Requests, double FirstPaintMs, double LoadMs);
}
