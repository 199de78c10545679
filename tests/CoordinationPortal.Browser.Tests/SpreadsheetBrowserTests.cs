using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Seeding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace CoordinationPortal.Browser.Tests;

/// <summary>A lead downloads their scorecard from the agency page, edits it, uploads it, previews the change and applies it, in Chromium.</summary>
[Collection(BrowserTests.Name)]
public sealed class SpreadsheetBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");

    [Fact]
    public async Task a_lead_exports_the_scorecard_edits_it_previews_the_import_and_applies_it()
    {
        var agency = Guid.NewGuid();
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
            var now = DateTimeOffset.UtcNow;
            Assert.IsType<CommandOutcome.Accepted>(await handler.HandleAsSystemAsync(
                new RegisterAgency(agency, "Sheets browser agency " + agency.ToString("N")[..6], AgencyKind.Regulator, "health", "national", "admin@portal.local", now), CancellationToken.None));
            Assert.IsType<CommandOutcome.Accepted>(await handler.HandleAsSystemAsync(new AssignLead(agency, Lead.Email, "admin@portal.local", now), CancellationToken.None));
        }

        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.GotoAsync($"{fixture.BaseUrl}/agencies/{agency}");
        var exportLink = page.GetByTestId("scorecard-export").GetByRole(AriaRole.Link, new() { Name = "Excel (XLSX)" });
        await Assertions.Expect(exportLink).ToBeVisibleAsync();
        IDownload download;
        try
        {
            // The first workbook a process writes loads MiniExcel and the Open XML SDK: slow on a loaded machine.
            download = await page.RunAndWaitForDownloadAsync(() => exportLink.ClickAsync(), new() { Timeout = 90_000 });
        }
        catch (TimeoutException e)
        {
            var text = await page.Locator("body").InnerTextAsync();
            throw new TimeoutException($"No download; the browser is at {page.Url}: {text[..Math.Min(text.Length, 600)]}", e);
        }

        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var exported = await File.ReadAllBytesAsync((await download.PathAsync())!);

        List<Dictionary<string, object?>> rows;
        using (var stream = new MemoryStream(exported))
        {
            rows = [.. stream.Query(useHeaderRow: true, sheetName: "Scorecard").Cast<IDictionary<string, object?>>().Select(r => new Dictionary<string, object?>(r))];
        }

        var row = rows.Single(r => Equals(r["indicator_code"], "skills.defined-roles"));
        (row["level"], row["evidence_note"]) = (2d, "Roles written down in the spreadsheet");
        using var edited = new MemoryStream();
        edited.SaveAs(new Dictionary<string, object> { ["Scorecard"] = rows }, excelType: ExcelType.XLSX);

        await page.GetByTestId("scorecard-import-link").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import a scorecard spreadsheet", Level = 1 })).ToBeVisibleAsync();
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "scorecard.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = edited.ToArray(),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-change")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("import-change")).ToContainTextAsync("Roles written down in the spreadsheet");

        await page.GetByRole(AriaRole.Button, new() { Name = "Apply these changes" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-message")).ToContainTextAsync("Applied. Assessments recorded: 1.");
        await page.GotoAsync($"{fixture.BaseUrl}/agencies/{agency}");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Roles written down in the spreadsheet");

        await page.GotoAsync($"{fixture.BaseUrl}/agencies/{agency}/import?culture=hi-IN");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "स्कोरकार्ड स्प्रेडशीट आयात करें", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "पूर्वावलोकन" })).ToBeVisibleAsync();
    }
}
