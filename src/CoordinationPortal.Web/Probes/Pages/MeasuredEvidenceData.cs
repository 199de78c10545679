namespace CoordinationPortal.Web.Probes.Pages;

/// <summary>The agency page's measured evidence as the prerender read it, restored by the live render.</summary>
public sealed record MeasuredEvidenceData(Guid AgencyId, AgencyEvidence Evidence);
