namespace CoordinationPortal.Domain.Agencies;

public enum AgencyKind
{
    Ministry,
    StateDepartment,
    Regulator,
    PublicSectorUndertaking,
    Industry,
    Academia,
    CivilSociety,
}

public enum ReviewStatus
{
    Draft,
    Submitted,
    Approved,
    Returned,
}

// Every event names who acted and when. "At" is the business time of the act; history and
// "as of" views use it, so imported or back-filled history replays correctly.

public sealed record AgencyRegistered(
    Guid AgencyId, string Name, AgencyKind Kind, string Sector, string Jurisdiction, string By, DateTimeOffset At);

public sealed record AgencyDetailsUpdated(
    Guid AgencyId, string Name, AgencyKind Kind, string Sector, string Jurisdiction, string By, DateTimeOffset At);

public sealed record AgencyLeadAssigned(Guid AgencyId, string Lead, string By, DateTimeOffset At);

public sealed record AgencyLeadRemoved(Guid AgencyId, string Lead, string By, DateTimeOffset At);

public sealed record IndicatorAssessed(
    Guid AgencyId,
    string IndicatorId,
    Layer Layer,
    int Level,
    string EvidenceNote,
    string? EvidenceUrl,
    int? TargetLevel,
    DateOnly? TargetDate,
    string By,
    DateTimeOffset At);

public sealed record AssessmentsSubmittedForReview(Guid AgencyId, IReadOnlyList<string> IndicatorIds, string By, DateTimeOffset At);

public sealed record AssessmentApproved(Guid AgencyId, string IndicatorId, string? Note, string By, DateTimeOffset At);

public sealed record AssessmentReturned(Guid AgencyId, string IndicatorId, string Reason, string By, DateTimeOffset At);

public sealed record ScorecardMarkedStale(Guid AgencyId, string CycleId, DateOnly DueDate, string By, DateTimeOffset At);
