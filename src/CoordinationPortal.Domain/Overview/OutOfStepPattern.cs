using System.Globalization;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Overview;

/// <summary>An agency as the pattern counts it: its id and its sector.</summary>
public sealed record PatternAgency(Guid Id, string Sector);

/// <summary>An open flag as the pattern counts it: whose it is, its rule and kind, and the layers it concerns (lead first for a lead rule).</summary>
public sealed record PatternFlag(Guid AgencyId, string RuleId, string Kind, IReadOnlyList<Layer> Layers);

/// <summary>
/// The portfolio's commonest out-of-step pattern: <see cref="Flagged"/> of the <see cref="Agencies"/> agencies of
/// <see cref="Sector"/> have an open flag of <see cref="RuleId"/>. For a lead rule, <see cref="Lag"/> lags <see cref="Lead"/>.
/// </summary>
public sealed record OutOfStepPattern(string RuleId, string Kind, Layer? Lead, Layer? Lag, string Sector, int Flagged, int Agencies);

/// <summary>The names a pattern's sentence uses, in both languages.</summary>
public sealed record PatternNames(Func<Layer, LocalizedText> Layer, Func<string, LocalizedText> Sector, Func<string, LocalizedText> RuleTitle);

/// <summary>
/// Which out-of-step pattern is commonest, and how to say it in a sentence a policymaker reads at a glance
/// ("Data lags Compute in 9 of 14 agencies in Health"). Pure: the landing page passes the open flags and the agencies.
/// </summary>
public static class OutOfStepPatterns
{
    /// <summary>
    /// The (rule, sector) pair with the most agencies flagged; on a tie the larger share of the sector's agencies, then
    /// rule id and sector code in ordinal order, so the same data always gives the same sentence. Null with no open flag
    /// on a known agency.
    /// </summary>
    public static OutOfStepPattern? Commonest(IReadOnlyCollection<PatternAgency> agencies, IEnumerable<PatternFlag> openFlags)
    {
        ArgumentNullException.ThrowIfNull(agencies);
        ArgumentNullException.ThrowIfNull(openFlags);
        var sectorOf = agencies.ToDictionary(a => a.Id, a => a.Sector);
        var sectorSize = agencies.GroupBy(a => a.Sector, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        return openFlags
            .Where(f => sectorOf.ContainsKey(f.AgencyId))
            .GroupBy(f => (f.RuleId, Sector: sectorOf[f.AgencyId]))
            .Select(g =>
            {
                var first = g.First();
                var lead = first.Kind == LeadRule.KindName && first.Layers.Count == 2;
                return new OutOfStepPattern(
                    g.Key.RuleId,
                    first.Kind,
                    lead ? first.Layers[0] : null,
                    lead ? first.Layers[1] : null,
                    g.Key.Sector,
                    g.Select(f => f.AgencyId).Distinct().Count(),
                    sectorSize[g.Key.Sector]);
            })
            .OrderByDescending(p => p.Flagged)
            .ThenByDescending(p => (double)p.Flagged / p.Agencies)
            .ThenBy(p => p.RuleId, StringComparer.Ordinal)
            .ThenBy(p => p.Sector, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>The pattern as one plain sentence in English and in Hindi.</summary>
    public static LocalizedText Sentence(OutOfStepPattern pattern, PatternNames names)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(names);
        var n = pattern.Flagged.ToString(CultureInfo.InvariantCulture);
        var m = pattern.Agencies.ToString(CultureInfo.InvariantCulture);
        var sector = names.Sector(pattern.Sector);
        var agencyHi = pattern.Flagged == 1 ? "एजेंसी" : "एजेंसियों";
        var agencyEn = pattern.Agencies == 1 ? "agency" : "agencies";
        if (pattern is { Lead: { } lead, Lag: { } lag })
        {
            var leadName = names.Layer(lead);
            var lagName = names.Layer(lag);
            return new LocalizedText(
                $"{lagName.En} lags {leadName.En} in {n} of {m} {agencyEn} in {sector.En}",
                $"{sector.Hi} क्षेत्र की {m} में से {n} {agencyHi} में {lagName.Hi} {leadName.Hi} से पीछे है");
        }

        var title = names.RuleTitle(pattern.RuleId);
        return new LocalizedText(
            $"“{title.En}” in {n} of {m} {agencyEn} in {sector.En}",
            $"{sector.Hi} क्षेत्र की {m} में से {n} {agencyHi} में “{title.Hi}”");
    }
}

/// <summary>How many flags were open at an instant, by severity, from the flags' raised/resolved episodes.</summary>
public static class FlagHistory
{
    /// <summary>
    /// Flags open at <paramref name="at"/>: an episode raised at or before it and not resolved by then, at the episode's
    /// severity. Now and 30 days ago through the same function, so the trend compares like with like.
    /// </summary>
    public static SeverityTally OpenAt(IEnumerable<Flag> flags, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return SeverityTally.Of(flags
            .SelectMany(f => f.Episodes)
            .Where(e => e.RaisedAt <= at && (e.ResolvedAt is null || e.ResolvedAt > at))
            .Select(e => e.Severity));
    }
}
