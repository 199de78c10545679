using System.Diagnostics;
using System.Globalization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.OutOfStep;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Benchmarks;

/// <summary>
/// Part 3 of <c>flags</c>: what action items and the slipping-commitment rule add to a full evaluation. The portfolio
/// gets one working group of all its agencies and five action items per agency (two overdue on its weakest layer,
/// three not yet due on others), recorded as the deciders record them; after the evaluation that raises their flags,
/// evaluations of every agency are timed with the slipping rule and the action items, alternating with the same
/// evaluation without them (the rule left out, no action-item source) on the same data.
/// </summary>
internal static class SlippingFullEvaluation
{
    public const double TargetRatio = 1.20;

    public sealed record Result(int Items, int Raised, LatencySummary With, LatencySummary Without, double Ratio);

    public static async Task<Result> RunAsync(IServiceProvider services, int runs, CancellationToken ct)
    {
        Report.Section(string.Create(CultureInfo.InvariantCulture, $"Full evaluation with action items ({runs} runs after the one that raises their flags)"));
        var store = services.GetRequiredService<IDocumentStore>();
        var today = services.GetRequiredService<PortalClock>().Today;
        var items = await RecordItemsAsync(store, today, ct);

        var first = Stopwatch.StartNew();
        EvaluationSummary raised;
        await using (var scope = services.CreateAsyncScope())
        {
            raised = await scope.ServiceProvider.GetRequiredService<FlagEvaluator>().EvaluateAllAsync(ct);
        }

        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"  {items:N0} action items recorded; the first evaluation with them raised {raised.Raised} flags in {first.Elapsed.TotalMilliseconds:0} ms"));

        // Alternating, on the same data, through the same path (an evaluation of every agency by id, which leaves flags of
        // rules not in force alone): the portal's evaluator, and one without the slipping rule and without the action-item
        // source. Neither changes any flag, so the two can alternate run after run.
        var ids = await AgencyIdsAsync(store, ct);
        var withRecorder = new LatencyRecorder("with action items and the rule", runs);
        var withoutRecorder = new LatencyRecorder("without (same data)", runs);
        for (var i = 0; i < runs; i++)
        {
            await using (var scope = services.CreateAsyncScope())
            {
                var rules = scope.ServiceProvider.GetRequiredService<RuleSet>();
                var plain = ActivatorUtilities.CreateInstance<FlagEvaluator>(
                    scope.ServiceProvider, rules with { Rules = [.. rules.Rules.Where(r => r.Kind != SlippingCommitmentRule.KindName)] },
                    Enumerable.Empty<ICommitmentSource>());
                var start = Stopwatch.GetTimestamp();
                var again = await plain.EvaluateAsync(ids, ct);
                withoutRecorder.Stop(start);
                Unchanged(again);
            }

            await using (var scope = services.CreateAsyncScope())
            {
                var start = Stopwatch.GetTimestamp();
                var again = await scope.ServiceProvider.GetRequiredService<FlagEvaluator>().EvaluateAsync(ids, ct);
                withRecorder.Stop(start);
                Unchanged(again);
            }
        }

        // Where the difference goes: the action-item reads alone, once, in the evaluator's batches.
        await using (var session = store.QuerySession())
        {
            var source = services.GetServices<ICommitmentSource>().Single();
            var read = Stopwatch.StartNew();
            var found = 0;
            foreach (var batch in ids.Order().Chunk(FlagEvaluator.BatchSize))
            {
                found += (await source.OpenCommitmentsAsync(session, batch, DateTimeOffset.UtcNow, ct)).Sum(c => c.Value.Count);
            }

            Report.Line(string.Create(CultureInfo.InvariantCulture, $"  the action-item reads alone: {found:N0} open items in {read.Elapsed.TotalMilliseconds:0} ms"));
        }

        var with = withRecorder.Summarize();
        var without = withoutRecorder.Summarize();
        Report.Latencies(without, with);
        return new Result(items, raised.Raised, with, without, with.P50 / without.P50);
    }

    private static void Unchanged(EvaluationSummary again)
    {
        if (again.Raised + again.Resolved + again.Updated > 0)
        {
            throw new InvalidOperationException("Re-evaluating unchanged agencies changed flags: evaluation is not idempotent.");
        }
    }

    private static async Task<IReadOnlyCollection<Guid>> AgencyIdsAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<AgencySummary>().Select(a => a.Id).ToListAsync(ct);
    }

    /// <summary>One group of every agency, and five items per agency, appended as streams the way the handler would.</summary>
    private static async Task<int> RecordItemsAsync(IDocumentStore store, DateOnly today, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var agencies = await session.Query<AgencySummary>().ToListAsync(ct);
        var at = DateTimeOffset.UtcNow;
        var groupId = Guid.NewGuid();
        session.Events.StartStream<WorkingGroup>(groupId, new WorkingGroupFormed(
            groupId, new LocalizedText("Bench group", "बेंच समूह"), new LocalizedText("Every agency.", "हर एजेंसी।"), ForumKind.National,
            [.. agencies.Select(a => a.Id)], today, "bench", at));
        var count = 0;
        foreach (var agency in agencies)
        {
            var scores = agency.LayerScores();
            var weakest = Layers.All.Where(l => scores[l] is not null).OrderBy(l => scores[l]).FirstOrDefault();
            for (var i = 0; i < 5; i++)
            {
                var overdue = i < 2;
                var layer = overdue ? weakest : Layers.All[(int)(weakest + i) % Layers.All.Count];
                var id = Guid.NewGuid();
                session.Events.StartStream<ActionItem>(id, new ActionItemRecorded(
                    id, groupId, null, $"Bench commitment {i + 1}", agency.Id, null, layer, null, null,
                    overdue ? today.AddDays(-10 - (30 * i)) : today.AddDays(30), "bench", at));
                count++;
            }

            if (count % 1000 == 0)
            {
                await session.SaveChangesAsync(ct);
            }
        }

        await session.SaveChangesAsync(ct);
        return count;
    }
}
