using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Web.Agencies;

namespace CoordinationPortal.Web.Overview;

/// <summary>
/// What the agency page read for one agency and date: kept by the prerender and restored by the live render, so the
/// page is drawn once. <see cref="Card"/> is null for an unknown agency.
/// </summary>
public sealed record AgencyPageData(
    Guid Id,
    string? AsOf,
    bool AsOfInvalid,
    Scorecard? Card,
    IReadOnlyList<TrendPoint> Trend,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<Flag> Flags);
