using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.Scoring;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CoordinationPortal.Web.Agencies;

/// <summary>
/// The current scorecard of an agency, kept inline with every append. The fold rules live in the domain
/// (<see cref="Agency.Evolve"/>), so "as of" replays and this projection cannot disagree.
/// </summary>
public sealed class AgencySnapshotProjection : SingleStreamProjection<Agency, Guid>
{
    public override Agency? Evolve(Agency? snapshot, Guid id, IEvent e) => Agency.Evolve(snapshot, e.Data);
}

/// <summary>One row of the portfolio: small, so that a thousand of them load fast.</summary>
public sealed record AgencySummary
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public string Name { get; init; } = "";
    public AgencyKind Kind { get; init; }
    public string Sector { get; init; } = "";
    public string Jurisdiction { get; init; } = "";
    public IReadOnlyList<string> Leads { get; init; } = [];
    public double? Compute { get; init; }
    public double? Data { get; init; }
    public double? Governance { get; init; }
    public double? Skills { get; init; }
    public double? Operations { get; init; }
    public double? MeanIndex { get; init; }
    public double? GeometricIndex { get; init; }
    public double? BalancedIndex { get; init; }
    public DateTimeOffset? LastAssessedAt { get; init; }
    public string? StaleForCycle { get; init; }
    public IReadOnlyDictionary<string, int> Levels { get; init; } = new Dictionary<string, int>();

    public LayerScores LayerScores() => new(Compute, Data, Governance, Skills, Operations);

    public static AgencySummary From(Agency agency, ReadinessFramework framework) => new AgencySummary
    {
        Id = agency.Id,
        Version = agency.Version,
        Name = agency.Name,
        Kind = agency.Kind,
        Sector = agency.Sector,
        Jurisdiction = agency.Jurisdiction,
        Leads = agency.Leads.ToList(),
        LastAssessedAt = agency.LastAssessedAt,
        StaleForCycle = agency.StaleForCycle,
    }.WithLevels(agency.Levels, framework);

    /// <summary>The same row with these indicator levels, and the layer scores and indices derived from them.</summary>
    public AgencySummary WithLevels(IReadOnlyDictionary<string, int> levels, ReadinessFramework framework)
    {
        var scores = Scores.Layers(framework, levels);
        var index = Scores.Index(scores);
        return this with
        {
            Levels = levels,
            Compute = scores[Layer.Compute],
            Data = scores[Layer.Data],
            Governance = scores[Layer.Governance],
            Skills = scores[Layer.Skills],
            Operations = scores[Layer.Operations],
            MeanIndex = index?.Mean,
            GeometricIndex = index?.Geometric,
            BalancedIndex = index?.Balanced,
        };
    }
}

/// <summary>
/// Keeps <see cref="AgencySummary"/> current with every append. It tracks only what the portfolio needs (levels,
/// not evidence) and derives the scores with the same functions as the scorecard; a test checks that it always
/// equals <see cref="AgencySummary.From"/> of the full snapshot.
/// </summary>
public sealed class AgencySummaryProjection(ReadinessFramework framework) : SingleStreamProjection<AgencySummary, Guid>
{
    public override AgencySummary? Evolve(AgencySummary? snapshot, Guid id, IEvent e) => Next(snapshot, e.Data, framework);

    public static AgencySummary? Next(AgencySummary? summary, object @event, ReadinessFramework framework) => (summary, @event) switch
    {
        (null, AgencyRegistered r) => new AgencySummary
        {
            Id = r.AgencyId, Version = 1, Name = r.Name, Kind = r.Kind, Sector = r.Sector, Jurisdiction = r.Jurisdiction,
        },
        (null, _) => null,
        (_, AgencyDetailsUpdated u) => summary with
        {
            Version = summary.Version + 1, Name = u.Name, Kind = u.Kind, Sector = u.Sector, Jurisdiction = u.Jurisdiction,
        },
        (_, AgencyLeadAssigned a) => summary with
        {
            Version = summary.Version + 1, Leads = summary.Leads.Append(Agency.Normalize(a.Lead)).Distinct().Order(StringComparer.Ordinal).ToList(),
        },
        (_, AgencyLeadRemoved a) => summary with
        {
            Version = summary.Version + 1, Leads = summary.Leads.Where(l => l != Agency.Normalize(a.Lead)).ToList(),
        },
        (_, IndicatorAssessed a) => WithLevel(summary, a, framework),
        (_, ScorecardMarkedStale s) => summary with { Version = summary.Version + 1, StaleForCycle = s.CycleId },
        _ => summary with { Version = summary.Version + 1 },
    };

    private static AgencySummary WithLevel(AgencySummary summary, IndicatorAssessed a, ReadinessFramework framework) =>
        summary.WithLevels(new Dictionary<string, int>(summary.Levels, StringComparer.Ordinal) { [a.IndicatorId] = a.Level }, framework) with
        {
            Version = summary.Version + 1,
            LastAssessedAt = summary.LastAssessedAt is { } last && last > a.At ? last : a.At,
            StaleForCycle = null,
        };
}
