using System.Globalization;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.Spreadsheets;

/// <summary>A problem with an imported file, where a person finds it: sheet, row (1-based, the header is row 1) and column.</summary>
public sealed record SheetProblem(string Sheet, int? Row, string? Column, string Code, string? Value = null);

/// <summary>What one row of a scorecard says about an indicator; a null <see cref="Level"/> means "not assessed".</summary>
public sealed record IndicatorValues(int? Level, int? TargetLevel, DateOnly? TargetDate, string EvidenceNote, string? EvidenceUrl)
{
    public static IndicatorValues Of(IndicatorAssessment? a) => a is null
        ? new IndicatorValues(null, null, null, "", null)
        : new IndicatorValues(a.Level, a.TargetLevel, a.TargetDate, a.EvidenceNote, a.EvidenceUrl);

    /// <summary>Equal as a person would judge it: surrounding spaces and an empty link do not count.</summary>
    public bool SameAs(IndicatorValues other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Level == other.Level && TargetLevel == other.TargetLevel && TargetDate == other.TargetDate
            && string.Equals(EvidenceNote.Trim(), other.EvidenceNote.Trim(), StringComparison.Ordinal)
            && string.Equals(Blank(EvidenceUrl), Blank(other.EvidenceUrl), StringComparison.Ordinal);
    }

    private static string Blank(string? text) => string.IsNullOrWhiteSpace(text) ? "" : text.Trim();
}

/// <summary>One data row of an uploaded scorecard, read.</summary>
public sealed record ScorecardFileRow(int Row, string IndicatorId, IndicatorValues Values);

/// <summary>An uploaded scorecard, read: the agency and version it was exported from, its rows, and every problem found.</summary>
public sealed record ScorecardFile(Guid? AgencyId, long? Version, IReadOnlyList<ScorecardFileRow> Rows, IReadOnlyList<SheetProblem> Problems)
{
    /// <summary>Where each column stood in the file (its letter), for naming a cell at fault; the export's order if unknown.</summary>
    public IReadOnlyDictionary<string, string> Letters { get; init; } = new Dictionary<string, string>();

    public string LetterOf(string column) =>
        Letters.TryGetValue(column, out var letter) ? letter : SpreadsheetText.ColumnLetter(ScorecardSheet.IndexOf(column));
}

/// <summary>A raw row of cells as text (null for an empty cell), numbered as the spreadsheet numbers it.</summary>
public sealed record RawRow(int Number, IReadOnlyList<string?> Cells);

/// <summary>
/// The scorecard as a sheet: the columns of the export, which is also the import template (the same file goes out and
/// comes back). Column names are fixed codes in either language's file, so a file exported in Hindi imports the same.
/// </summary>
public static class ScorecardSheet
{
    public const string SheetName = "Scorecard";
    public const string AboutSheetName = "About";

    public const string IndicatorCode = "indicator_code";
    public const string LayerColumn = "layer";
    public const string NameEn = "indicator_en";
    public const string NameHi = "indicator_hi";
    public const string Level = "level";
    public const string TargetLevel = "target_level";
    public const string TargetDate = "target_date";
    public const string EvidenceNote = "evidence_note";
    public const string EvidenceLink = "evidence_link";
    public const string AssessedBy = "assessed_by";
    public const string AssessedAt = "assessed_at";
    public const string AgencyId = "agency_id";
    public const string Version = "scorecard_version";

    public static IReadOnlyList<string> Columns { get; } =
        [IndicatorCode, LayerColumn, NameEn, NameHi, Level, TargetLevel, TargetDate, EvidenceNote, EvidenceLink, AssessedBy, AssessedAt, AgencyId, Version];

    /// <summary>The columns an import reads; the others are there for people and are ignored.</summary>
    public static IReadOnlyList<string> Read { get; } = [IndicatorCode, Level, TargetLevel, TargetDate, EvidenceNote, EvidenceLink, AgencyId, Version];

    public static int IndexOf(string column) => Columns.ToList().IndexOf(column);

    /// <summary>The export: one row per indicator of the framework, in its order, assessed or not; text neutralised.</summary>
    public static IReadOnlyList<IReadOnlyList<object?>> Rows(Agency agency, ReadinessFramework framework, Func<DateTimeOffset, DateTimeOffset> local)
    {
        ArgumentNullException.ThrowIfNull(agency);
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(local);
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var layer in framework.Layers)
        {
            foreach (var indicator in layer.Indicators)
            {
                agency.Indicators.TryGetValue(indicator.Id, out var a);
                rows.Add(
                [
                    indicator.Id,
                    layer.Layer.ToString(),
                    SpreadsheetText.Neutralise(indicator.Name.En),
                    SpreadsheetText.Neutralise(indicator.Name.Hi),
                    a?.Level,
                    a?.TargetLevel,
                    a?.TargetDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    SpreadsheetText.Neutralise(a?.EvidenceNote),
                    SpreadsheetText.Neutralise(a?.EvidenceUrl),
                    SpreadsheetText.Neutralise(a?.AssessedBy),
                    a is null ? null : local(a.AssessedAt).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
                    agency.Id.ToString(),
                    agency.Version,
                ]);
            }
        }

        return rows;
    }

    /// <summary>
    /// Reads a sheet's header and rows, finding every problem at once: missing, unknown or repeated columns (then no row
    /// is read), and per row an unknown or repeated indicator, a level or target that is not 1–5, a date that is not
    /// yyyy-MM-dd, an agency or version that differs from the first row's. Empty rows are skipped.
    /// </summary>
    public static ScorecardFile Parse(string sheet, IReadOnlyList<string?> header, IEnumerable<RawRow> rows, ReadinessFramework framework)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(framework);
        var problems = new List<SheetProblem>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i]?.Trim().Trim('\uFEFF').Trim().ToLowerInvariant() ?? "";
            if (name.Length == 0)
            {
                continue;
            }

            if (!Columns.Contains(name))
            {
                problems.Add(new SheetProblem(sheet, 1, SpreadsheetText.ColumnLetter(i), "Column.Unknown", header[i]));
            }
            else if (!positions.TryAdd(name, i))
            {
                problems.Add(new SheetProblem(sheet, 1, SpreadsheetText.ColumnLetter(i), "Column.Repeated", name));
            }
        }

        foreach (var missing in Read.Where(c => !positions.ContainsKey(c)))
        {
            problems.Add(new SheetProblem(sheet, 1, null, "Column.Missing", missing));
        }

        if (problems.Count > 0)
        {
            return new ScorecardFile(null, null, [], problems);
        }

        Guid? agencyId = null;
        long? version = null;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var read = new List<ScorecardFileRow>();
        foreach (var row in rows)
        {
            string Cell(string column) => positions[column] < row.Cells.Count ? row.Cells[positions[column]]?.Trim() ?? "" : "";
            SheetProblem Problem(string column, string code) =>
                new(sheet, row.Number, SpreadsheetText.ColumnLetter(positions[column]), code, Cell(column));

            if (Read.All(c => Cell(c).Length == 0))
            {
                continue;
            }

            var before = problems.Count;
            if (!Guid.TryParse(Cell(AgencyId), out var rowAgency))
            {
                problems.Add(Problem(AgencyId, "Sheet.AgencyInvalid"));
            }
            else if (agencyId is null)
            {
                agencyId = rowAgency;
            }
            else if (agencyId != rowAgency)
            {
                problems.Add(Problem(AgencyId, "Sheet.AgencyMixed"));
            }

            if (!long.TryParse(Cell(Version), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rowVersion) || rowVersion < 1)
            {
                problems.Add(Problem(Version, "Sheet.VersionInvalid"));
            }
            else if (version is null)
            {
                version = rowVersion;
            }
            else if (version != rowVersion)
            {
                problems.Add(Problem(Version, "Sheet.VersionMixed"));
            }

            var indicatorId = Cell(IndicatorCode);
            if (!framework.TryFind(indicatorId, out _, out _))
            {
                problems.Add(Problem(IndicatorCode, "Sheet.IndicatorUnknown"));
            }
            else if (seen.TryGetValue(indicatorId, out var first))
            {
                problems.Add(Problem(IndicatorCode, "Sheet.IndicatorRepeated") with { Value = first.ToString(CultureInfo.InvariantCulture) });
            }
            else
            {
                seen[indicatorId] = row.Number;
            }

            var level = Number(Cell(Level), Problem(Level, "Sheet.LevelInvalid"), problems);
            var target = Number(Cell(TargetLevel), Problem(TargetLevel, "Sheet.TargetLevelInvalid"), problems);
            DateOnly? date = null;
            if (Cell(TargetDate).Length > 0)
            {
                if (DateOnly.TryParseExact(Cell(TargetDate), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    date = parsed;
                }
                else
                {
                    problems.Add(Problem(TargetDate, "Sheet.TargetDateInvalid"));
                }
            }

            if (problems.Count == before)
            {
                var url = SpreadsheetText.Restore(Cell(EvidenceLink));
                read.Add(new ScorecardFileRow(row.Number, indicatorId, new IndicatorValues(
                    level, target, date, SpreadsheetText.Restore(Cell(EvidenceNote)), url.Length == 0 ? null : url)));
            }
        }

        if (agencyId is null && problems.Count == 0)
        {
            problems.Add(new SheetProblem(sheet, null, null, "Sheet.Empty"));
        }

        return new ScorecardFile(agencyId, version, read, problems)
        {
            Letters = positions.ToDictionary(p => p.Key, p => SpreadsheetText.ColumnLetter(p.Value), StringComparer.Ordinal),
        };
    }

    private static int? Number(string text, SheetProblem problem, List<SheetProblem> problems)
    {
        if (text.Length == 0)
        {
            return null;
        }

        // A spreadsheet hands numbers back as decimals ("3" or "3.0"); anything else, or a fraction, is refused.
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            && value == decimal.Truncate(value) && value is >= ReadinessFramework.MinLevel and <= ReadinessFramework.MaxLevel)
        {
            return (int)value;
        }

        problems.Add(problem);
        return null;
    }
}
