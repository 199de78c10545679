using System.Net;
using System.Text;
using CoordinationPortal.Integration.Tests.Identity;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Domain.WorkingGroups;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.Spreadsheets.SheetFiles;

namespace CoordinationPortal.Integration.Tests.Spreadsheets;

/// <summary>Exports on the real portal: what the files hold, and that each is read under the same rule as its page.</summary>
[Collection(PortalTests.Name)]
public sealed class SpreadsheetExportTests(PortalFixture portal)
{
    [Fact]
    public async Task the_scorecard_exports_with_hindi_names_its_version_level_drop_downs_and_no_runnable_cell()
    {
        var (agency, lead, client) = await LedAgencyAsync(portal, "Sheets export agency");
        using (client)
        {
            using var assess = await client.PostAsync($"/api/v1/agencies/{agency}/assessments", System.Net.Http.Json.JsonContent.Create(new
            {
                indicatorId = "compute.cost-energy", level = 2, evidenceNote = "=HYPERLINK(\"http://evil.example\",\"x\")",
                expectedVersion = (await AgencyAsync(portal, agency)).Version,
            }));
            Assert.Equal(HttpStatusCode.Created, assess.StatusCode);
            var version = (await AgencyAsync(portal, agency)).Version;

            using var xlsx = await client.GetAsync($"/api/v1/agencies/{agency}/scorecard.xlsx");
            Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
            Assert.Contains($"-v{version}.xlsx", xlsx.Content.Headers.ContentDisposition!.FileNameStar ?? xlsx.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
            var workbook = await xlsx.Content.ReadAsByteArrayAsync();

            using (var stream = new MemoryStream(workbook))
            {
                Assert.Equal(["Scorecard", "About"], MiniExcelLibs.MiniExcel.GetSheetNames(stream));
            }

            var rows = Rows(workbook);
            Assert.Equal(23, rows.Count);
            var cost = Row(rows, "compute.cost-energy");
            Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"x\")", cost["evidence_note"]);
            Assert.Equal(2d, cost["level"]);
            Assert.Equal(lead, cost["assessed_by"]);
            Assert.Matches("[\u0900-\u097F]", (string)cost["indicator_hi"]!);
            Assert.All(rows, r => Assert.Equal(agency.ToString(), r["agency_id"]));
            Assert.All(rows, r => Assert.Equal((double)version, r["scorecard_version"]));
            Assert.Null(Row(rows, "skills.talent-pipeline")["level"]);

            // The level columns carry a 1–5 list; the sheet holds no formula.
            using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(workbook));
            var sheetXml = new StreamReader(zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).Open()).ReadToEnd();
            Assert.Contains("<x:dataValidation", sheetXml.Replace("<dataValidation", "<x:dataValidation", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("\"1,2,3,4,5\"", sheetXml, StringComparison.Ordinal);
            Assert.DoesNotContain("<x:f>", sheetXml, StringComparison.Ordinal);

            using var csv = await client.GetAsync($"/api/v1/agencies/{agency}/scorecard.csv");
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
            var bytes = await csv.Content.ReadAsByteArrayAsync();
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
            var text = Encoding.UTF8.GetString(bytes[3..]);
            Assert.StartsWith("indicator_code,layer,indicator_en,indicator_hi,level,", text, StringComparison.Ordinal);
            Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"", text, StringComparison.Ordinal);
            Assert.Matches("[\u0900-\u097F]", text);
            Assert.Contains($",{agency},{version}\r\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task the_portfolio_flags_and_action_items_export_with_the_pages_filters_and_read_rules()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var anonymous = portal.AnonymousClient();

        using var portfolio = await viewer.GetAsync("/api/v1/portfolio.csv?sector=health");
        Assert.Equal(HttpStatusCode.OK, portfolio.StatusCode);
        var portfolioText = Encoding.UTF8.GetString((await portfolio.Content.ReadAsByteArrayAsync())[3..]);
        Assert.Contains("Ministry of Health and Family Welfare", portfolioText, StringComparison.Ordinal);
        Assert.DoesNotContain("Reserve Bank of India", portfolioText, StringComparison.Ordinal);
        Assert.Equal(["Portfolio"], MiniExcelLibs.MiniExcel.GetSheetNames(new MemoryStream(await viewer.GetByteArrayAsync("/api/v1/portfolio.xlsx"))));

        using var flags = await viewer.GetAsync("/api/v1/flags.csv?status=all");
        Assert.Equal(HttpStatusCode.OK, flags.StatusCode);
        Assert.StartsWith("flag_id,agency,agency_hi,", Encoding.UTF8.GetString((await flags.Content.ReadAsByteArrayAsync())[3..]), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync("/api/v1/flags.xlsx?severity=apocalyptic")).StatusCode);

        Guid group;
        await using (var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            group = (await session.Query<ActionItem>().FirstAsync()).GroupId;
        }

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var items = await admin.GetAsync($"/api/v1/working-groups/{group}/action-items.csv");
        Assert.Equal(HttpStatusCode.OK, items.StatusCode);
        Assert.StartsWith("action_item_id,title,agency,", Encoding.UTF8.GetString((await items.Content.ReadAsByteArrayAsync())[3..]), StringComparison.Ordinal);

        // Someone outside the group reads its action items neither on its page nor in a file.
        var outsider = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password, "sheets-outsider");
        using var stranger = await portal.SignedInClientAsync(outsider, Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/v1/working-groups/{group}/action-items.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/portfolio.xlsx")).StatusCode);
    }
}
