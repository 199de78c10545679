using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using CoordinationPortal.Domain.Spreadsheets;
using MiniExcelLibs;

namespace CoordinationPortal.Web.Spreadsheets;

/// <summary>A sheet read as text: its header, its rows, or why it could not be read.</summary>
public sealed record SheetContent(IReadOnlyList<string?> Header, IReadOnlyList<RawRow> Rows, IReadOnlyList<SheetProblem> Problems);

/// <summary>
/// Reads the data sheet of an uploaded file, distrusting it: an XLSX is checked as a zip first (entries, unpacked size,
/// counted while unpacking, since a zip's own figures can lie), then its sheet is scanned for formulas and merged
/// cells — a formula is an error and never evaluated, nor is its cached value taken — and only then read by MiniExcel,
/// as text, up to <see cref="SpreadsheetLimits.MaxRows"/>. A CSV is read as UTF-8. Whatever is wrong comes back as a
/// problem; nothing here throws on bad input.
/// </summary>
public static class WorkbookReader
{
    private const string MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static bool IsZip(byte[] content) =>
        content is not null && content.Length >= 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;

    public static SheetContent Read(byte[] content, string fileName, string sheet, SpreadsheetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(limits);
        if (content.Length == 0)
        {
            return Problem(sheet, "File.Empty");
        }

        if (content.Length > limits.MaxUploadBytes)
        {
            return Problem(sheet, "File.TooLarge", (limits.MaxUploadBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture));
        }

        if (IsZip(content))
        {
            return ReadXlsx(content, sheet, limits);
        }

        return fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && LooksLikeText(content)
            ? ReadCsv(content, sheet, limits)
            : Problem(sheet, "File.NotWorkbook");
    }

    private static SheetContent ReadXlsx(byte[] content, string sheet, SpreadsheetLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > limits.MaxEntries)
            {
                return Problem(sheet, "File.TooManyEntries", limits.MaxEntries.ToString(CultureInfo.InvariantCulture));
            }

            if (!UnpacksWithin(zip, limits.MaxUnpackedBytes))
            {
                return Problem(sheet, "File.TooLargeUnpacked", (limits.MaxUnpackedBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture));
            }

            var sheets = SheetPaths(zip);
            if (sheets is null)
            {
                return Problem(sheet, "File.NotWorkbook");
            }

            if (!sheets.TryGetValue(sheet, out var path) || zip.GetEntry(path) is not { } entry)
            {
                return Problem(sheet, "Sheet.Missing", string.Join(", ", sheets.Keys));
            }

            var cellProblems = FormulasAndMerges(entry, sheet);
            if (cellProblems.Count > 0)
            {
                return new SheetContent([], [], cellProblems);
            }
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException or NotSupportedException)
        {
            return Problem(sheet, "File.NotWorkbook");
        }

        return ReadRows(content, sheet, ExcelType.XLSX, limits);
    }

    private static SheetContent ReadCsv(byte[] content, string sheet, SpreadsheetLimits limits) =>
        ReadRows(content, sheet, ExcelType.CSV, limits);

    private static SheetContent ReadRows(byte[] content, string sheet, ExcelType type, SpreadsheetLimits limits)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            IReadOnlyList<string?> header = [];
            var rows = new List<RawRow>();
            var number = 0;
            var query = type == ExcelType.CSV
                ? stream.Query(useHeaderRow: false, excelType: ExcelType.CSV)
                : stream.Query(useHeaderRow: false, sheetName: sheet, excelType: ExcelType.XLSX);
            foreach (IDictionary<string, object?> row in query)
            {
                number++;
                if (number > limits.MaxRows)
                {
                    return Problem(sheet, "Sheet.TooManyRows", (limits.MaxRows - 1).ToString(CultureInfo.InvariantCulture));
                }

                var cells = row.Values.Select(CellText).ToList();
                if (number == 1)
                {
                    header = cells;
                }
                else
                {
                    rows.Add(new RawRow(number, cells));
                }
            }

            return new SheetContent(header, rows, number == 0 ? [new SheetProblem(sheet, null, null, "Sheet.Empty")] : []);
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException or FormatException or InvalidOperationException
            or InvalidCastException or ArgumentException or IndexOutOfRangeException or NotSupportedException or OverflowException)
        {
            return Problem(sheet, "File.Unreadable");
        }
    }

    /// <summary>A cell as the import reads it: text as is, whole numbers without decimals, dates as yyyy-MM-dd.</summary>
    public static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t when t.TimeOfDay == TimeSpan.Zero => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static bool UnpacksWithin(ZipArchive zip, long limit)
    {
        if (zip.Entries.Sum(e => e.Length) > limit)
        {
            return false;
        }

        var buffer = new byte[81920];
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Sheet name → the path of its part in the zip, from the workbook and its relationships; null if they are missing.</summary>
    private static Dictionary<string, string>? SheetPaths(ZipArchive zip)
    {
        var workbook = zip.GetEntry("xl/workbook.xml");
        var rels = zip.GetEntry("xl/_rels/workbook.xml.rels");
        if (workbook is null || rels is null)
        {
            return null;
        }

        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = XmlReader.Create(rels.Open(), Settings))
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship"
                    && reader.GetAttribute("Id") is { } id && reader.GetAttribute("Target") is { } target)
                {
                    targets[id] = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
                }
            }
        }

        var sheets = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = XmlReader.Create(workbook.Open(), Settings))
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet" && reader.NamespaceURI == MainNamespace
                    && reader.GetAttribute("name") is { } name && reader.GetAttribute("id", RelationshipNamespace) is { } id
                    && targets.TryGetValue(id, out var path))
                {
                    sheets[name] = path;
                }
            }
        }

        return sheets;
    }

    /// <summary>Every formula and every merged range of the sheet, each with the cell it starts at.</summary>
    private static List<SheetProblem> FormulasAndMerges(ZipArchiveEntry entry, string sheet)
    {
        var problems = new List<SheetProblem>();
        string? cell = null;
        using var reader = XmlReader.Create(entry.Open(), Settings);
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != MainNamespace)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "c":
                    cell = reader.GetAttribute("r");
                    break;
                case "f":
                    problems.Add(At(sheet, cell, "Cell.Formula", cell));
                    break;
                case "mergeCell" when reader.GetAttribute("ref") is { } range:
                    problems.Add(At(sheet, range.Split(':')[0], "Cell.Merged", range));
                    break;
            }
        }

        return problems;
    }

    private static SheetProblem At(string sheet, string? reference, string code, string? value)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return new SheetProblem(sheet, null, null, code, value);
        }

        var letters = new string([.. reference.TakeWhile(char.IsAsciiLetter)]).ToUpperInvariant();
        int? row = int.TryParse(reference[letters.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : null;
        return new SheetProblem(sheet, row, letters.Length == 0 ? null : letters, code, value);
    }

    private static bool LooksLikeText(byte[] content)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
            return !content.Contains((byte)0);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        MaxCharactersFromEntities = 0,
    };

    private static SheetContent Problem(string sheet, string code, string? value = null) =>
        new([], [], [new SheetProblem(sheet, null, null, code, value)]);
}
