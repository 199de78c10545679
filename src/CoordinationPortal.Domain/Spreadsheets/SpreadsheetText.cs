namespace CoordinationPortal.Domain.Spreadsheets;

/// <summary>
/// Text on its way into or out of a spreadsheet. A spreadsheet runs a cell that begins with <c>= + - @</c> (and some skip a
/// leading tab or carriage return before one), so every exported text that begins so gets a <c>'</c> in front; an
/// import takes that <c>'</c> off again, so a value exported and imported unchanged stays the same.
/// </summary>
public static class SpreadsheetText
{
    public const char Guard = '\'';

    public static bool IsDangerousStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>The text as a cell shows it without ever running it.</summary>
    public static string Neutralise(string? text) =>
        string.IsNullOrEmpty(text) ? "" : IsDangerousStart(text[0]) ? Guard + text : text;

    /// <summary>What <see cref="Neutralise"/> was given: a guard in front of a dangerous start comes off, nothing else.</summary>
    public static string Restore(string? cell) =>
        string.IsNullOrEmpty(cell) ? "" : cell.Length > 1 && cell[0] == Guard && IsDangerousStart(cell[1]) ? cell[1..] : cell;

    /// <summary>A CSV field: neutralised, and quoted when it holds a comma, a quote or a line break.</summary>
    public static string CsvField(string? text)
    {
        var value = Neutralise(text);
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One CSV line (no line end) of <paramref name="fields"/>.</summary>
    public static string CsvLine(IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return string.Join(',', fields.Select(CsvField));
    }

    /// <summary>Excel's column letters for a zero-based column index: 0 → A, 25 → Z, 26 → AA.</summary>
    public static string ColumnLetter(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }
}
