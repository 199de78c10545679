using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Probes;
using JasperFx;
using JasperFx.Events;
using CoordinationPortal.Web.Kernel.Changes;
using Marten;
using Npgsql;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>What one evaluation did.</summary>
public sealed record EvaluationSummary(int Agencies, int Raised, int Updated, int Resolved)
{
    public static EvaluationSummary None { get; } = new(0, 0, 0, 0);

    public EvaluationSummary Plus(EvaluationSummary other) =>
        new(Agencies + other.Agencies, Raised + other.Raised, Updated + other.Updated, Resolved + other.Resolved);
}

/// <summary>
/// Evaluates the out-of-step rules for some agencies (after a scorecard or probe-state change) or for all of them (the
/// backstop job) and records what changed on the flag streams. The agencies of one batch are locked for the batch's
/// transaction (a PostgreSQL advisory lock per agency, taken in a fixed order), so two processes evaluating the same
/// agency take turns and the second finds the first's flags: nothing is raised twice. Flag events, and whatever the
/// subscribers stage (notifications, webhook deliveries), commit together.
/// </summary>
public sealed partial class FlagEvaluator(
    IDocumentStore store,
    RuleSet rules,
    ReadinessFramework framework,
    ProbeQueries probes,
    PortalClock clock,
    IEnumerable<IFlagSubscriber> subscribers,
    IEnumerable<ICommitmentSource> commitmentSources,
    ChangeFeed feed,
    ILogger<FlagEvaluator> logger)
{
    /// <summary>Agencies evaluated per transaction by <see cref="EvaluateAllAsync"/>: bounds the locks one transaction holds.</summary>
    public const int BatchSize = 250;

    private const int Attempts = 3;

    public async Task<EvaluationSummary> EvaluateAllAsync(CancellationToken ct)
    {
        var summary = await EvaluateAsync(await AllAgencyIdsAsync(ct), new Pass(Withdraw: true), ct);
        LogEvaluatedAll(summary.Agencies, summary.Raised, summary.Updated, summary.Resolved);
        return summary;
    }

    /// <summary>
    /// Evaluates these agencies after a change to them. Flags of rules no longer in force are left for
    /// <see cref="EvaluateAllAsync"/>, which withdraws them: a change of rules is a portfolio-wide matter.
    /// </summary>
    public Task<EvaluationSummary> EvaluateAsync(IReadOnlyCollection<Guid> agencyIds, CancellationToken ct) =>
        EvaluateAsync(agencyIds, new Pass(Withdraw: false), ct);

    /// <summary>
    /// Evaluates every agency as it stood at each of these past moments, oldest first, so that flags get the history
    /// they would have had (the demo's generated history). Business times are the moments; probe evidence is not
    /// historical, so none is used; and nobody is notified of the past.
    /// </summary>
    public async Task<EvaluationSummary> ReplayAsync(IReadOnlyList<DateTimeOffset> moments, CancellationToken ct)
    {
        var ids = await AllAgencyIdsAsync(ct);
        var total = EvaluationSummary.None;
        foreach (var moment in moments.Order())
        {
            total = total.Plus(await EvaluateAsync(ids, new Pass(Withdraw: true, At: moment), ct));
        }

        return total;
    }

    /// <summary>How a pass evaluates: whether it withdraws flags of rules no longer in force, and as of when (null: now, live).</summary>
    private sealed record Pass(bool Withdraw, DateTimeOffset? At = null)
    {
        public bool Live => At is null;
    }

    private async Task<IReadOnlyList<Guid>> AllAgencyIdsAsync(CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.Query<AgencySummary>().Select(a => a.Id).ToListAsync(ct);
    }

    private async Task<EvaluationSummary> EvaluateAsync(IReadOnlyCollection<Guid> agencyIds, Pass pass, CancellationToken ct)
    {
        var total = EvaluationSummary.None;
        foreach (var batch in agencyIds.Distinct().Order().Chunk(BatchSize))
        {
            total = total.Plus(await EvaluateBatchWithRetryAsync(batch, pass, ct));
        }

        return total;
    }

    private async Task<EvaluationSummary> EvaluateBatchWithRetryAsync(Guid[] batch, Pass pass, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EvaluateBatchAsync(batch, pass, ct);
            }
            catch (Exception e) when (attempt < Attempts && e is ConcurrencyException or ExistingStreamIdCollisionException)
            {
                // An acknowledgement landed on a flag between our read and our write: read again and redo.
                LogRetry(batch.Length, attempt);
            }
        }
    }

    private async Task<EvaluationSummary> EvaluateBatchAsync(Guid[] ids, Pass pass, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(ct);
        await LockAsync(session.Connection!, ids, ct);

        var summaries = await session.LoadManyAsync<AgencySummary>(ct, ids);
        var timelines = (await session.LoadManyAsync<AgencyTimeline>(ct, ids)).ToDictionary(t => t.Id);
        var flags = (await session.Query<Flag>().Where(f => f.AgencyId.IsOneOf(ids)).ToListAsync(ct)).ToLookup(f => f.AgencyId);
        var evidence = pass.Live ? await EvidenceAsync(session, ids, ct) : [];
        var at = pass.At ?? clock.Now;
        var commitments = await CommitmentsAsync(session, ids, at, ct);
        var active = rules.ActiveIds;

        var notices = new List<FlagNotice>();
        int raised = 0, updated = 0, resolved = 0;
        foreach (var agency in summaries)
        {
            var history = timelines.TryGetValue(agency.Id, out var timeline) ? timeline.Changes() : [];
            var facts = new AgencyFacts(agency.Id, at, history, evidence.GetValueOrDefault(agency.Id) ?? MeasuredEvidence.None)
            {
                Commitments = commitments.GetValueOrDefault(agency.Id) ?? [],
            };
            var current = flags[agency.Id].Where(f => pass.Withdraw || active.Contains(f.RuleId)).ToList();
            var changes = FlagReconciler.Reconcile(agency.Id, OutOfStepRules.Evaluate(facts, rules, framework), current, at, active);
            foreach (var change in changes)
            {
                var before = current.FirstOrDefault(f => f.Id == change.FlagId);
                if (change.IsNew)
                {
                    session.Events.StartStream<Flag>(change.FlagId, change.Event);
                }
                else
                {
                    var stream = await session.Events.FetchForWriting<Flag>(change.FlagId, ct);
                    stream.AppendOne(change.Event);
                }

                if (pass.Live)
                {
                    feed.Stage(session, new PortalChange(ChangeKinds.Flag, change.FlagId, agency.Id));
                }

                switch (change.Event)
                {
                    case FlagRaised:
                        raised++;
                        notices.Add(Notice(FlagNoticeKind.Raised, before, change, agency, at));
                        break;
                    case FlagResolved:
                        resolved++;
                        notices.Add(Notice(FlagNoticeKind.Resolved, before, change, agency, at));
                        break;
                    default:
                        updated++;
                        break;
                }
            }
        }

        if (notices.Count > 0 && pass.Live)
        {
            foreach (var subscriber in subscribers)
            {
                await subscriber.StageAsync(session, notices, ct);
            }
        }

        await session.SaveChangesAsync(ct);
        if (notices.Count > 0 && pass.Live)
        {
            await NotifyCommittedAsync(notices, ct);
        }

        foreach (var notice in notices)
        {
            LogFlagChanged(notice.Agency.Name, notice.Flag.RuleId, notice.Flag.Subject, notice.Kind);
        }

        return new EvaluationSummary(summaries.Count, raised, updated, resolved);
    }

    private async Task NotifyCommittedAsync(IReadOnlyList<FlagNotice> notices, CancellationToken ct)
    {
        foreach (var subscriber in subscribers)
        {
            try
            {
                await subscriber.CommittedAsync(notices, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogSubscriberFailed(e, subscriber.GetType().Name);
            }
        }
    }

    private static FlagNotice Notice(FlagNoticeKind kind, Flag? before, FlagChange change, AgencySummary agency, DateTimeOffset at) =>
        new(kind, Flag.Evolve(before, change.Event)!, new FlagAgency(agency.Id, agency.Name, agency.Sector, agency.Jurisdiction, agency.Leads), at);

    /// <summary>One advisory lock per agency, in hash order so that batches never wait on each other in a cycle.</summary>
    private static async Task LockAsync(NpgsqlConnection connection, Guid[] ids, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_advisory_xact_lock(@class, h)) FROM (SELECT DISTINCT hashtext(x::text) AS h FROM unnest(@ids) AS x ORDER BY 1) AS s",
            connection);
        command.Parameters.AddWithValue("class", AdvisoryLocks.FlagEvaluationClass);
        command.Parameters.AddWithValue("ids", ids);
        await command.ExecuteScalarAsync(ct);
    }

    /// <summary>
    /// The agencies' open action items, from every registered <see cref="ICommitmentSource"/> (one call each for the
    /// batch); empty when none is registered.
    /// </summary>
    private async Task<Dictionary<Guid, IReadOnlyList<Commitment>>> CommitmentsAsync(
        IQuerySession session, Guid[] ids, DateTimeOffset at, CancellationToken ct)
    {
        var all = new Dictionary<Guid, IReadOnlyList<Commitment>>();
        foreach (var source in commitmentSources)
        {
            foreach (var (agency, items) in await source.OpenCommitmentsAsync(session, ids, at, ct))
            {
                all[agency] = all.TryGetValue(agency, out var earlier) ? [.. earlier, .. items] : items;
            }
        }

        return all;
    }

    /// <summary>The agencies' registered endpoints (retired ones left out) with their 7-day SLO reports.</summary>
    private async Task<Dictionary<Guid, MeasuredEvidence>> EvidenceAsync(IQuerySession session, Guid[] ids, CancellationToken ct)
    {
        var endpoints = await session.Query<InferenceEndpoint>().Where(e => e.AgencyId.IsOneOf(ids) && !e.Retired).ToListAsync(ct);
        var week = await probes.WeekReportsAsync(endpoints, ct);
        return endpoints.GroupBy(e => e.AgencyId).ToDictionary(
            g => g.Key,
            g => new MeasuredEvidence([.. g.OrderBy(e => e.Settings.Name, StringComparer.Ordinal)
                .Select(e => new EndpointMeasure(e.Id, e.Settings.Name, e.Settings.Slo, week[e.Id]))]));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Out-of-step evaluation of {Agencies} agencies: {Raised} raised, {Updated} updated, {Resolved} resolved")]
    private partial void LogEvaluatedAll(int agencies, int raised, int updated, int resolved);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flag {Rule}/{Subject} of {Agency}: {Kind}")]
    private partial void LogFlagChanged(string agency, string rule, string subject, FlagNoticeKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Out-of-step evaluation of {Agencies} agencies met a concurrent change (attempt {Attempt}); evaluating again")]
    private partial void LogRetry(int agencies, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Flag subscriber {Subscriber} failed after commit; its own backstop must catch up")]
    private partial void LogSubscriberFailed(Exception e, string subscriber);
}
