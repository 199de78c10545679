using System.Globalization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.Spreadsheets;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.OutOfStep;

namespace CoordinationPortal.Web.Spreadsheets;

/// <summary>
/// The tables the portal exports. Each is read through the same query as its page or API, so it shows what the reader
/// may see there; the callers check the right to read first. Texts in both languages where the portal keeps both.
/// </summary>
public sealed class SpreadsheetExports(ReadinessFramework framework, ReferenceData reference, PortalClock clock, RuleTitles titles)
{
    /// <summary>The scorecard (also the import template) and an "About" sheet saying what the file is, in both languages.</summary>
    public SheetTable[] Scorecard(Agency agency)
    {
        ArgumentNullException.ThrowIfNull(agency);
        var data = new SheetTable(ScorecardSheet.SheetName, ScorecardSheet.Columns, ScorecardSheet.Rows(agency, framework, clock.Local))
        {
            LevelColumns = [ScorecardSheet.IndexOf(ScorecardSheet.Level), ScorecardSheet.IndexOf(ScorecardSheet.TargetLevel)],
        };
        var names = reference.AgencyName(agency.Name);
        string[] keyValue = ["key", "value"];
        var about = new SheetTable(ScorecardSheet.AboutSheetName, keyValue,
        [
            ["agency", names.En],
            ["agency_hi", names.Hi],
            [ScorecardSheet.AgencyId, agency.Id.ToString()],
            [ScorecardSheet.Version, agency.Version],
            ["exported_at", clock.Now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)],
            ["framework", framework.Id + " " + framework.Version],
            ["how_to_import_en", "Change level, target_level, target_date, evidence_note or evidence_link on the Scorecard sheet and upload the file on the agency's import page. Leave agency_id and scorecard_version as they are: they show what the file was exported from."],
            ["how_to_import_hi", "स्कोरकार्ड शीट में level, target_level, target_date, evidence_note या evidence_link बदलें और फ़ाइल को एजेंसी के आयात पृष्ठ पर अपलोड करें। agency_id और scorecard_version जैसे हैं वैसे ही रहने दें: वे बताते हैं कि फ़ाइल किससे निर्यात हुई।"],
        ]);
        return [data, about];
    }

    public static string ScorecardFileName(Agency agency, string extension)
    {
        ArgumentNullException.ThrowIfNull(agency);
        return $"scorecard-{Slug(agency.Name)}-v{agency.Version.ToString(CultureInfo.InvariantCulture)}.{extension}";
    }

    public SheetTable Portfolio(IReadOnlyList<AgencySummary> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] columns = ["agency_id", "agency", "agency_hi", "kind", "sector", "jurisdiction", "compute", "data", "governance", "skills", "operations",
            "mean_index", "geometric_index", "balanced_index", "last_assessed", "stale", "scorecard_version"];
        return new SheetTable("Portfolio", columns, [.. rows.Select(a => (IReadOnlyList<object?>)
        [
            a.Id.ToString(), a.Name, reference.AgencyName(a.Name).Hi, a.Kind.ToString(), a.Sector, a.Jurisdiction,
            Round(a.Compute), Round(a.Data), Round(a.Governance), Round(a.Skills), Round(a.Operations),
            Round(a.MeanIndex), Round(a.GeometricIndex), Round(a.BalancedIndex),
            a.LastAssessedAt is { } at ? clock.Local(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            a.StaleForCycle is null ? "no" : "yes", a.Version,
        ])]);
    }

    public SheetTable Flags(IReadOnlyList<FlagRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] columns = ["flag_id", "agency", "agency_hi", "sector", "jurisdiction", "rule", "rule_en", "rule_hi", "severity", "status", "layers",
            "explanation_en", "explanation_hi", "raised_at", "occurrence", "acknowledged_by", "acknowledgement_note", "resolved_at"];
        return new SheetTable("Flags", columns, [.. rows.Select(r => (IReadOnlyList<object?>)
        [
            r.Flag.Id.ToString(), r.Agency.Name, reference.AgencyName(r.Agency.Name).Hi, r.Agency.Sector, r.Agency.Jurisdiction,
            r.Flag.RuleId, titles.Localized(r.Flag.RuleId)?.En, titles.Localized(r.Flag.RuleId)?.Hi,
            r.Flag.Severity.ToString(), r.Flag.Status.ToString(), string.Join(", ", r.Flag.Layers),
            r.Flag.Explanation.En, r.Flag.Explanation.Hi, Time(r.Flag.RaisedAt), r.Flag.Occurrence,
            r.Flag.AcknowledgedBy, r.Flag.AcknowledgementNote, r.Flag.ResolvedAt is { } at ? Time(at) : null,
        ])]);
    }

    public SheetTable ActionItems(WorkingGroup group, IReadOnlyList<ActionItem> items, IReadOnlyDictionary<Guid, string> agencyNames)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(agencyNames);
        var today = clock.Today;
        string[] columns = ["action_item_id", "title", "agency", "agency_hi", "owner", "layer", "target_indicator", "target_level", "due_date", "status",
            "overdue_days", "recorded_by", "recorded_at", "done_at"];
        return new SheetTable("Action items", columns, [.. items.Select(i =>
        {
            var agency = agencyNames.TryGetValue(i.AgencyId, out var name) ? name : "";
            return (IReadOnlyList<object?>)
            [
                i.Id.ToString(), i.Title, agency, agency.Length == 0 ? "" : reference.AgencyName(agency).Hi, i.Owner, i.Layer.ToString(),
                i.Target?.IndicatorId, i.Target?.Level, i.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), i.Status.ToString(),
                i.DaysOverdue(today), i.RecordedBy, Time(i.RecordedAt), i.DoneAt is { } done ? Time(done) : null,
            ];
        })]);
    }

    private string Time(DateTimeOffset at) => clock.Local(at).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;

    private static string Slug(string name)
    {
        var slug = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        slug = slug.Trim('-');
        return slug.Length == 0 ? "agency" : slug[..Math.Min(slug.Length, 60)];
    }
}
