using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Overview;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.Probes;
using CoordinationPortal.Web.Probes.Pages;
using Marten;

namespace CoordinationPortal.Web.Overview;

/// <summary>A layer's portfolio average now and at the close of the last quarter (null where no agency had it scored).</summary>
public sealed record LayerStanding(Layer Layer, double? Now, double? Then)
{
    public double? Change => Now - Then;
}

/// <summary>What the landing page's first screen says: where the portfolio stands and what is out of step.</summary>
public sealed record LandingView(
    int Agencies,
    int FullyAssessed,
    IReadOnlyList<LayerStanding> Layers,
    AssessmentCycle Quarter,
    OutOfStepPattern? Pattern,
    LocalizedText? PatternSentence,
    SeverityTally OpenFlags,
    SeverityTally OpenFlagsMonthAgo,
    int FlaggedAgencies,
    int OverdueActionItems,
    int OpenActionItems,
    int EndpointsDown,
    int Endpoints);

/// <summary>
/// Reads the landing page's figures through the same queries the detail pages and the API use (the portfolio rows,
/// the flag board, the endpoint board), so every number on the first screen matches the page it links to.
/// </summary>
public sealed class LandingQueries(
    IQuerySession session,
    AgencyQueries agencies,
    FlagQueries flags,
    ProbeQueries probes,
    ReadinessFramework framework,
    ReferenceData reference,
    RuleTitles titles,
    PortalClock clock)
{
    /// <summary>How far back the flag trend looks.</summary>
    public const int TrendDays = 30;

    public async Task<LandingView> LoadAsync(CancellationToken ct)
    {
        var rows = await agencies.PortfolioAsync(new PortfolioFilter(), ct);
        var ids = rows.Select(r => r.Id).ToArray();

        var quarter = AssessmentCycle.LastClosedBefore(clock.Today);
        var timelines = ids.Length == 0 ? [] : await session.LoadManyAsync<AgencyTimeline>(ct, ids);
        var then = ExecutiveSummary.AveragesBefore(timelines.Select(t => t.Changes()), ExecutiveSummary.QuarterClose(quarter, clock.OffsetAt), framework);
        var now = ExecutiveSummary.Averages(rows.Select(r => r.LayerScores()));

        var board = await flags.BoardAsync(new FlagFilter(), new FlagOrder(), ct);
        var monthAgo = clock.Now.AddDays(-TrendDays);
        var known = ids.ToHashSet();
        var recent = (await session.Query<Flag>().Where(f => f.Status != FlagStatus.Resolved || f.ResolvedAt > monthAgo).ToListAsync(ct))
            .Where(f => known.Contains(f.AgencyId))
            .ToList();

        var pattern = OutOfStepPatterns.Commonest(
            [.. rows.Select(r => new PatternAgency(r.Id, r.Sector))],
            board.Rows.Select(r => new PatternFlag(r.Flag.AgencyId, r.Flag.RuleId, r.Flag.Kind, r.Flag.Layers)));
        var names = new PatternNames(
            layer => framework.LayerOf(layer).Name,
            sector => new LocalizedText(reference.SectorName(sector, "en"), reference.SectorName(sector, "hi")),
            rule => titles.Localized(rule) ?? new LocalizedText(rule, rule));

        var today = clock.Today;
        var openItems = await session.Query<ActionItem>()
            .Where(i => i.Status == ActionStatus.Open || i.Status == ActionStatus.InProgress)
            .Select(i => i.DueDate)
            .ToListAsync(ct);

        var endpoints = (await probes.BoardAsync(null, ct)).Where(r => !r.Endpoint.Paused).ToList();

        return new LandingView(
            rows.Count,
            rows.Count(r => r.BalancedIndex is not null),
            [.. Layers.All.Select(l => new LayerStanding(l, now[l], then[l]))],
            quarter,
            pattern,
            pattern is null ? null : OutOfStepPatterns.Sentence(pattern, names),
            new SeverityTally(board.BySeverity.High, board.BySeverity.Medium, board.BySeverity.Low),
            FlagHistory.OpenAt(recent, monthAgo),
            board.Rows.Select(r => r.Flag.AgencyId).Distinct().Count(),
            openItems.Count(due => due < today),
            openItems.Count,
            endpoints.Count(r => ProbeDisplay.HealthOf(r.Status) == Domain.Probes.EndpointHealth.Down),
            endpoints.Count);
    }
}
