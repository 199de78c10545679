using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Integration.Tests.Identity;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.OutOfStep;
using CoordinationPortal.Web.Agencies;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace CoordinationPortal.Integration.Tests.Spreadsheets;

/// <summary>Workbooks as a person would edit them (and as an attacker would craft them), and the calls the tests make.</summary>
internal static class SheetFiles
{
    public const string Password = "harbour lantern pepper quill";

    public static readonly Dictionary<string, int> Levels = new() { ["compute.capacity"] = 3, ["data.quality-management"] = 2 };

    /// <summary>A fresh agency and a lead of it, signed in.</summary>
    public static async Task<(Guid Agency, string Lead, HttpClient Client)> LedAgencyAsync(PortalFixture portal, string name)
    {
        var agency = await RollupTestData.AgencyAsync(portal, name, "health", "national", Levels);
        var lead = await Accounts.CreateAsync(portal.Factory.Services, "AgencyLead", Password, "sheets-lead");
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>()
                .HandleAsSystemAsync(new AssignLead(agency, lead, "admin@portal.local", DateTimeOffset.UtcNow), CancellationToken.None);
            Assert.IsType<CommandOutcome.Accepted>(outcome);
        }

        return (agency, lead, await portal.SignedInClientAsync(lead, Password));
    }

    public static async Task<Agency> AgencyAsync(PortalFixture portal, Guid id)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Agency>(id))!;
    }

    public static async Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] file, string fileName, bool dryRun)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/octet-stream");
        form.Add(content, "file", fileName);
        form.Add(new StringContent(dryRun ? "true" : "false"), "dryRun");
        return await client.PostAsync("/api/v1/imports", form);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The import's answer, whether it came as the body (200, 202) or inside a ProblemDetails (400, 409).</summary>
    public static async Task<JsonElement> ImportOf(HttpResponseMessage response)
    {
        var json = await JsonAsync(response);
        return json.TryGetProperty("import", out var inner) ? inner : json;
    }

    /// <summary>The Scorecard sheet as rows of header → value, the way MiniExcel reads it.</summary>
    public static List<Dictionary<string, object?>> Rows(byte[] xlsx, string sheet = "Scorecard")
    {
        using var stream = new MemoryStream(xlsx);
        return [.. stream.Query(useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().Select(r => new Dictionary<string, object?>(r))];
    }

    /// <summary>The workbook re-saved after <paramref name="edit"/> changed its rows, as a spreadsheet program would.</summary>
    public static byte[] Edit(byte[] xlsx, Action<List<Dictionary<string, object?>>> edit, string sheet = "Scorecard")
    {
        var rows = Rows(xlsx);
        edit(rows);
        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object> { [sheet] = rows }, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    public static Dictionary<string, object?> Row(List<Dictionary<string, object?>> rows, string indicator) =>
        rows.Single(r => Equals(r["indicator_code"], indicator));

    /// <summary>The export with the Open XML SDK's hands on its first sheet (a formula, merged cells).</summary>
    public static byte[] Tamper(byte[] xlsx, Action<Worksheet> change)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        stream.Position = 0;
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var workbook = document.WorkbookPart!;
            var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First();
            var worksheet = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet;
            change(worksheet);
            worksheet.Save();
        }

        return stream.ToArray();
    }

    /// <summary>A zip whose one entry unpacks to <paramref name="megabytes"/> MB of zeros (a zip bomb, small on the wire).</summary>
    public static byte[] ZipBomb(int megabytes)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < megabytes; i++)
            {
                entry.Write(zeros);
            }
        }

        return stream.ToArray();
    }
}
