using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Web.Framework;
using Marten;

namespace CoordinationPortal.Web.Agencies;

/// <summary>The portfolio's filters; <see cref="Name"/> matches part of an agency's English or Hindi name, case-insensitively.</summary>
public sealed record PortfolioFilter(AgencyKind? Kind = null, string? Sector = null, string? Jurisdiction = null, string? Name = null);

public sealed record Scorecard(Agency Agency, LayerScores Scores, ReadinessIndex? Index, DateOnly? AsOf);

/// <summary>Everything the agency page shows, read from one fetch of the stream.</summary>
public sealed record AgencyView(Scorecard Card, IReadOnlyList<TrendPoint> Trend, IReadOnlyList<HistoryEntry> History);

/// <summary>What the scorecard review page shows: the agency now, as it stood at the end of the last quarter, and this quarter.</summary>
public sealed record ScorecardUnderReview(Agency Agency, Agency? LastQuarter, AssessmentCycle Cycle, TimeSpan Offset);

public sealed record HistoryEntry(DateTimeOffset At, string By, string Kind, string? IndicatorId, int? Level, string? Detail, long Version);

/// <summary>Reads for pages and the API. The portfolio comes from the small summary documents; scorecards "as of" a date are replayed from events.</summary>
public sealed class AgencyQueries(IQuerySession session, ReadinessFramework framework, PortalClock clock, ReferenceData reference)
{
    public async Task<IReadOnlyList<AgencySummary>> PortfolioAsync(PortfolioFilter filter, CancellationToken ct)
    {
        IQueryable<AgencySummary> query = session.Query<AgencySummary>();
        if (filter.Kind is { } kind) query = query.Where(a => a.Kind == kind);
        if (!string.IsNullOrEmpty(filter.Sector)) query = query.Where(a => a.Sector == filter.Sector);
        if (!string.IsNullOrEmpty(filter.Jurisdiction)) query = query.Where(a => a.Jurisdiction == filter.Jurisdiction);
        var rows = await query.ToListAsync(ct);
        return rows.Where(a => NameMatches(a.Name, filter.Name, reference)).OrderBy(a => a.Name, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>
    /// Whether <paramref name="search"/> (trimmed; empty matches all) is part of the agency's registered name or of its
    /// Hindi name, ignoring case. Matched in memory: the Hindi names are reference data, not stored with the agency.
    /// </summary>
    public static bool NameMatches(string registered, string? search, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = search?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var names = reference.AgencyName(registered);
        return registered.Contains(text, StringComparison.CurrentCultureIgnoreCase)
            || names.En.Contains(text, StringComparison.CurrentCultureIgnoreCase)
            || names.Hi.Contains(text, StringComparison.CurrentCultureIgnoreCase);
    }

    /// <summary>The current scorecard comes from the inline snapshot; one "as of" a date is replayed from the events.</summary>
    public async Task<Scorecard?> ScorecardAsync(Guid agencyId, DateOnly? asOf, CancellationToken ct) =>
        asOf is null
            ? ToScorecard(await session.LoadAsync<Agency>(agencyId, ct), null)
            : ToScorecard(FoldAsOf(await EventsAsync(agencyId, ct), asOf), asOf);

    /// <summary>The scorecard (now or as of a date), its monthly trend and its history, from a single read of the stream.</summary>
    public async Task<AgencyView?> AgencyViewAsync(Guid agencyId, DateOnly? asOf, CancellationToken ct)
    {
        var events = await EventsAsync(agencyId, ct);
        var card = ToScorecard(FoldAsOf(events, asOf), asOf);
        return card is null
            ? null
            : new AgencyView(card, Trend.Monthly(events, framework, clock.Today, clock.OffsetAt(clock.Today)), History(events));
    }

    /// <summary>The scorecard now and at the end of the last closed quarter, from a single read of the stream.</summary>
    public async Task<ScorecardUnderReview?> ReviewAsync(Guid agencyId, CancellationToken ct)
    {
        var events = await EventsAsync(agencyId, ct);
        var now = Agency.Fold(events);
        if (now is null)
        {
            return null;
        }

        var cycle = AssessmentCycle.Containing(clock.Today);
        var lastQuarterEnd = cycle.Start.AddDays(-1);
        return new ScorecardUnderReview(now, Agency.AsOf(events, lastQuarterEnd, clock.OffsetAt(lastQuarterEnd)), cycle, clock.OffsetAt(clock.Today));
    }

    private async Task<IReadOnlyList<object>> EventsAsync(Guid agencyId, CancellationToken ct) =>
        (await session.Events.FetchStreamAsync(agencyId, token: ct)).Select(e => e.Data).ToList();

    /// <summary>The earliest day an as-of view may ask for.</summary>
    public static readonly DateOnly EarliestAsOf = new(1900, 1, 1);

    /// <summary>The latest: the end of a later day would not fit a <see cref="DateTimeOffset"/> in every time zone.</summary>
    public static readonly DateOnly LatestAsOf = new(9998, 12, 31);

    private Agency? FoldAsOf(IReadOnlyList<object> events, DateOnly? asOf) =>
        asOf is { } date ? Agency.AsOf(events, Clamp(date), clock.OffsetAt(Clamp(date))) : Agency.Fold(events);

    private static DateOnly Clamp(DateOnly date) => date < EarliestAsOf ? EarliestAsOf : date > LatestAsOf ? LatestAsOf : date;

    private Scorecard? ToScorecard(Agency? agency, DateOnly? asOf)
    {
        if (agency is null)
        {
            return null;
        }

        var scores = Scores.Layers(framework, agency.Levels);
        return new Scorecard(agency, scores, Scores.Index(scores), asOf);
    }

    private static List<HistoryEntry> History(IReadOnlyList<object> events) =>
        events.Select((e, i) => Describe(e, i + 1)).OrderByDescending(h => h.At).ThenByDescending(h => h.Version).ToList();

    private static HistoryEntry Describe(object e, long version) => e switch
    {
        AgencyRegistered r => new(r.At, r.By, "Registered", null, null, r.Name, version),
        AgencyDetailsUpdated u => new(u.At, u.By, "DetailsUpdated", null, null, u.Name, version),
        AgencyLeadAssigned a => new(a.At, a.By, "LeadAssigned", null, null, a.Lead, version),
        AgencyLeadRemoved a => new(a.At, a.By, "LeadRemoved", null, null, a.Lead, version),
        IndicatorAssessed a => new(a.At, a.By, "Assessed", a.IndicatorId, a.Level, a.EvidenceNote, version),
        AssessmentsSubmittedForReview s => new(s.At, s.By, "Submitted", null, null, string.Join(", ", s.IndicatorIds), version),
        AssessmentApproved a => new(a.At, a.By, "Approved", a.IndicatorId, null, a.Note, version),
        AssessmentReturned r => new(r.At, r.By, "Returned", r.IndicatorId, null, r.Reason, version),
        ScorecardMarkedStale s => new(s.At, s.By, "MarkedStale", null, null, s.CycleId, version),
        _ => new(DateTimeOffset.MinValue, "", e.GetType().Name, null, null, null, version),
    };
}
