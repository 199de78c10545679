using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Briefings.Content;
using CoordinationPortal.Web.Briefings.Printing;
using CoordinationPortal.Web.OutOfStep;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.Benchmarks;

// Inside the namespace: a using at the top of the file would lose to the namespace CoordinationPortal.EmbeddedPostgres.
using CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// <c>dotnet run -c Release --project tests/CoordinationPortal.Benchmarks -- briefings [--quick]</c>: PDF briefings.
/// Generation (read with version, render, print; as the job does it, with the browser already running) per scope and
/// language at 46 agencies, then the national briefing at 1,000; the PDF's size and pages; and the cached download over
/// real HTTP (and its 304 revalidation) against the trivial <c>GET /culture</c> in the same run.
/// </summary>
internal static class BriefingBenchmark
{
    public const int SmallPortfolio = 46;
    public const int LargePortfolio = 1000;
    public const double NationalSmallTargetSeconds = 2;
    public const double NationalLargeTargetSeconds = 10;
    public const double CachedTargetP95Ms = 50;
    private const string BaselinePath = "/culture?culture=en-IN&returnUrl=/";

    public static async Task<int> RunAsync(bool quick, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var settings = BenchSettings.For(quick);
        var runs = quick ? 2 : 5;
        Report.Header(settings);
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bench-{Guid.NewGuid():N}");
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        EmbeddedPostgres? database = null;
        PortalHostFactory? portal = null;
        try
        {
            var step = Stopwatch.StartNew();
            database = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions { DataDirectory = dataDirectory }, loggerFactory.CreateLogger("CoordinationPortal.EmbeddedPostgres"), ct);
            portal = new PortalHostFactory(database.ConnectionString, seedDemo: false,
                new Dictionary<string, string> { ["Briefings:RunServer"] = "true" }, environment: "Production");
            portal.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            portal.StartServer();
            var address = new Uri(portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            await PortfolioSeeder.SeedAsync(portal.Services, SmallPortfolio, ct);
            await EvaluateAsync(portal.Services, ct);
            Report.Step($"PostgreSQL and the portal started on Kestrel ({address}); {SmallPortfolio} agencies with history and their flags; setup, not timed", step.Elapsed);

            var printer = portal.Services.GetRequiredService<ChromiumPrinter>();
            var small = await SubjectsAsync(portal.Services, ct);
            Report.Section($"Generation at {SmallPortfolio} agencies (median and max of {runs} runs after one warm-up that also starts the browser)");
            Report.Line(string.Create(CultureInfo.InvariantCulture, $"  {"briefing",-34} {"median",9} {"max",9} {"size",10} {"pages",6}"));
            var results = new List<(string Name, double Median)>();
            foreach (var target in small)
            {
                results.Add(await GenerateAsync(portal.Services, target, runs, ct));
            }

            step.Restart();
            await PortfolioSeeder.SeedAsync(portal.Services, LargePortfolio - SmallPortfolio, ct, first: SmallPortfolio);
            await EvaluateAsync(portal.Services, ct);
            Report.Step($"Seeded {LargePortfolio - SmallPortfolio} more agencies and their flags; setup, not timed", step.Elapsed);
            Report.Section($"Generation at {LargePortfolio} agencies");
            Report.Line(string.Create(CultureInfo.InvariantCulture, $"  {"briefing",-34} {"median",9} {"max",9} {"size",10} {"pages",6}"));
            var large = new List<(string Name, double Median)>();
            foreach (var language in BriefingTarget.Languages)
            {
                large.Add(await GenerateAsync(portal.Services, new BriefingTarget(BriefingScope.National, BriefingTarget.AllSubject, language), runs, ct));
            }

            var cached = await CachedDownloadAsync(portal.Services, address, settings, ct);

            Report.Line(string.Empty);
            Report.Line("==================================== SUMMARY ====================================");
            var nationalSmall = results.Where(r => r.Name.StartsWith("national", StringComparison.Ordinal)).Max(r => r.Median);
            var nationalLarge = large.Max(r => r.Median);
            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"  national at {SmallPortfolio} agencies: {nationalSmall / 1000:0.00} s (the slower language); target <= {NationalSmallTargetSeconds:0} s: {(nationalSmall <= NationalSmallTargetSeconds * 1000 ? "met" : "MISSED")}"));
            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"  national at {LargePortfolio} agencies: {nationalLarge / 1000:0.00} s (the slower language); target <= {NationalLargeTargetSeconds:0} s: {(nationalLarge <= NationalLargeTargetSeconds * 1000 ? "met" : "MISSED")}"));
            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"  cached download p95 {cached.Download.P95:0.0} ms = {cached.Download.P95 / cached.Baseline.P95:0.0}x the trivial endpoint's p95 ({cached.Baseline.P95:0.0} ms); " +
                $"target <= {CachedTargetP95Ms:0} ms: {(cached.Download.P95 <= CachedTargetP95Ms ? "met" : "MISSED")}; 304 revalidation p95 {cached.Revalidation.P95:0.0} ms ({cached.Revalidation.P95 / cached.Baseline.P95:0.0}x)"));
            Report.Line(string.Create(CultureInfo.InvariantCulture, $"  browsers started {printer.Launches}, documents printed {printer.Printed}; total run time {total.Elapsed.TotalMinutes:0.0} min"));
            return 0;
        }
        finally
        {
            if (portal is not null)
            {
                await portal.DisposeAsync();
            }

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
                // Left for the OS; each run uses a new directory.
            }
        }
    }

    private static async Task EvaluateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FlagEvaluator>().EvaluateAllAsync(ct);
    }

    /// <summary>Each scope in both languages: national, the first sector and jurisdiction, the first agency.</summary>
    private static async Task<IReadOnlyList<BriefingTarget>> SubjectsAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var first = await scope.ServiceProvider.GetRequiredService<IQuerySession>().Query<AgencySummary>().OrderBy(a => a.Name).FirstAsync(ct);
        return
        [
            .. BriefingTarget.Languages.SelectMany(language => new[]
            {
                new BriefingTarget(BriefingScope.National, BriefingTarget.AllSubject, language),
                new BriefingTarget(BriefingScope.Sector, first.Sector, language),
                new BriefingTarget(BriefingScope.Jurisdiction, first.Jurisdiction, language),
                new BriefingTarget(BriefingScope.Agency, first.Id.ToString("D"), language),
            }),
        ];
    }

    private static async Task<(string Name, double Median)> GenerateAsync(IServiceProvider services, BriefingTarget target, int runs, CancellationToken ct)
    {
        var times = new List<double>();
        var size = 0;
        var pages = 0;
        for (var i = 0; i <= runs; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var started = Stopwatch.GetTimestamp();
            var model = await scope.ServiceProvider.GetRequiredService<BriefingQueries>().LoadAsync(target, ct)
                ?? throw new InvalidOperationException($"{target} has no data");
            var html = await scope.ServiceProvider.GetRequiredService<BriefingHtml>().RenderAsync(model, new Uri("http://127.0.0.1/"), ct);
            var pdf = await scope.ServiceProvider.GetRequiredService<ChromiumPrinter>().PrintAsync(html, ct);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i > 0)
            {
                times.Add(elapsed);
            }

            (size, pages) = (pdf.Bytes.Length, pdf.Pages);
        }

        times.Sort();
        var median = times[times.Count / 2];
        var name = target.Scope == BriefingScope.Agency ? $"agency/{target.Language}" : target.ToString();
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-34} {median,6:0} ms {times[^1],6:0} ms {Report.Bytes(size),10} {pages,6}"));
        return (name, median);
    }

    private sealed record Cached(LatencySummary Baseline, LatencySummary Download, LatencySummary Revalidation);

    private static async Task<Cached> CachedDownloadAsync(IServiceProvider services, Uri address, BenchSettings settings, CancellationToken ct)
    {
        await PortfolioBenchmark.CreateViewerAsync(services);
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(120) };
        await PortalForms.SignInAsync(client, PortfolioBenchmark.ViewerEmail, PortfolioBenchmark.ViewerPassword, ct);

        const string Path = "/api/v1/briefings/national/all?lang=hi";
        var generation = Stopwatch.StartNew();
        string etag;
        long bytes;
        while (true)
        {
            using var response = await client.GetAsync(new Uri(Path, UriKind.Relative), ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                etag = response.Headers.ETag!.Tag;
                bytes = (await response.Content.ReadAsByteArrayAsync(ct)).LongLength;
                break;
            }

            if (response.StatusCode != HttpStatusCode.Accepted || generation.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new InvalidOperationException($"GET {Path} answered {(int)response.StatusCode} after {generation.Elapsed.TotalSeconds:0} s");
            }

            await Task.Delay(250, ct);
        }

        Report.Section(string.Create(CultureInfo.InvariantCulture,
            $"Cached download over HTTP: national, Hindi, {LargePortfolio} agencies ({Report.Bytes(bytes)}; first request to ready through the job: {generation.Elapsed.TotalSeconds:0.0} s; {settings.HttpRequests} requests each)"));
        var baseline = new LatencyRecorder("GET /culture (baseline)", settings.HttpRequests);
        var download = new LatencyRecorder("GET briefing (200, cached)", settings.HttpRequests);
        var revalidation = new LatencyRecorder("GET briefing (304)", settings.HttpRequests);
        for (var i = 0; i < settings.HttpWarmup + settings.HttpRequests; i++)
        {
            var measured = i >= settings.HttpWarmup;
            await TimeAsync(client, BaselinePath, null, HttpStatusCode.Redirect, measured ? baseline : null, ct);
            await TimeAsync(client, Path, null, HttpStatusCode.OK, measured ? download : null, ct);
            await TimeAsync(client, Path, etag, HttpStatusCode.NotModified, measured ? revalidation : null, ct);
        }

        var result = new Cached(baseline.Summarize(), download.Summarize(), revalidation.Summarize());
        Report.Latencies(result.Baseline, result.Download, result.Revalidation);
        return result;
    }

    private static async Task TimeAsync(HttpClient client, string path, string? etag, HttpStatusCode expected, LatencyRecorder? recorder, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (etag is not null)
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag));
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        recorder?.Stop(started);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}, expected {(int)expected}.");
        }
    }
}
