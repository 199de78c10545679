using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Kernel.Changes;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.OutOfStep;

/// <summary>
/// Flags for the board and API tests, made by appending flag events directly with the flag change notice (as the
/// evaluation does, so cached pages are evicted), under rule ids
/// no other test uses, so each test finds exactly its own flags whatever else the shared portal holds.
/// </summary>
internal static class BoardFlags
{
    public static string NewRule(string name) => $"test-{name}-{Guid.NewGuid():N}"[..(name.Length + 17)];

    public static async Task<Guid> RaiseAsync(
        PortalFixture portal, Guid agencyId, string ruleId, FlagSeverity severity, Layer[] layers,
        string english = "Compute is at level 4 but Data is at level 2.", string hindi = "कंप्यूट स्तर 4 पर है पर डेटा स्तर 2 पर है।",
        DateTimeOffset? at = null)
    {
        var id = FlagIds.For(agencyId, ruleId, "");
        await AppendAsync(portal, id, isNew: true, new FlagRaised(
            id, agencyId, ruleId, "lead", "", severity, layers, [new Figure("leadingLevel", 4), new Figure("laggingLevel", 2)],
            new LocalizedText(english, hindi), 1, at ?? DateTimeOffset.UtcNow.AddDays(-3)));
        return id;
    }

    /// <summary>Many flags of one rule for one agency (one per subject), raised a minute apart, oldest first.</summary>
    public static async Task<IReadOnlyList<Guid>> RaiseManyAsync(PortalFixture portal, Guid agencyId, string ruleId, int count)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var subject = "s" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture);
            var id = FlagIds.For(agencyId, ruleId, subject);
            session.Events.StartStream<Flag>(id, new FlagRaised(
                id, agencyId, ruleId, "staleness", subject, FlagSeverity.Low, [Layer.Skills], [new Figure("days", 200 + i)],
                new LocalizedText($"Not assessed for {200 + i} days.", $"{200 + i} दिनों से आकलन नहीं हुआ।"), 1, start.AddMinutes(i)));
            ids.Add(id);
            portal.Factory.Services.GetRequiredService<ChangeFeed>().Stage(session, new PortalChange(ChangeKinds.Flag, id, agencyId));
        }

        await session.SaveChangesAsync();
        return ids;
    }

    public static Task ResolveAsync(PortalFixture portal, Guid flagId) =>
        AppendAsync(portal, flagId, isNew: false, new FlagResolved(flagId, ResolutionReason.ConditionCleared, DateTimeOffset.UtcNow));

    /// <summary>The evaluation saw new numbers: the flag's version moves on.</summary>
    public static Task UpdateAsync(PortalFixture portal, Guid flagId, FlagSeverity severity, Layer[] layers) =>
        AppendAsync(portal, flagId, isNew: false, new FlagUpdated(
            flagId, severity, layers, [new Figure("leadingLevel", 5), new Figure("laggingLevel", 2)],
            new LocalizedText("Compute is at level 5 but Data is at level 2.", "कंप्यूट स्तर 5 पर है पर डेटा स्तर 2 पर है।"), DateTimeOffset.UtcNow));

    public static async Task<Flag?> LoadAsync(PortalFixture portal, Guid flagId)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<Flag>(flagId);
    }

    private static async Task AppendAsync(PortalFixture portal, Guid flagId, bool isNew, object @event)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        if (isNew)
        {
            session.Events.StartStream<Flag>(flagId, @event);
        }
        else
        {
            session.Events.Append(flagId, @event);
        }

        portal.Factory.Services.GetRequiredService<ChangeFeed>().Stage(session, new PortalChange(ChangeKinds.Flag, flagId));
        await session.SaveChangesAsync();
    }
}
