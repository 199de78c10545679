using System.Security.Cryptography;
using System.Text;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Web.Seeding;

public sealed record AgencySeed(string Slug, string Name, AgencyKind Kind, string Sector, string Jurisdiction, string Profile)
{
    /// <summary>Stable per slug, so demo links and tests survive a re-seed.</summary>
    public Guid Id => SeedHistory.StableId("agency:" + Slug);
}

/// <summary>
/// Generates believable assessment history for the demo: each profile says where each layer starts and where it
/// gets to over the period (some balanced, many with one layer racing ahead). Deterministic per agency.
/// </summary>
public static class SeedHistory
{
    public const string AdminUser = "admin@portal.local";
    public const string DemoLead = "lead@portal.local";

    private static readonly Dictionary<string, (double[] From, double[] To)> Profiles = new(StringComparer.Ordinal)
    {
        // Compute, Data, Governance, Skills, Operations
        ["Balanced"] = ([2.0, 2.0, 2.0, 2.0, 2.0], [3.4, 3.3, 3.3, 3.2, 3.3]),
        ["ComputeRacing"] = ([2.0, 2.0, 2.0, 1.8, 2.0], [4.7, 2.1, 2.8, 2.6, 3.4]),
        ["OperationsRacing"] = ([2.0, 2.0, 1.6, 2.0, 2.0], [3.5, 3.0, 1.9, 2.1, 4.6]),
        ["DataRacing"] = ([2.0, 2.0, 1.8, 2.0, 2.0], [3.0, 4.6, 1.9, 2.8, 3.0]),
        ["GovernanceLed"] = ([1.5, 2.0, 2.5, 2.0, 1.5], [2.5, 3.0, 4.4, 3.0, 2.5]),
        ["SkillsLagging"] = ([2.0, 2.0, 2.0, 1.2, 2.0], [3.6, 3.5, 3.4, 1.4, 3.5]),
        ["Laggard"] = ([1.0, 1.0, 1.0, 1.0, 1.0], [2.0, 1.6, 1.8, 1.5, 1.7]),
        ["Leader"] = ([3.0, 3.0, 3.0, 3.0, 3.0], [4.6, 4.4, 4.5, 4.3, 4.5]),
    };

    private static readonly string[] LeadNames =
    [
        "priya.nair", "arjun.mehta", "kavita.rao", "rahul.verma", "ananya.iyer", "vikram.singh", "meera.pillai",
        "sanjay.gupta", "fatima.khan", "rohan.das", "lakshmi.menon", "amit.joshi", "neha.kulkarni", "imran.sheikh",
    ];

    public static IReadOnlyList<string> ProfileNames => Profiles.Keys.ToList();

    public static Guid StableId(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>The agency's history from <paramref name="months"/> months before <paramref name="now"/>: registration, leads, quarterly assessments and reviews.</summary>
    public static IReadOnlyList<object> Generate(AgencySeed seed, ReadinessFramework framework, DateTimeOffset now, int months, IReadOnlyList<string> extraLeads)
    {
        if (!Profiles.TryGetValue(seed.Profile, out var profile))
        {
            throw new ArgumentException($"Unknown seed profile '{seed.Profile}' for {seed.Slug}.", nameof(seed));
        }

        var random = new Random(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(seed.Slug)), 0));
        var start = now.AddMonths(-months).AddDays(-random.Next(0, 20));
        var lead = $"{LeadNames[random.Next(LeadNames.Length)]}@{seed.Slug}.gov.example";
        var events = new List<object>
        {
            new AgencyRegistered(seed.Id, seed.Name, seed.Kind, seed.Sector, seed.Jurisdiction, AdminUser, start),
            new AgencyLeadAssigned(seed.Id, lead, AdminUser, start.AddHours(1)),
        };
        events.AddRange(extraLeads.Select(l => new AgencyLeadAssigned(seed.Id, l, AdminUser, start.AddHours(2))));

        // Each indicator sits a little above or below its layer's trajectory, and keeps that bias.
        var bias = framework.Indicators.ToDictionary(i => i.Id, _ => (random.NextDouble() - 0.5) * 0.9);
        var quarters = months / 3;
        // Laggards stop assessing two quarters before the end, so their scorecards go stale.
        var lastQuarter = seed.Profile == "Laggard" ? quarters - 2 : quarters;
        var current = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var q = 0; q <= lastQuarter; q++)
        {
            var at = start.AddMonths(q * 3).AddDays(7 + random.Next(0, 30)).AddHours(random.Next(9, 18));
            if (at > now.AddDays(-2))
            {
                at = now.AddDays(-2 - random.Next(0, 5));
            }

            var progress = (double)q / quarters;
            var assessedThisQuarter = new List<string>();
            foreach (var layer in framework.Layers)
            {
                var i = (int)layer.Layer;
                var trajectory = profile.From[i] + ((profile.To[i] - profile.From[i]) * progress);
                foreach (var indicator in layer.Indicators)
                {
                    var level = Math.Clamp((int)Math.Round(trajectory + bias[indicator.Id] + ((random.NextDouble() - 0.5) * 0.3)), 1, 5);
                    var changed = !current.TryGetValue(indicator.Id, out var previous) || previous != level;
                    if (!changed && random.NextDouble() > 0.2)
                    {
                        continue;
                    }

                    // Maturity rarely slides back in a quarter; keep regressions to the odd one.
                    if (previous > level && random.NextDouble() > 0.15)
                    {
                        level = previous;
                        if (random.NextDouble() > 0.2) continue;
                    }

                    current[indicator.Id] = level;
                    var assessedAt = at.AddMinutes(assessedThisQuarter.Count * 7);
                    var target = level < 5 && random.NextDouble() < 0.5 ? level + 1 : (int?)null;
                    events.Add(new IndicatorAssessed(
                        seed.Id,
                        indicator.Id,
                        layer.Layer,
                        level,
                        EvidenceNote(indicator, level, framework, assessedAt),
                        indicator.EvidenceRequired && level >= AgencyDecider.EvidenceLinkRequiredFromLevel
                            ? $"https://records.{seed.Slug}.gov.example/evidence/{indicator.Id}/{AssessmentCycle.Containing(DateOnly.FromDateTime(assessedAt.UtcDateTime)).Id}"
                            : null,
                        target,
                        target is null ? null : DateOnly.FromDateTime(assessedAt.AddMonths(6).UtcDateTime),
                        lead,
                        assessedAt));
                    assessedThisQuarter.Add(indicator.Id);
                }
            }

            if (assessedThisQuarter.Count == 0)
            {
                continue;
            }

            var submittedAt = at.AddDays(2);
            if (submittedAt > now)
            {
                continue;
            }

            events.Add(new AssessmentsSubmittedForReview(seed.Id, assessedThisQuarter, lead, submittedAt));
            var isLatest = q == lastQuarter;
            foreach (var id in assessedThisQuarter)
            {
                var reviewedAt = submittedAt.AddDays(3).AddMinutes(random.Next(0, 600));
                if (reviewedAt > now || (isLatest && random.NextDouble() < 0.4))
                {
                    continue; // still waiting for a reviewer
                }

                events.Add(random.NextDouble() < 0.06
                    ? new AssessmentReturned(seed.Id, id, "Evidence link does not show the claimed practice; please attach the current document.", AdminUser, reviewedAt)
                    : new AssessmentApproved(seed.Id, id, null, AdminUser, reviewedAt));
            }
        }

        return events.OrderBy(Agency.AtOf).ToList();
    }

    private static string EvidenceNote(IndicatorDefinition indicator, int level, ReadinessFramework framework, DateTimeOffset at) =>
        $"{AssessmentCycle.Containing(DateOnly.FromDateTime(at.UtcDateTime)).Id} review: {framework.LevelName(level).En}. " +
        $"{indicator.DescriptorFor(level).En}";
}
