using System.Globalization;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Seeding;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Benchmarks;

internal sealed record SeedResult(int Agencies, int Events);

/// <summary>
/// Setup for the portfolio benchmark: agencies with the same generated history the demo uses (every profile, kind,
/// sector and jurisdiction in turn), appended through Marten so the inline projections build their rows.
/// </summary>
internal static class PortfolioSeeder
{
    public const int HistoryMonths = 20;
    public const int BatchSize = 50;

    /// <summary>Agencies number <paramref name="first"/> + 1 to <paramref name="first"/> + <paramref name="count"/>: a later call adds to an earlier one.</summary>
    public static async Task<SeedResult> SeedAsync(IServiceProvider services, int count, CancellationToken ct, int first = 0)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        var framework = services.GetRequiredService<ReadinessFramework>();
        var reference = services.GetRequiredService<ReferenceData>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var profiles = SeedHistory.ProfileNames;
        var kinds = Enum.GetValues<AgencyKind>();

        var events = 0;
        for (var start = first; start < first + count; start += BatchSize)
        {
            await using var session = store.LightweightSession();
            for (var i = start; i < Math.Min(start + BatchSize, first + count); i++)
            {
                var sector = reference.Sectors[i % reference.Sectors.Count];
                var jurisdiction = reference.Jurisdictions[(i / reference.Sectors.Count) % reference.Jurisdictions.Count];
                var kind = kinds[i % kinds.Length];
                var number = (i + 1).ToString("D4", CultureInfo.InvariantCulture);
                var seed = new AgencySeed(
                    Slug: $"bench-agency-{number}",
                    Name: $"{sector.Name.En} {kind} {number}",
                    Kind: kind,
                    Sector: sector.Code,
                    Jurisdiction: jurisdiction.Code,
                    Profile: profiles[i % profiles.Count]);
                var history = SeedHistory.Generate(seed, framework, now, HistoryMonths, []);
                session.Events.StartStream<Agency>(seed.Id, history);
                events += history.Count;
            }

            await session.SaveChangesAsync(ct);
        }

        return new SeedResult(count, events);
    }
}
