using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.OutOfStep;

/// <summary>
/// Agencies and flags for the page tests, appended as events straight to the store (no evaluator): each test gets
/// agencies of its own, in a sector and jurisdiction of its own, so its counts are exact.
/// </summary>
internal static class RollupTestData
{
    public static string UniqueCode(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>An agency with these indicator levels, assessed <paramref name="daysAgo"/> days ago.</summary>
    public static async Task<Guid> AgencyAsync(PortalFixture portal, string name, string sector, string jurisdiction, IReadOnlyDictionary<string, int> levels, int daysAgo = 200)
    {
        var id = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow.AddDays(-daysAgo);
        var events = new List<object> { new AgencyRegistered(id, name, AgencyKind.Ministry, sector, jurisdiction, "admin@portal.local", at) };
        events.AddRange(levels.Select((l, i) => (object)new IndicatorAssessed(
            id, l.Key, Enum.Parse<Layer>(l.Key.Split('.')[0], ignoreCase: true), l.Value, "Evidence", null, null, null, "admin@portal.local", at.AddMinutes(i + 1))));
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream<Agency>(id, events);
        await session.SaveChangesAsync();
        return id;
    }

    public static FlagRaised Raised(Guid agencyId, string ruleId, FlagSeverity severity, DateTimeOffset at, LocalizedText? explanation = null, int occurrence = 1) =>
        new(FlagIds.For(agencyId, ruleId, ""), agencyId, ruleId, "lead", "", severity, [Layer.Compute, Layer.Data],
            [new Figure("computeLevel", 4), new Figure("dataLevel", 2)],
            explanation ?? new LocalizedText("Compute is at level 4 but Data is at level 2.", "कंप्यूट स्तर 4 पर है लेकिन डेटा स्तर 2 पर है।"),
            occurrence, at);

    /// <summary>Appends a flag's events as one new stream (the inline projection stores the <see cref="Flag"/> document).</summary>
    public static async Task<Guid> FlagAsync(PortalFixture portal, FlagRaised raised, params object[] then)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream<Flag>(raised.FlagId, [raised, .. then]);
        await session.SaveChangesAsync();
        return raised.FlagId;
    }

    public static Task<Guid> OpenFlagAsync(PortalFixture portal, Guid agencyId, string ruleId, FlagSeverity severity, int daysAgo = 30) =>
        FlagAsync(portal, Raised(agencyId, ruleId, severity, DateTimeOffset.UtcNow.AddDays(-daysAgo)));

    public static Task<Guid> ResolvedFlagAsync(PortalFixture portal, Guid agencyId, string ruleId, FlagSeverity severity, int raisedDaysAgo = 120, int resolvedDaysAgo = 60)
    {
        var raised = Raised(agencyId, ruleId, severity, DateTimeOffset.UtcNow.AddDays(-raisedDaysAgo));
        return FlagAsync(portal, raised, new FlagResolved(raised.FlagId, ResolutionReason.ConditionCleared, DateTimeOffset.UtcNow.AddDays(-resolvedDaysAgo)));
    }
}
