using System.Globalization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.Probes.Storage;
using Marten;
using Npgsql;

namespace CoordinationPortal.Web.Briefings.Content;

/// <summary>
/// What a briefing reads: its data version (cheap: id-only reads and one query on the events table, run on every
/// download) and its whole model. Every scope compares with averages that take in every agency (the national average,
/// a sector's, a jurisdiction's), so every agency stream counts towards every version; on top come the flags and
/// endpoints of the scope's agencies and, for an agency or a working group, the group streams it shows.
/// </summary>
public sealed class BriefingQueries(
    IQuerySession session,
    NpgsqlDataSource db,
    PortalClock clock,
    ReadinessFramework framework,
    ReferenceData reference,
    RuleSet rules,
    RuleTitles titles,
    ProbeStore probes,
    PortalStrings strings)
{
    /// <summary>How often <see cref="LoadAsync"/> reads again when a write lands between its two version reads.</summary>
    public const int MaxReads = 3;

    /// <summary>The data version of the target's briefing now, or null when its subject does not exist.</summary>
    public async Task<DataVersion?> VersionAsync(BriefingTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        var scope = await ScopeAsync(target, ct);
        if (scope is null)
        {
            return null;
        }

        var streams = new List<Guid>(scope.AllAgencies);
        var national = target.Scope == BriefingScope.National;
        var ids = scope.Agencies.ToArray();
        streams.AddRange(national
            ? await session.Query<Flag>().Select(f => f.Id).ToListAsync(ct)
            : await session.Query<Flag>().Where(f => f.AgencyId.IsOneOf(ids)).Select(f => f.Id).ToListAsync(ct));
        streams.AddRange(national
            ? await session.Query<InferenceEndpoint>().Select(e => e.Id).ToListAsync(ct)
            : await session.Query<InferenceEndpoint>().Where(e => e.AgencyId.IsOneOf(ids)).Select(e => e.Id).ToListAsync(ct));
        if (target.Scope == BriefingScope.Agency)
        {
            // Its groups' decisions and item counts: every group (a join or a leave is on the group's stream; a few
            // dozen documents), and the action items of the groups it is in.
            var groups = await session.Query<WorkingGroup>().ToListAsync(ct);
            var memberOf = groups.Where(g => g.HasMemberAgency(ids[0])).Select(g => g.Id).ToArray();
            streams.AddRange(groups.Select(g => g.Id));
            if (memberOf.Length > 0)
            {
                streams.AddRange(await session.Query<ActionItem>().Where(i => i.GroupId.IsOneOf(memberOf)).Select(i => i.Id).ToListAsync(ct));
            }
        }
        else if (target.Scope == BriefingScope.WorkingGroup && scope.GroupId is { } groupId)
        {
            streams.Add(groupId);
            streams.AddRange(await session.Query<GroupSession>().Where(s => s.GroupId == groupId).Select(s => s.Id).ToListAsync(ct));
            streams.AddRange(await session.Query<ActionItem>().Where(i => i.GroupId == groupId).Select(i => i.Id).ToListAsync(ct));
        }

        return new DataVersion(await HighestSequenceAsync(streams, ct), MeasuredThrough());
    }

    /// <summary>
    /// The whole briefing of the target, or null when its subject does not exist. The version is read before and after
    /// the data; when a write landed in between, everything is read again (up to <see cref="MaxReads"/> times), and
    /// the model always carries the later version, so it never claims older data than it shows.
    /// </summary>
    public async Task<BriefingModel?> LoadAsync(BriefingTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        BriefingModel? model = null;
        for (var read = 0; read < MaxReads; read++)
        {
            var before = await VersionAsync(target, ct);
            if (before is null)
            {
                return null;
            }

            var data = await ReadAsync(target, ct);
            var after = await VersionAsync(target, ct);
            if (data is null || after is null)
            {
                return null;
            }

            model = data with { Version = after };
            if (after == before)
            {
                break;
            }
        }

        return model;
    }

    /// <summary>The portal's yesterday: the last complete day of endpoint measurements.</summary>
    private DateOnly MeasuredThrough() => clock.Today.AddDays(-1);

    private sealed record Scope(IReadOnlyList<Guid> AllAgencies, IReadOnlyList<Guid> Agencies, Guid? GroupId);

    private async Task<Scope?> ScopeAsync(BriefingTarget target, CancellationToken ct)
    {
        var all = await session.Query<AgencySummary>().Select(a => a.Id).ToListAsync(ct);
        switch (target.Scope)
        {
            case BriefingScope.National:
                return new Scope(all, all, null);
            case BriefingScope.Sector:
            {
                var code = target.Subject;
                var ids = await session.Query<AgencySummary>().Where(a => a.Sector == code).Select(a => a.Id).ToListAsync(ct);
                return ids.Count > 0 || reference.Sectors.Any(s => s.Code == code) ? new Scope(all, ids, null) : null;
            }

            case BriefingScope.Jurisdiction:
            {
                var code = target.Subject;
                var ids = await session.Query<AgencySummary>().Where(a => a.Jurisdiction == code).Select(a => a.Id).ToListAsync(ct);
                return ids.Count > 0 || reference.Jurisdictions.Any(j => j.Code == code) ? new Scope(all, ids, null) : null;
            }

            case BriefingScope.Agency:
                return target.SubjectId is { } agencyId && all.Contains(agencyId) ? new Scope(all, [agencyId], null) : null;
            case BriefingScope.WorkingGroup:
                if (target.SubjectId is not { } groupId || await session.LoadAsync<WorkingGroup>(groupId, ct) is not { } group)
                {
                    return null;
                }

                return new Scope(all, [.. group.MemberAgencies.Where(all.Contains)], groupId);
            default:
                return null;
        }
    }

    private async Task<long> HighestSequenceAsync(List<Guid> streams, CancellationToken ct)
    {
        if (streams.Count == 0)
        {
            return 0;
        }

        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        await using var command = db.CreateCommand($"SELECT coalesce(max(seq_id), 0) FROM {schema}.mt_events WHERE stream_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. streams.Distinct()] });
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    // ---- the model --------------------------------------------------------------------------------------------

    private async Task<BriefingModel?> ReadAsync(BriefingTarget target, CancellationToken ct)
    {
        var lang = target.Language;
        var text = strings.For(LocalizationFeature.Supported.First(c => c.TwoLetterISOLanguageName == lang));
        var everyAgency = await session.Query<AgencySummary>().ToListAsync(ct);
        WorkingGroup? group = null;
        IReadOnlyList<AgencySummary> inScope;
        string scopeName;
        switch (target.Scope)
        {
            case BriefingScope.National:
                inScope = everyAgency;
                scopeName = text["Briefing.Scope.NationalName"].Value;
                break;
            case BriefingScope.Sector:
                inScope = [.. everyAgency.Where(a => a.Sector == target.Subject)];
                if (inScope.Count == 0 && !reference.Sectors.Any(s => s.Code == target.Subject))
                {
                    return null;
                }

                scopeName = text["Briefing.Scope.SectorName", reference.SectorName(target.Subject, lang)].Value;
                break;
            case BriefingScope.Jurisdiction:
                inScope = [.. everyAgency.Where(a => a.Jurisdiction == target.Subject)];
                if (inScope.Count == 0 && !reference.Jurisdictions.Any(j => j.Code == target.Subject))
                {
                    return null;
                }

                scopeName = reference.JurisdictionName(target.Subject, lang);
                break;
            case BriefingScope.Agency:
                inScope = [.. everyAgency.Where(a => a.Id == target.SubjectId)];
                if (inScope.Count == 0)
                {
                    return null;
                }

                scopeName = inScope[0].Name;
                break;
            case BriefingScope.WorkingGroup:
                group = target.SubjectId is { } groupId ? await session.LoadAsync<WorkingGroup>(groupId, ct) : null;
                if (group is null)
                {
                    return null;
                }

                var members = group.MemberAgencies.ToHashSet();
                inScope = [.. everyAgency.Where(a => members.Contains(a.Id))];
                scopeName = group.Name.For(lang);
                break;
            default:
                return null;
        }

        var ids = inScope.Select(a => a.Id).ToArray();
        var names = everyAgency.ToDictionary(a => a.Id, a => a.Name);
        var openFlags = target.Scope == BriefingScope.National
            ? await session.Query<Flag>().Where(f => f.Status != FlagStatus.Resolved).ToListAsync(ct)
            : await session.Query<Flag>().Where(f => f.AgencyId.IsOneOf(ids) && f.Status != FlagStatus.Resolved).ToListAsync(ct);
        var scopeIds = ids.ToHashSet();
        openFlags = [.. openFlags.Where(f => scopeIds.Contains(f.AgencyId))];
        var flagsByAgency = openFlags.GroupBy(f => f.AgencyId).ToDictionary(g => g.Key, g => g.Count());

        var agencies = BriefingTables.WeakestFirst(
            inScope.Select(a => new BriefingAgency(
                a.Id, a.Name, a.Sector, reference.SectorName(a.Sector, lang), a.Jurisdiction, reference.JurisdictionName(a.Jurisdiction, lang),
                a.LayerScores(), Scores.Index(a.LayerScores()), flagsByAgency.GetValueOrDefault(a.Id))),
            a => a.Index?.Balanced,
            a => a.Name);

        var today = MeasuredThrough().AddDays(1);
        var quarter = AssessmentCycle.LastClosedBefore(today);
        var layerNames = Layers.All.ToDictionary(l => l, l => framework.LayerOf(l).Name.For(lang));
        var indices = FlagRollups.Indices(inScope) is { } averages
            ? new BriefingIndices(averages.Mean, averages.Geometric, averages.Balanced, averages.Agencies)
            : null;

        var flags = openFlags
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => names.GetValueOrDefault(f.AgencyId, ""), StringComparer.Ordinal)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Id)
            .Select(f => new BriefingFlag(
                names.GetValueOrDefault(f.AgencyId, "–"), f.RuleId, titles.Title(f.RuleId, lang), f.Severity, f.Explanation.For(lang), DateOf(f.RaisedAt)))
            .ToList();
        var tally = SeverityTally.Of(openFlags.Select(f => f.Severity));

        var balanced = inScope.Where(a => a.BalancedIndex is not null).Select(a => a.BalancedIndex!.Value).ToList();
        var summary = ExecutiveSummary.From(new SummaryFacts(
            inScope.Count,
            inScope.Count(a => a.BalancedIndex is not null),
            balanced.Count > 0 ? balanced.Average() : null,
            ExecutiveSummary.Averages(inScope.Select(a => a.LayerScores())),
            await AveragesAtQuarterEndAsync(ids, quarter, ct),
            FlagRollups.LargestGap(inScope, FlagRollups.LeadPairs(rules)) is { } gap
                ? new LayerGap(gap.Pair.Lead, gap.Pair.Lag, gap.MeanLevels, gap.Agencies)
                : null,
            [.. openFlags.Select(f => f.RuleId)],
            tally));

        var endpoints = await EndpointsAsync(ids, names, ct);
        var model = new BriefingModel(
            target,
            text["Briefing.Title", scopeName].Value,
            scopeName,
            new DataVersion(0, MeasuredThrough()),
            today,
            layerNames,
            agencies,
            indices,
            Peers(target, inScope, everyAgency, scopeName, text, lang),
            flags,
            tally,
            endpoints,
            summary,
            quarter,
            target.Scope == BriefingScope.Agency ? await AgencyWorkAsync(ids[0], lang, today, ct) : null,
            group is null ? null : await GroupWorkAsync(group, names, lang, today, ct),
            [.. rules.Active.Select(r => titles.Title(r.Id, lang))],
            [
                text["Briefing.Agency"].Value, text["Briefing.Annex.Sector"].Value, text["Briefing.Annex.Jurisdiction"].Value,
                .. Layers.All.Select(l => layerNames[l]),
                text["Index.Mean"].Value, text["Index.Geometric"].Value, text["Index.Balanced"].Value, text["Briefing.Annex.OpenFlags"].Value,
            ]);
        return model;
    }

    private DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(clock.Local(at).DateTime);

    /// <summary>Each layer's average over the scope's agencies as their levels stood at the end of the quarter's due date.</summary>
    private async Task<LayerScores> AveragesAtQuarterEndAsync(Guid[] ids, AssessmentCycle quarter, CancellationToken ct)
    {
        if (ids.Length == 0)
        {
            return LayerScores.Empty;
        }

        var timelines = await session.LoadManyAsync<AgencyTimeline>(ct, ids);
        return ExecutiveSummary.AveragesBefore(timelines.Select(t => t.Changes()), ExecutiveSummary.QuarterClose(quarter, clock.OffsetAt), framework);
    }

    /// <summary>
    /// The layer averages the scope is compared with: an agency against its sector and jurisdiction; a sector or a
    /// jurisdiction against the nation; the nation sector by sector; a working group's members against the nation.
    /// </summary>
    private IReadOnlyList<PeerSeries> Peers(
        BriefingTarget target, IReadOnlyList<AgencySummary> inScope, IReadOnlyList<AgencySummary> all, string scopeName,
        Microsoft.Extensions.Localization.IStringLocalizer text, string lang)
    {
        PeerSeries Series(string label, IReadOnlyCollection<AgencySummary> agencies, bool subject) =>
            new(label, ExecutiveSummary.Averages(agencies.Select(a => a.LayerScores())), agencies.Count, subject);

        var national = Series(text["Briefing.Peers.National"].Value, all.ToList(), false);
        switch (target.Scope)
        {
            case BriefingScope.Agency:
            {
                var agency = inScope[0];
                return
                [
                    Series(agency.Name, inScope.ToList(), true),
                    Series(text["Briefing.Peers.Sector", reference.SectorName(agency.Sector, lang)].Value, [.. all.Where(a => a.Sector == agency.Sector)], false),
                    Series(text["Briefing.Peers.Jurisdiction", reference.JurisdictionName(agency.Jurisdiction, lang)].Value,
                        [.. all.Where(a => a.Jurisdiction == agency.Jurisdiction)], false),
                ];
            }

            case BriefingScope.National:
                return
                [
                    national with { IsSubject = true },
                    .. all.GroupBy(a => a.Sector, StringComparer.Ordinal)
                        .Select(g => Series(reference.SectorName(g.Key, lang), g.ToList(), false))
                        .OrderBy(s => s.Label, StringComparer.Ordinal),
                ];
            case BriefingScope.WorkingGroup:
                return [Series(text["Briefing.Peers.Members"].Value, inScope.ToList(), true), national];
            default:
                return [Series(scopeName, inScope.ToList(), true), national];
        }
    }

    private async Task<IReadOnlyList<BriefingEndpoint>> EndpointsAsync(Guid[] ids, IReadOnlyDictionary<Guid, string> names, CancellationToken ct)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        var endpoints = (await session.Query<InferenceEndpoint>().Where(e => e.AgencyId.IsOneOf(ids) && !e.Retired).ToListAsync(ct))
            .OrderBy(e => names.GetValueOrDefault(e.AgencyId, ""), StringComparer.Ordinal)
            .ThenBy(e => e.Settings.Name, StringComparer.Ordinal)
            .ThenBy(e => e.Id)
            .ToList();
        if (endpoints.Count == 0)
        {
            return [];
        }

        // The 30 complete days through the version's date, in the portal's time zone.
        var through = MeasuredThrough();
        var first = through.AddDays(-29);
        var end = through.AddDays(1);
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), clock.OffsetAt(first));
        var to = new DateTimeOffset(end.ToDateTime(TimeOnly.MinValue), clock.OffsetAt(end));
        var stats = await probes.WindowStatsAsync(from, to, [.. endpoints.Select(e => e.Id)], ct);
        var none = new SloWindowStats(0, 0, 0, 0, new LogHistogram(), new LogHistogram());
        return [.. endpoints.Select(e => new BriefingEndpoint(
            e.Settings.Name,
            names.GetValueOrDefault(e.AgencyId, "–"),
            e.Settings.Slo,
            SloMath.Evaluate(SloWindow.Month, stats.GetValueOrDefault(e.Id) ?? none, e.Settings.Slo)))];
    }

    private const int AgencyDecisions = 10;

    private const int GroupDecisions = 20;

    private async Task<AgencyWork> AgencyWorkAsync(Guid agencyId, string lang, DateOnly today, CancellationToken ct)
    {
        var groups = (await session.Query<WorkingGroup>().ToListAsync(ct))
            .Where(g => g.HasMemberAgency(agencyId))
            .OrderBy(g => g.Name.For(lang), StringComparer.Ordinal)
            .ToList();
        var groupIds = groups.Select(g => g.Id).ToArray();
        var open = groupIds.Length == 0
            ? []
            : await session.Query<ActionItem>()
                .Where(i => i.GroupId.IsOneOf(groupIds) && (i.Status == ActionStatus.Open || i.Status == ActionStatus.InProgress))
                .ToListAsync(ct);
        var byGroup = open.ToLookup(i => i.GroupId);
        var decisions = groups
            .SelectMany(g => g.Decisions.Select(d => (Group: g, Decision: d)))
            .OrderByDescending(x => x.Decision.TakenOn)
            .ThenByDescending(x => x.Decision.RecordedAt)
            .Take(AgencyDecisions)
            .Select(x => Decision(x.Group, x.Decision, lang))
            .ToList();
        return new AgencyWork(
            [.. groups.Select(g => new AgencyGroup(g.Name.For(lang), byGroup[g.Id].Count(), byGroup[g.Id].Count(i => i.IsOverdue(today))))],
            decisions);
    }

    private async Task<GroupWork> GroupWorkAsync(WorkingGroup group, IReadOnlyDictionary<Guid, string> names, string lang, DateOnly today, CancellationToken ct)
    {
        var sessions = (await session.Query<GroupSession>().Where(s => s.GroupId == group.Id).ToListAsync(ct))
            .OrderByDescending(s => s.StartsAt)
            .Select(s => new BriefingSession(s.Title, DateOf(s.StartsAt), s.State))
            .ToList();
        var items = (await session.Query<ActionItem>().Where(i => i.GroupId == group.Id).ToListAsync(ct))
            .OrderBy(i => i.IsOverdue(today) ? 0 : i.IsOpen ? 1 : 2)
            .ThenBy(i => i.DueDate)
            .ThenBy(i => i.Title, StringComparer.Ordinal)
            .ThenBy(i => i.Id)
            .ToList();
        return new GroupWork(
            group.Purpose.For(lang),
            [.. group.MemberAgencies.Select(id => names.GetValueOrDefault(id, "–")).Order(StringComparer.Ordinal)],
            sessions,
            [.. group.Decisions.OrderByDescending(d => d.Number).Take(GroupDecisions).Select(d => Decision(group, d, lang))],
            [.. items.Take(BriefingTables.FlagLimit).Select(i => new BriefingActionItem(
                i.Title, names.GetValueOrDefault(i.AgencyId, "–"), i.Layer, i.Status, i.DueDate, i.DaysOverdue(today)))],
            items.Count);
    }

    private static BriefingDecision Decision(WorkingGroup group, LoggedDecision d, string lang) =>
        new(group.Name.For(lang), d.Number, d.Text.For(lang), d.Basis, d.TakenOn);
}
