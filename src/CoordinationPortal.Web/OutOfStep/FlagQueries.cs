using System.Globalization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using Marten;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>Which flags the board lists: open ones (acknowledged or not) unless asked otherwise.</summary>
public enum FlagStatusFilter
{
    AllOpen,
    Open,
    Acknowledged,
    Resolved,
    All,
}

public enum FlagSort
{
    Severity,
    Raised,
    Agency,
    Rule,

    /// <summary>Severity weighted by how long the flag has been open (<see cref="FlagUrgency"/>): the board's default.</summary>
    Urgency,
}

/// <summary>The board's filters; each one left null (or empty) does not filter.</summary>
public sealed record FlagFilter(
    FlagSeverity? Severity = null,
    string? RuleId = null,
    Layer? Layer = null,
    string? Sector = null,
    string? Jurisdiction = null,
    Guid? AgencyId = null,
    FlagStatusFilter Status = FlagStatusFilter.AllOpen,
    string? Text = null);

public sealed record FlagOrder(FlagSort By = FlagSort.Urgency, bool Descending = true);

/// <summary>The agency a flag concerns, as the board shows it: only what a row needs from the portfolio row.</summary>
public sealed record FlagAgencyInfo
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public AgencyKind Kind { get; init; }
    public string Sector { get; init; } = "";
    public string Jurisdiction { get; init; } = "";
    public IReadOnlyList<string> Leads { get; init; } = [];
}

public sealed record FlagRow(Flag Flag, FlagAgencyInfo Agency);

/// <summary>
/// The flags that pass the filters, sorted; how many of each severity pass every filter but the severity one (so the
/// board's counts stay useful while a severity is chosen); what changed in the last week among the flags that pass
/// every filter but the status and severity ones (so "3 resolved" is counted on a board of open flags); and the
/// moment all of it was read at, which ages and urgencies are counted to.
/// </summary>
public sealed record FlagBoardView(IReadOnlyList<FlagRow> Rows, SeverityCounts BySeverity, IReadOnlyDictionary<FlagChangeKind, int> Changes, DateTimeOffset Now)
{
    public int ChangeCount(FlagChangeKind kind) => Changes.TryGetValue(kind, out var count) ? count : 0;
}

/// <summary>One agency's flags: those open now, and those that cleared (the flag history).</summary>
public sealed record AgencyFlagList(FlagAgencyInfo Agency, IReadOnlyList<Flag> Open, IReadOnlyList<Flag> Resolved)
{
    /// <summary>The open ones among <paramref name="flags"/>, most severe first, then the newest raising.</summary>
    public static IReadOnlyList<Flag> OpenWorstFirst(IEnumerable<Flag> flags) => flags
        .Where(f => f.IsOpen)
        .OrderByDescending(f => f.Severity)
        .ThenByDescending(f => f.RaisedAt)
        .ThenBy(f => f.RuleId, StringComparer.Ordinal)
        .ThenBy(f => f.Id)
        .ToList();
}

/// <summary>
/// Reads flags for the board, the agency page and the API. Flags come from the inline <see cref="Flag"/> snapshots
/// (indexed by agency and status), the agency's name and place from a slim projection of the portfolio rows; the two
/// are joined in memory, which stays two queries however many agencies there are.
/// </summary>
public sealed class FlagQueries(IQuerySession session, PortalClock clock)
{
    public async Task<FlagBoardView> BoardAsync(FlagFilter filter, FlagOrder order, CancellationToken ct)
    {
        var now = clock.Now;
        var agencies = await AgenciesAsync(filter, ct);

        var filtered = Where(filter, agencies);
        var query = filter.Status switch
        {
            FlagStatusFilter.Open => filtered.Where(f => f.Status == FlagStatus.Open),
            FlagStatusFilter.Acknowledged => filtered.Where(f => f.Status == FlagStatus.Acknowledged),
            FlagStatusFilter.Resolved => filtered.Where(f => f.Status == FlagStatus.Resolved),
            FlagStatusFilter.All => filtered,
            _ => filtered.Where(f => f.Status != FlagStatus.Resolved),
        };
        var rows = Rows(await query.ToListAsync(ct), filter, agencies);

        // The week's changes count every status: those resolved in it are read apart when the board leaves them out.
        var changes = rows.Select(r => FlagChanges.Recent(r.Flag, now)).OfType<FlagRecentChange>().ToList();
        if (filter.Status is not (FlagStatusFilter.Resolved or FlagStatusFilter.All))
        {
            var since = now - FlagChanges.Window;
            var resolved = await filtered.Where(f => f.Status == FlagStatus.Resolved && f.ResolvedAt >= since).ToListAsync(ct);
            changes.AddRange(Rows(resolved, filter, agencies).Select(r => FlagChanges.Recent(r.Flag, now)).OfType<FlagRecentChange>());
        }

        // Counted over every status shown, before the severity filter.
        var counts = SeverityCounts.Of(rows.Select(r => r.Flag.Severity));
        var byKind = changes.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count());
        var shown = filter.Severity is { } severity ? rows.Where(r => r.Flag.Severity == severity) : rows;
        return new FlagBoardView(Sort(shown, order, now).ToList(), counts, byKind, now);
    }

    /// <summary>The filters the database applies: rule, agency, and the agencies of the chosen sector and jurisdiction.</summary>
    private IQueryable<Flag> Where(FlagFilter filter, Dictionary<Guid, FlagAgencyInfo> agencies)
    {
        IQueryable<Flag> query = session.Query<Flag>();
        if (!string.IsNullOrEmpty(filter.RuleId)) query = query.Where(f => f.RuleId == filter.RuleId);
        if (filter.AgencyId is { } agencyId) query = query.Where(f => f.AgencyId == agencyId);
        if (!string.IsNullOrEmpty(filter.Sector) || !string.IsNullOrEmpty(filter.Jurisdiction))
        {
            var ids = agencies.Keys.ToArray();
            query = query.Where(f => ids.Contains(f.AgencyId));
        }

        return query;
    }

    /// <summary>The flags joined to their agencies, with the filters applied in memory: layer and text.</summary>
    private static List<FlagRow> Rows(IReadOnlyList<Flag> flags, FlagFilter filter, Dictionary<Guid, FlagAgencyInfo> agencies)
    {
        var rows = new List<FlagRow>(flags.Count);
        foreach (var flag in flags)
        {
            if (agencies.TryGetValue(flag.AgencyId, out var agency)
                && (filter.Layer is not { } layer || flag.Layers.Contains(layer))
                && Matches(flag, agency, filter.Text))
            {
                rows.Add(new FlagRow(flag, agency));
            }
        }

        return rows;
    }

    /// <summary>The agency's open flags (most severe first) and its resolved ones (latest first); null for an unknown agency.</summary>
    public async Task<AgencyFlagList?> ForAgencyAsync(Guid agencyId, CancellationToken ct)
    {
        var agency = (await AgenciesAsync(new FlagFilter(AgencyId: agencyId), ct)).Values.SingleOrDefault();
        if (agency is null)
        {
            return null;
        }

        var flags = await FlagsOfAsync(agencyId, ct);
        var resolved = flags.Where(f => !f.IsOpen).OrderByDescending(f => f.ResolvedAt).ThenBy(f => f.RuleId, StringComparer.Ordinal).ToList();
        return new AgencyFlagList(agency, AgencyFlagList.OpenWorstFirst(flags), resolved);
    }

    /// <summary>Every flag of the agency, open and resolved, newest raising first (the agency page's list and chart markers).</summary>
    public async Task<IReadOnlyList<Flag>> FlagsOfAsync(Guid agencyId, CancellationToken ct)
    {
        var flags = await session.Query<Flag>().Where(f => f.AgencyId == agencyId).ToListAsync(ct);
        return flags.OrderByDescending(f => f.RaisedAt).ThenBy(f => f.RuleId, StringComparer.Ordinal).ToList();
    }

    /// <summary>One flag with its agency; null when either is unknown.</summary>
    public async Task<FlagRow?> FindAsync(Guid flagId, CancellationToken ct)
    {
        var flag = await session.LoadAsync<Flag>(flagId, ct);
        if (flag is null)
        {
            return null;
        }

        var agency = (await AgenciesAsync(new FlagFilter(AgencyId: flag.AgencyId), ct)).Values.SingleOrDefault();
        return agency is null ? null : new FlagRow(flag, agency);
    }

    /// <summary>Every rule id any flag was raised under, for the rule filter when no rules file names them.</summary>
    public async Task<IReadOnlyList<string>> RuleIdsAsync(CancellationToken ct)
    {
        var ids = await session.Query<Flag>().Select(f => f.RuleId).Distinct().ToListAsync(ct);
        return ids.Order(StringComparer.Ordinal).ToList();
    }

    private async Task<Dictionary<Guid, FlagAgencyInfo>> AgenciesAsync(FlagFilter filter, CancellationToken ct)
    {
        IQueryable<AgencySummary> query = session.Query<AgencySummary>();
        if (filter.AgencyId is { } id) query = query.Where(a => a.Id == id);
        if (!string.IsNullOrEmpty(filter.Sector)) query = query.Where(a => a.Sector == filter.Sector);
        if (!string.IsNullOrEmpty(filter.Jurisdiction)) query = query.Where(a => a.Jurisdiction == filter.Jurisdiction);

        // Only the columns a row shows, not the levels and scores of every agency.
        var rows = await query.Select(a => new FlagAgencyInfo
        {
            Id = a.Id,
            Name = a.Name,
            Kind = a.Kind,
            Sector = a.Sector,
            Jurisdiction = a.Jurisdiction,
            Leads = a.Leads,
        }).ToListAsync(ct);
        return rows.ToDictionary(a => a.Id);
    }

    private static bool Matches(Flag flag, FlagAgencyInfo agency, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var term = text.Trim();
        return Contains(agency.Name, term) || Contains(flag.RuleId, term) || Contains(flag.Subject, term)
            || Contains(flag.Explanation.En, term) || Contains(flag.Explanation.Hi, term)
            || Contains(flag.AcknowledgementNote, term);
    }

    private static bool Contains(string? haystack, string needle) =>
        haystack is not null && CultureInfo.InvariantCulture.CompareInfo.IndexOf(haystack, needle, CompareOptions.IgnoreCase) >= 0;

    private static IEnumerable<FlagRow> Sort(IEnumerable<FlagRow> rows, FlagOrder order, DateTimeOffset now)
    {
        // Every order ends on the same tie-breakers, so equal keys never shuffle between two loads.
        var sorted = order.By switch
        {
            // Equal urgency: the one nobody has acknowledged yet first.
            FlagSort.Urgency => order.Descending
                ? rows.OrderByDescending(r => FlagUrgency.Score(r.Flag, now)).ThenBy(r => r.Flag.Status)
                : rows.OrderBy(r => FlagUrgency.Score(r.Flag, now)).ThenByDescending(r => r.Flag.Status),
            FlagSort.Raised => order.Descending ? rows.OrderByDescending(r => r.Flag.RaisedAt) : rows.OrderBy(r => r.Flag.RaisedAt),
            FlagSort.Agency => order.Descending
                ? rows.OrderByDescending(r => r.Agency.Name, StringComparer.CurrentCulture)
                : rows.OrderBy(r => r.Agency.Name, StringComparer.CurrentCulture),
            FlagSort.Rule => order.Descending
                ? rows.OrderByDescending(r => r.Flag.RuleId, StringComparer.Ordinal)
                : rows.OrderBy(r => r.Flag.RuleId, StringComparer.Ordinal),
            _ => order.Descending ? rows.OrderByDescending(r => r.Flag.Severity) : rows.OrderBy(r => r.Flag.Severity),
        };
        return sorted
            .ThenByDescending(r => r.Flag.Severity)
            .ThenByDescending(r => r.Flag.RaisedAt)
            .ThenBy(r => r.Agency.Name, StringComparer.CurrentCulture)
            .ThenBy(r => r.Flag.RuleId, StringComparer.Ordinal)
            .ThenBy(r => r.Flag.Id);
    }
}

/// <summary>
/// How the board's links and the API spell filter and sort values: an enum's name in lower case ("high", "all-open",
/// "compute"), read back case-insensitively; a sort is a column and a direction, e.g. "raised-desc".
/// </summary>
public static class FlagQueryString
{
    public static string Slug<T>(T value) where T : struct, Enum => value switch
    {
        FlagStatusFilter.AllOpen => "all-open",
        _ => value.ToString().ToLowerInvariant(),
    };

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        var trimmed = text?.Trim() ?? "";
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (trimmed.Length > 0 && (string.Equals(Slug(candidate), trimmed, StringComparison.OrdinalIgnoreCase)
                || string.Equals(candidate.ToString(), trimmed, StringComparison.OrdinalIgnoreCase)))
            {
                value = candidate;
                return true;
            }
        }

        return false;
    }

    public static bool TryParseOrder(string? sort, out FlagOrder order)
    {
        order = new FlagOrder();
        var parts = (sort?.Trim() ?? "").Split('-', 2);
        if (!TryParse<FlagSort>(parts[0], out var by))
        {
            return false;
        }

        // Without a direction: urgency, severity and dates most urgent, worst and newest first; names alphabetically.
        bool? descending = parts.Length == 1 ? by is FlagSort.Severity or FlagSort.Raised or FlagSort.Urgency
            : parts[1].Equals("desc", StringComparison.OrdinalIgnoreCase) ? true
            : parts[1].Equals("asc", StringComparison.OrdinalIgnoreCase) ? false
            : null;
        if (descending is null)
        {
            return false;
        }

        order = new FlagOrder(by, descending.Value);
        return true;
    }

    public static string Format(FlagOrder order) => $"{Slug(order.By)}-{(order.Descending ? "desc" : "asc")}";
}
