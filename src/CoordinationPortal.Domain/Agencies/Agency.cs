using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace CoordinationPortal.Domain.Agencies;

public sealed record IndicatorAssessment(
    string IndicatorId,
    Layer Layer,
    int Level,
    string EvidenceNote,
    string? EvidenceUrl,
    int? TargetLevel,
    DateOnly? TargetDate,
    string AssessedBy,
    DateTimeOffset AssessedAt,
    ReviewStatus Status,
    string? ReviewNote);

/// <summary>
/// An agency and its scorecard: the state folded from the agency's event stream. Immutable; each event
/// gives a new state. <see cref="Version"/> counts the events applied and equals the stream version.
/// The per-event methods are named <c>When</c> (not Marten's conventional Apply/Create) because the store
/// folds through <see cref="Evolve"/>, keeping this library free of storage concerns.
/// </summary>
public sealed record Agency
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public string Name { get; init; } = "";
    public AgencyKind Kind { get; init; }
    public string Sector { get; init; } = "";
    public string Jurisdiction { get; init; } = "";
    public DateTimeOffset RegisteredAt { get; init; }
    public ImmutableSortedSet<string> Leads { get; init; } = [];
    public ImmutableSortedDictionary<string, IndicatorAssessment> Indicators { get; init; } =
        ImmutableSortedDictionary<string, IndicatorAssessment>.Empty;
    public DateTimeOffset? LastAssessedAt { get; init; }
    public string? StaleForCycle { get; init; }

    public bool IsLead(string user) => Leads.Contains(Normalize(user));

    /// <summary>Derived from <see cref="Indicators"/>; not stored.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, int> Levels => Indicators.ToDictionary(i => i.Key, i => i.Value.Level);

    public static string Normalize(string user) => user.Trim().ToLowerInvariant();

    public static Agency Registered(AgencyRegistered e) => new()
    {
        Id = e.AgencyId,
        Version = 1,
        Name = e.Name,
        Kind = e.Kind,
        Sector = e.Sector,
        Jurisdiction = e.Jurisdiction,
        RegisteredAt = e.At,
    };

    public Agency When(AgencyDetailsUpdated e) =>
        this with { Version = Version + 1, Name = e.Name, Kind = e.Kind, Sector = e.Sector, Jurisdiction = e.Jurisdiction };

    public Agency When(AgencyLeadAssigned e) => this with { Version = Version + 1, Leads = Leads.Add(Normalize(e.Lead)) };

    public Agency When(AgencyLeadRemoved e) => this with { Version = Version + 1, Leads = Leads.Remove(Normalize(e.Lead)) };

    public Agency When(IndicatorAssessed e) => this with
    {
        Version = Version + 1,
        Indicators = Indicators.SetItem(e.IndicatorId, new IndicatorAssessment(
            e.IndicatorId, e.Layer, e.Level, e.EvidenceNote, e.EvidenceUrl, e.TargetLevel, e.TargetDate,
            e.By, e.At, ReviewStatus.Draft, null)),
        LastAssessedAt = LastAssessedAt is { } last && last > e.At ? last : e.At,
        StaleForCycle = null,
    };

    public Agency When(AssessmentsSubmittedForReview e) => this with
    {
        Version = Version + 1,
        Indicators = e.IndicatorIds.Aggregate(Indicators, (all, id) =>
            all.TryGetValue(id, out var a) ? all.SetItem(id, a with { Status = ReviewStatus.Submitted, ReviewNote = null }) : all),
    };

    public Agency When(AssessmentApproved e) => WithReview(e.IndicatorId, ReviewStatus.Approved, e.Note);

    public Agency When(AssessmentReturned e) => WithReview(e.IndicatorId, ReviewStatus.Returned, e.Reason);

    public Agency When(ScorecardMarkedStale e) => this with { Version = Version + 1, StaleForCycle = e.CycleId };

    private Agency WithReview(string indicatorId, ReviewStatus status, string? note) => this with
    {
        Version = Version + 1,
        Indicators = Indicators.TryGetValue(indicatorId, out var a)
            ? Indicators.SetItem(indicatorId, a with { Status = status, ReviewNote = note })
            : Indicators,
    };

    /// <summary>Folds one event into the state; the same rules the Marten projection uses.</summary>
    public static Agency? Evolve(Agency? state, object @event) => (state, @event) switch
    {
        (null, AgencyRegistered e) => Registered(e),
        (null, _) => null,
        (_, AgencyDetailsUpdated e) => state.When(e),
        (_, AgencyLeadAssigned e) => state.When(e),
        (_, AgencyLeadRemoved e) => state.When(e),
        (_, IndicatorAssessed e) => state.When(e),
        (_, AssessmentsSubmittedForReview e) => state.When(e),
        (_, AssessmentApproved e) => state.When(e),
        (_, AssessmentReturned e) => state.When(e),
        (_, ScorecardMarkedStale e) => state.When(e),
        _ => state with { Version = state.Version + 1 },
    };

    public static Agency? Fold(IEnumerable<object> events) => events.Aggregate((Agency?)null, Evolve);

    /// <summary>
    /// The agency as it stood at the end of <paramref name="date"/> (in <paramref name="offset"/>), replayed from
    /// its events by their business time. Events recorded later than that are ignored.
    /// </summary>
    public static Agency? AsOf(IEnumerable<object> events, DateOnly date, TimeSpan offset)
    {
        var endOfDay = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), offset);
        return Fold(events.Where(e => AtOf(e) < endOfDay).OrderBy(AtOf));
    }

    public static DateTimeOffset AtOf(object @event) => @event switch
    {
        AgencyRegistered e => e.At,
        AgencyDetailsUpdated e => e.At,
        AgencyLeadAssigned e => e.At,
        AgencyLeadRemoved e => e.At,
        IndicatorAssessed e => e.At,
        AssessmentsSubmittedForReview e => e.At,
        AssessmentApproved e => e.At,
        AssessmentReturned e => e.At,
        ScorecardMarkedStale e => e.At,
        _ => DateTimeOffset.MinValue,
    };
}
