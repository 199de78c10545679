using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.Benchmarks;

// Inside the namespace: a using at the top of the file would lose to the namespace CoordinationPortal.EmbeddedPostgres.
using CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// <c>dotnet run -c Release --project tests/CoordinationPortal.Benchmarks -- [--quick]</c>: starts a throwaway
/// PostgreSQL cluster and the portal on real Kestrel, measures the assessment append and the 1,000-agency portfolio
/// against same-run baselines, prints the figures and removes the cluster.
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var unknown = args.Where(a => a is not ("--quick" or "-q" or "probes" or "flags" or "slipping" or "groups" or "forum" or "briefings" or "readpath" or "--no-fleet")).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync(
                $"Unknown argument(s): {string.Join(' ', unknown)}. Usage: dotnet run -c Release --project tests/CoordinationPortal.Benchmarks -- [probes|flags|slipping|groups|forum|briefings|readpath] [--quick]");
            return 2;
        }

        var quick = args.Any(a => a is "--quick" or "-q");
        var settings = BenchSettings.For(quick);

        // WebApplicationFactory finds the portal's content root through MvcTestingAppManifest.json, which it looks
        // for in the current directory; `dotnet run --project` starts in the caller's directory instead.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        using var cancel = new CancellationTokenSource();

        // Ctrl+C and SIGTERM cancel the run instead of killing the process, so the finally blocks stop PostgreSQL
        // and delete its folder.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            cancel.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            if (args.Contains("probes"))
            {
                return await ProbeBenchmark.RunAsync(quick, !args.Contains("--no-fleet"), cancel.Token);
            }

            if (args.Contains("slipping"))
            {
                return await SlippingBenchmark.RunAsync(quick, cancel.Token);
            }

            if (args.Contains("forum"))
            {
                return await ForumBenchmark.RunAsync(quick, cancel.Token);
            }

            if (args.Contains("readpath"))
            {
                return await ReadPathBenchmark.RunAsync(quick, cancel.Token);
            }

            if (args.Contains("briefings"))
            {
                return await BriefingBenchmark.RunAsync(quick, cancel.Token);
            }

            if (args.Contains("groups"))
            {
                return await WorkingGroupBenchmark.RunAsync(quick, cancel.Token);
            }

            return args.Contains("flags") ? await FlagBenchmark.RunAsync(quick, cancel.Token) : await RunAsync(settings, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled; the throwaway PostgreSQL cluster was stopped and removed.");
            return 130;
        }
    }

    private static async Task<int> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        Report.Header(settings);

        var dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bench-{Guid.NewGuid():N}");
        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning));
        EmbeddedPostgres? database = null;
        PortalHostFactory? portal = null;
        try
        {
            var step = Stopwatch.StartNew();
            database = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions { DataDirectory = dataDirectory },
                loggerFactory.CreateLogger("CoordinationPortal.EmbeddedPostgres"),
                ct);
            Report.Step($"PostgreSQL started on 127.0.0.1:{database.Port.ToString(CultureInfo.InvariantCulture)} ({dataDirectory})", step.Elapsed);

            step.Restart();
            portal = new PortalHostFactory(database.ConnectionString, seedDemo: false, environment: "Production");
            portal.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            portal.StartServer();
            var baseAddress = ServerAddress(portal.Services);
            Report.Step($"Portal started on Kestrel at {baseAddress}", step.Elapsed);

            step.Restart();
            var seeded = await PortfolioSeeder.SeedAsync(portal.Services, settings.PortfolioAgencies, ct);
            Report.Step(
                $"Seeded {seeded.Agencies.ToString(CultureInfo.InvariantCulture)} agencies, {seeded.Events.ToString("N0", CultureInfo.InvariantCulture)} events " +
                $"({PortfolioSeeder.HistoryMonths.ToString(CultureInfo.InvariantCulture)} months each, {PortfolioSeeder.BatchSize.ToString(CultureInfo.InvariantCulture)} per session); setup, not timed",
                step.Elapsed);

            // The portfolio runs first, so that it sees exactly the seeded agencies; the assessment benchmark then
            // appends to an event store that already holds the seeded history.
            var portfolio = await PortfolioBenchmark.RunAsync(portal.Services, baseAddress, settings, seeded.Agencies, ct);
            var assessment = await AssessmentBenchmark.RunAsync(portal.Services, database.ConnectionString, settings, ct);
            await ChangeFeedBenchmark.RunAsync(portal, database.ConnectionString, settings.FeedSamples, ct);

            Report.Summary(settings, assessment, portfolio, total.Elapsed);
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

            DeleteDirectory(dataDirectory);
        }
    }

    private static Uri ServerAddress(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no listening address.");
        return new Uri(address, UriKind.Absolute);
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"Could not delete {directory}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"Could not delete {directory}: {e.Message}");
        }
    }
}
