using System.Globalization;
using System.Text;
using CoordinationPortal.Domain.Spreadsheets;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MiniExcelLibs;

namespace CoordinationPortal.Web.Spreadsheets;

/// <summary>
/// A table to export: a sheet's name, its column headers and its rows (text, numbers or null). Every text is
/// neutralised on the way out. <see cref="LevelColumns"/> get a drop-down of the levels 1–5 in a workbook.
/// </summary>
public sealed record SheetTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    public IReadOnlyList<int> LevelColumns { get; init; } = [];
}

/// <summary>An exported file: its bytes, content type and download name.</summary>
public sealed record ExportFile(byte[] Content, string ContentType, string FileName)
{
    public IResult ToResult() => Results.File(Content, ContentType, FileName);
}

/// <summary>Writes tables as an XLSX workbook (MiniExcel, then the Open XML SDK for the drop-downs) or as CSV (UTF-8 with a BOM).</summary>
public static class Workbooks
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvType = "text/csv; charset=utf-8";

    /// <summary>The first table is the data; the others (e.g. "About") follow it as sheets of their own.</summary>
    public static byte[] Xlsx(params SheetTable[] tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            sheets[table.Name] = table.Rows.Select(row => Row(table.Columns, row)).ToList();
        }

        using var stream = new MemoryStream();
        stream.SaveAs(sheets, printHeader: true, excelType: ExcelType.XLSX);
        AddLevelDropDowns(stream, tables);
        return stream.ToArray();
    }

    /// <summary>One table as CSV: a byte-order mark so Excel reads Hindi as UTF-8, a header, CRLF line ends.</summary>
    public static byte[] Csv(SheetTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        text.Append(SpreadsheetText.CsvLine(table.Columns)).Append("\r\n");
        foreach (var row in table.Rows)
        {
            text.Append(SpreadsheetText.CsvLine(row.Select(Text))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static Dictionary<string, object?> Row(IReadOnlyList<string> columns, IReadOnlyList<object?> row)
    {
        var cells = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            var value = i < row.Count ? row[i] : null;
            cells[columns[i]] = value is string s ? SpreadsheetText.Neutralise(s) : value;
        }

        return cells;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>A list validation (1–5) on the level columns of the first sheet, for its data rows.</summary>
    private static void AddLevelDropDowns(MemoryStream stream, SheetTable[] tables)
    {
        if (tables.Length == 0 || tables[0].LevelColumns.Count == 0)
        {
            return;
        }

        var table = tables[0];
        stream.Position = 0;
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var workbook = document.WorkbookPart!;
            var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First(s => s.Name == table.Name);
            var worksheet = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet;
            var lastRow = Math.Max(2, table.Rows.Count + 1);
            var validations = new DataValidations();
            foreach (var column in table.LevelColumns)
            {
                var letter = SpreadsheetText.ColumnLetter(column);
                validations.Append(new DataValidation(new Formula1("\"1,2,3,4,5\""))
                {
                    Type = DataValidationValues.List,
                    AllowBlank = true,
                    ShowErrorMessage = true,
                    ErrorTitle = "1–5",
                    Error = "1, 2, 3, 4, 5",
                    SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{letter}2:{letter}{lastRow}" },
                });
            }

            validations.Count = (uint)table.LevelColumns.Count;
            // The schema fixes the order of a worksheet's children: data validations come before a drawing, if any.
            if (worksheet.Elements<Drawing>().FirstOrDefault() is { } drawing)
            {
                worksheet.InsertBefore(validations, drawing);
            }
            else
            {
                worksheet.Append(validations);
            }

            worksheet.Save();
        }
    }
}
