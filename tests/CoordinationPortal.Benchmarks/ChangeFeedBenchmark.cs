using System.Diagnostics;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Kernel.Changes;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Benchmarks;

/// <summary>
/// C: edit-to-page latency across processes. A second portal process on the same database subscribes to the change feed
/// as an open page does; the first process records assessments. Measured from the moment the command is sent: when the
/// other process hears the scorecard change, and when it has re-read the scorecard (what a page then shows). Baseline:
/// the assessment command itself in the first process.
/// </summary>
internal static class ChangeFeedBenchmark
{
    public static async Task RunAsync(PortalHostFactory first, string connectionString, int samples, CancellationToken ct)
    {
        Report.Section($"C: edit-to-page latency across two portal processes ({samples} assessments)");
        await using var second = new PortalHostFactory(connectionString, seedDemo: false, environment: "Production");
        _ = second.Services; // starts the second process (its feed listens before it serves)

        var framework = first.Services.GetRequiredService<ReadinessFramework>();
        var indicators = framework.Indicators.Take(4).Select(i => i.Id).ToArray();
        var agency = Guid.NewGuid();
        await using var scope = first.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        await handler.HandleAsSystemAsync(new RegisterAgency(agency, "Feed benchmark", AgencyKind.Ministry, "health", "national", "", DateTimeOffset.UtcNow), ct);

        var command = new LatencyRecorder("assess (baseline, process 1)", samples);
        var heard = new LatencyRecorder("heard in process 2", samples);
        var reread = new LatencyRecorder("re-read in process 2", samples);
        var feed = second.Services.GetRequiredService<ChangeFeed>();
        TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = feed.Subscribe(c => c.SubjectId == agency && c.Kind == ChangeKinds.Scorecard, _ => arrived.TrySetResult());

        for (var i = -10; i < samples; i++)
        {
            arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var level = 1 + (Math.Abs(i) % 2);
            var started = Stopwatch.GetTimestamp();
            var outcome = await handler.HandleAsSystemAsync(
                new AssessIndicator(agency, indicators[Math.Abs(i) % indicators.Length], level, "Feed benchmark evidence", null, null, null, "", DateTimeOffset.UtcNow), ct);
            var done = Stopwatch.GetTimestamp();
            if (outcome is not CommandOutcome.Accepted)
            {
                throw new InvalidOperationException($"Assessment refused: {outcome}");
            }

            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            var heardAt = Stopwatch.GetTimestamp();
            await using (var read = second.Services.CreateAsyncScope())
            {
                _ = await read.ServiceProvider.GetRequiredService<AgencyQueries>().ScorecardAsync(agency, null, ct);
            }

            if (i >= 0)
            {
                command.Add(Stopwatch.GetElapsedTime(started, done));
                heard.Add(Stopwatch.GetElapsedTime(started, heardAt));
                reread.Stop(started);
            }
        }

        Report.Latencies(command.Summarize(), heard.Summarize(), reread.Summarize());
    }
}
