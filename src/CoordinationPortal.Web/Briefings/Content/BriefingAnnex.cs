using System.Globalization;
using System.Text;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Domain.Spreadsheets;

namespace CoordinationPortal.Web.Briefings.Content;

/// <summary>
/// The briefing's long table as CSV: every agency of the scope (not only the heatmap's rows) with its sector,
/// jurisdiction, five layer scores, three indices and open flags. UTF-8 with a byte-order mark so spreadsheets read the
/// Hindi right; every text field neutralised against formulas by the same rule as the spreadsheet exports (<see cref="SpreadsheetText.CsvField"/>). Made from the same model as the PDF.
/// </summary>
public static class BriefingAnnex
{
    public static byte[] Csv(BriefingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var csv = new StringBuilder();
        Line(csv, model.AnnexHeader.Select(SpreadsheetText.CsvField));
        foreach (var agency in model.Agencies)
        {
            Line(csv,
            [
                SpreadsheetText.CsvField(agency.Name), SpreadsheetText.CsvField(agency.SectorName), SpreadsheetText.CsvField(agency.JurisdictionName),
                .. Layers.All.Select(l => Number(agency.Scores[l])),
                Number(agency.Index?.Mean), Number(agency.Index?.Geometric), Number(agency.Index?.Balanced),
                agency.OpenFlags.ToString(CultureInfo.InvariantCulture),
            ]);
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    /// <summary>A score with one decimal, invariant (a spreadsheet's number), or empty when there is none.</summary>
    private static string Number(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "";

    private static void Line(StringBuilder csv, IEnumerable<string> fields) => csv.Append(string.Join(",", fields)).Append("\r\n");
}
