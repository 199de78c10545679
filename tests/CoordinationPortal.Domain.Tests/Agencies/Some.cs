using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Tests.Framework;

namespace CoordinationPortal.Domain.Tests.Agencies;

/// <summary>Test data: one agency, its people, and times in India Standard Time.</summary>
internal static class Some
{
    public const string Admin = "admin@portal.gov.in";
    public const string Lead = "asha.rao@meity.gov.in";
    public const string Reviewer = "vikram.singh@niti.gov.in";
    public const string Scheduler = "system";
    public const string Note = "Quarterly data-quality audits run by the chief data officer.";

    public static readonly Guid AgencyId = new("6f1c2a8e-3b7d-4e59-9a10-2c4d5e6f7a8b");
    public static readonly TimeSpan Ist = new(5, 30, 0);

    public static DateTimeOffset At(int year, int month, int day, int hour = 10) => new(year, month, day, hour, 0, 0, Ist);

    public static AgencyRegistered Registered(DateTimeOffset? at = null) =>
        new(AgencyId, "Ministry of Electronics and IT", AgencyKind.Ministry, "Technology", "Union", Admin, at ?? At(2025, 11, 10));

    public static IndicatorAssessed Assessed(string indicatorId, int level, DateTimeOffset at, string by = Lead) =>
        new(AgencyId, indicatorId, SmallFramework.LayerOf(indicatorId), level, Note, null, null, null, by, at);

    public static AgencyLeadAssigned LeadAssigned(string lead = Lead) => new(AgencyId, lead, Admin, At(2025, 11, 11));

    public static AssessmentsSubmittedForReview Submitted(DateTimeOffset at, params string[] indicatorIds) =>
        new(AgencyId, indicatorIds, Lead, at);
}
