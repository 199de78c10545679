namespace CoordinationPortal.Domain.Agencies;

/// <summary>Something a person asks of an agency's stream. Commands carry the actor and the time, so deciding is pure.</summary>
public abstract record AgencyCommand(Guid AgencyId, string By, DateTimeOffset At);

public sealed record RegisterAgency(
    Guid AgencyId, string Name, AgencyKind Kind, string Sector, string Jurisdiction, string By, DateTimeOffset At)
    : AgencyCommand(AgencyId, By, At);

public sealed record UpdateAgencyDetails(
    Guid AgencyId, string Name, AgencyKind Kind, string Sector, string Jurisdiction, string By, DateTimeOffset At)
    : AgencyCommand(AgencyId, By, At);

public sealed record AssignLead(Guid AgencyId, string Lead, string By, DateTimeOffset At) : AgencyCommand(AgencyId, By, At);

public sealed record RemoveLead(Guid AgencyId, string Lead, string By, DateTimeOffset At) : AgencyCommand(AgencyId, By, At);

public sealed record AssessIndicator(
    Guid AgencyId,
    string IndicatorId,
    int Level,
    string EvidenceNote,
    string? EvidenceUrl,
    int? TargetLevel,
    DateOnly? TargetDate,
    string By,
    DateTimeOffset At) : AgencyCommand(AgencyId, By, At);

public sealed record SubmitForReview(Guid AgencyId, string By, DateTimeOffset At) : AgencyCommand(AgencyId, By, At);

public sealed record ApproveAssessment(Guid AgencyId, string IndicatorId, string? Note, string By, DateTimeOffset At)
    : AgencyCommand(AgencyId, By, At);

public sealed record ReturnAssessment(Guid AgencyId, string IndicatorId, string Reason, string By, DateTimeOffset At)
    : AgencyCommand(AgencyId, By, At);

public sealed record MarkStaleIfOverdue(Guid AgencyId, AssessmentCycle Cycle, string By, DateTimeOffset At)
    : AgencyCommand(AgencyId, By, At);
