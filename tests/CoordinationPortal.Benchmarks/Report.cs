using System.Globalization;
using System.Runtime.InteropServices;

namespace CoordinationPortal.Benchmarks;

/// <summary>Everything the benchmark prints, formatted with the invariant culture.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Header(BenchSettings settings)
    {
        Line($"CoordinationPortal benchmarks ({(settings.Quick ? "quick" : "full")} mode)");
        Line(string.Create(Invariant,
            $"  {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}"));
        Line($"  load average at start: {LoadAverage()}");
        Line("  latencies in ms; ratios are against the same-run baseline, which is what to compare across machines");
    }

    public static void Step(string text, TimeSpan elapsed) =>
        Line(string.Create(Invariant, $"- {text} [{elapsed.TotalSeconds:0.0} s]"));

    public static void Section(string title)
    {
        Line(string.Empty);
        Line(title);
    }

    /// <summary>The first summary is the baseline; each other row gets its p50 and p95 ratio to it.</summary>
    public static void Latencies(LatencySummary baseline, params LatencySummary[] measured)
    {
        Line(string.Create(Invariant,
            $"  {"operation",-30} {"n",6} {"p50",8} {"p95",8} {"p99",8} {"mean",8} {"max",8}   {"p50 x",7} {"p95 x",7}"));
        Row(baseline, null);
        foreach (var summary in measured)
        {
            Row(summary, baseline);
        }
    }

    public static void Summary(BenchSettings settings, AssessmentResult assessment, PortfolioResult portfolio, TimeSpan total)
    {
        Line(string.Empty);
        Line("==================================== SUMMARY ====================================");
        Line(string.Create(Invariant,
            $"mode: {(settings.Quick ? "quick" : "full")}; {Environment.ProcessorCount} logical cores; load average now {LoadAverage()}; total {total.TotalSeconds:0} s"));
        Line(string.Create(Invariant,
            $"A  assessment (Marten append + inline projections), n={assessment.Marten.Count}: p50 {assessment.Marten.P50:0.00} ms, p95 {assessment.Marten.P95:0.00} ms, p99 {assessment.Marten.P99:0.00} ms, mean {assessment.Marten.Mean:0.00} ms"));
        Line(string.Create(Invariant,
            $"   baseline Npgsql INSERT + commit:                p50 {assessment.Baseline.P50:0.00} ms, p95 {assessment.Baseline.P95:0.00} ms, p99 {assessment.Baseline.P99:0.00} ms, mean {assessment.Baseline.Mean:0.00} ms"));
        Line(string.Create(Invariant,
            $"   ratio vs baseline: p50 {Ratio(assessment.Marten.P50, assessment.Baseline.P50)}, p95 {Ratio(assessment.Marten.P95, assessment.Baseline.P95)}"));
        Line(string.Create(Invariant,
            $"B  portfolio, {portfolio.Agencies} agencies, n={portfolio.Api.Count} each:"));
        Line(string.Create(Invariant,
            $"   GET /api/v1/agencies: p50 {portfolio.Api.P50:0.00} ms, p95 {portfolio.Api.P95:0.00} ms ({Bytes(portfolio.ApiBytes)}); vs baseline p50 {Ratio(portfolio.Api.P50, portfolio.Baseline.P50)}, p95 {Ratio(portfolio.Api.P95, portfolio.Baseline.P95)}"));
        Line(string.Create(Invariant,
            $"   GET / (page):         p50 {portfolio.Page.P50:0.00} ms, p95 {portfolio.Page.P95:0.00} ms ({Bytes(portfolio.PageBytes)}); vs baseline p50 {Ratio(portfolio.Page.P50, portfolio.Baseline.P50)}, p95 {Ratio(portfolio.Page.P95, portfolio.Baseline.P95)}"));
        Line(string.Create(Invariant,
            $"   baseline GET /culture: p50 {portfolio.Baseline.P50:0.00} ms, p95 {portfolio.Baseline.P95:0.00} ms"));
        Line("targets (from the issue):");
        Target("assessment p95 <= 20 ms", assessment.Marten.P95, BenchSettings.AssessmentTargetP95Ms);
        Target("portfolio API p95 <= 200 ms (1,000 agencies)", portfolio.Api.P95, BenchSettings.PortfolioTargetP95Ms);
        Target("portfolio page p95 <= 200 ms (1,000 agencies)", portfolio.Page.P95, BenchSettings.PortfolioTargetP95Ms);
        Line("=================================================================================");
    }

    public static string Bytes(long bytes) => bytes >= 1024 * 1024
        ? string.Create(Invariant, $"{bytes / (1024.0 * 1024.0):0.00} MiB")
        : string.Create(Invariant, $"{bytes / 1024.0:0.0} KiB");

    public static void Line(string text) => Console.WriteLine(text);

    /// <summary>The 1/5/15-minute load averages (Linux), to tell a quiet run from one that shared its cores.</summary>
    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 3 ? string.Join(' ', fields[..3]) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static void Row(LatencySummary s, LatencySummary? baseline)
    {
        var ratios = baseline is null
            ? string.Create(Invariant, $"{"(base)",7} {"",7}")
            : string.Create(Invariant, $"{Ratio(s.P50, baseline.P50),7} {Ratio(s.P95, baseline.P95),7}");
        Line(string.Create(Invariant,
            $"  {s.Name,-30} {s.Count,6} {s.P50,8:0.00} {s.P95,8:0.00} {s.P99,8:0.00} {s.Mean,8:0.00} {s.Max,8:0.00}   {ratios}"));
    }

    private static void Target(string name, double actual, double limit) =>
        Line(string.Create(Invariant, $"   {name,-48} measured {actual,8:0.00} ms  {(actual <= limit ? "MET" : "NOT MET")}"));

    private static string Ratio(double value, double baseline) =>
        baseline <= 0 ? "n/a" : string.Create(Invariant, $"{value / baseline:0.0}x");
}
