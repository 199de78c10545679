using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Integration.Tests.Identity;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using Hangfire;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Spreadsheets;
using DocumentFormat.OpenXml.Spreadsheet;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using static CoordinationPortal.Integration.Tests.Spreadsheets.SheetFiles;

namespace CoordinationPortal.Integration.Tests.Spreadsheets;

/// <summary>
/// Scorecard imports on the real portal and its PostgreSQL: the export is the template and comes back as a no-op; an
/// edited one is previewed, applied as ordinary assessments and not applied twice; conflicts, errors and hostile files
/// change nothing; and the import is held to tokens' scopes and leads' agencies.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class SpreadsheetImportTests(PortalFixture portal)
{
    [Fact]
    public async Task export_then_import_is_a_no_op_in_xlsx_and_csv()
    {
        var (agency, _, client) = await LedAgencyAsync(portal, "Sheets round trip agency");
        using (client)
        {
            var before = await AgencyAsync(portal, agency);
            foreach (var extension in new[] { "xlsx", "csv" })
            {
                var file = await client.GetByteArrayAsync($"/api/v1/agencies/{agency}/scorecard.{extension}");

                using var applied = await ImportAsync(client, file, "scorecard." + extension, dryRun: false);
                var body = await ImportOf(applied);
                Assert.True(applied.StatusCode == HttpStatusCode.OK, body.ToString());
                Assert.Equal(0, body.GetProperty("changes").GetArrayLength());
                Assert.Equal(0, body.GetProperty("conflicts").GetArrayLength());
                Assert.Equal(0, body.GetProperty("errors").GetArrayLength());
                Assert.Equal(23, body.GetProperty("unchanged").GetInt32());
            }

            Assert.Equal(before.Version, (await AgencyAsync(portal, agency)).Version);
        }
    }

    [Fact]
    public async Task an_edited_export_is_previewed_applied_as_the_leads_assessments_and_a_second_apply_changes_nothing()
    {
        var (agency, lead, client) = await LedAgencyAsync(portal, "Sheets edit agency");
        using (client)
        {
            var exported = await client.GetByteArrayAsync($"/api/v1/agencies/{agency}/scorecard.xlsx");
            var edited = Edit(exported, rows =>
            {
                Row(rows, "compute.capacity")["level"] = 2d;
                Row(rows, "compute.capacity")["evidence_note"] = "Capacity shrank after the migration; तथ्य दर्ज।";
                var costs = Row(rows, "compute.cost-energy");
                (costs["level"], costs["evidence_note"], costs["target_level"], costs["target_date"]) = (1d, "-first look at energy bills", 3d, "2099-03-31");
            });
            var version = (await AgencyAsync(portal, agency)).Version;

            using var preview = await ImportAsync(client, edited, "scorecard.xlsx", dryRun: true);
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            var plan = await ImportOf(preview);
            Assert.Equal("dry-run", plan.GetProperty("status").GetString());
            var changes = plan.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("indicatorId").GetString()!);
            Assert.Equal(2, changes.Count);
            Assert.Equal((3, 2), (changes["compute.capacity"].GetProperty("old").GetProperty("level").GetInt32(), changes["compute.capacity"].GetProperty("new").GetProperty("level").GetInt32()));
            Assert.Equal("-first look at energy bills", changes["compute.cost-energy"].GetProperty("new").GetProperty("evidenceNote").GetString());
            Assert.Equal(JsonValueKind.Null, changes["compute.cost-energy"].GetProperty("old").GetProperty("level").ValueKind);
            Assert.Equal(version, (await AgencyAsync(portal, agency)).Version);

            using var apply = await ImportAsync(client, edited, "scorecard.xlsx", dryRun: false);
            var applied = await ImportOf(apply);
            Assert.True(apply.StatusCode == HttpStatusCode.OK, applied.ToString());
            Assert.Equal("applied", applied.GetProperty("status").GetString());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(edited)), applied.GetProperty("sha256").GetString());

            var after = await AgencyAsync(portal, agency);
            Assert.Equal(version + 2, after.Version);
            Assert.Equal(2, after.Indicators["compute.capacity"].Level);
            Assert.Equal(lead, after.Indicators["compute.capacity"].AssessedBy);
            Assert.Equal((3, new DateOnly(2099, 3, 31)), (after.Indicators["compute.cost-energy"].TargetLevel!.Value, after.Indicators["compute.cost-energy"].TargetDate!.Value));
            await using (var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession())
            {
                var events = await session.Events.FetchStreamAsync(agency);
                Assert.All(events.Skip((int)version).Select(e => e.Data), e => Assert.Equal(lead, Assert.IsType<IndicatorAssessed>(e).By));
                var record = await session.LoadAsync<SpreadsheetImport>(applied.GetProperty("id").GetGuid());
                Assert.Equal((ImportStatus.Applied, applied.GetProperty("sha256").GetString(), version + 2), (record!.Status, record.Sha256, record.VersionAfter!.Value));
            }

            // The same file again: recognised by its hash, and nothing is appended.
            using var again = await ImportAsync(client, edited, "scorecard.xlsx", dryRun: false);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(after.Version, (await AgencyAsync(portal, agency)).Version);
        }
    }

    [Fact]
    public async Task a_row_changed_in_the_portal_since_the_export_and_in_the_file_is_a_conflict_and_nothing_is_applied()
    {
        var (agency, _, client) = await LedAgencyAsync(portal, "Sheets conflict agency");
        using (client)
        {
            var exported = await client.GetByteArrayAsync($"/api/v1/agencies/{agency}/scorecard.xlsx");
            using var meanwhile = await client.PostAsJsonAsync($"/api/v1/agencies/{agency}/assessments", new
            {
                indicatorId = "data.quality-management", level = 1, evidenceNote = "Audit failed", expectedVersion = (await AgencyAsync(portal, agency)).Version,
            });
            Assert.Equal(HttpStatusCode.Created, meanwhile.StatusCode);
            var version = (await AgencyAsync(portal, agency)).Version;
            var edited = Edit(exported, rows =>
            {
                Row(rows, "data.quality-management")["level"] = 1d;
                Row(rows, "data.quality-management")["evidence_note"] = "Spreadsheet says otherwise";
                Row(rows, "compute.shared-access")["level"] = 2d;
                Row(rows, "compute.shared-access")["evidence_note"] = "Shared cluster";
            });

            using var preview = await ImportAsync(client, edited, "scorecard.xlsx", dryRun: true);
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            var plan = await ImportOf(preview);
            var conflict = Assert.Single(plan.GetProperty("conflicts").EnumerateArray());
            Assert.Equal("data.quality-management", conflict.GetProperty("indicatorId").GetString());
            Assert.Equal(2, conflict.GetProperty("base").GetProperty("level").GetInt32());
            Assert.Equal("Audit failed", conflict.GetProperty("current").GetProperty("evidenceNote").GetString());
            Assert.Equal("compute.shared-access", Assert.Single(plan.GetProperty("changes").EnumerateArray()).GetProperty("indicatorId").GetString());

            using var apply = await ImportAsync(client, edited, "scorecard.xlsx", dryRun: false);
            Assert.Equal(HttpStatusCode.Conflict, apply.StatusCode);
            Assert.Equal(version, (await AgencyAsync(portal, agency)).Version);
        }
    }

    [Fact]
    public async Task an_import_is_written_in_one_transaction_all_of_its_assessments_or_none()
    {
        var (agency, lead, client) = await LedAgencyAsync(portal, "Sheets transaction agency");
        client.Dispose();
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, lead), new(System.Security.Claims.ClaimTypes.Role, "AgencyLead")], "test",
            System.Security.Claims.ClaimTypes.Name, System.Security.Claims.ClaimTypes.Role));
        AssessIndicator Assess(string indicator, int level) => new(agency, indicator, level, "From the sheet", null, null, null, "", default);
        var store = portal.Factory.Services.GetRequiredService<IDocumentStore>();
        async Task<long> StreamVersionAsync()
        {
            await using var session = store.QuerySession();
            return (await session.Events.FetchStreamStateAsync(agency))!.Version;
        }

        async Task<CommandOutcome> ApplyAsync(IReadOnlyList<AssessIndicator> batch, long expected)
        {
            await using var scope = portal.Factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>().HandleAllAsync(user, agency, batch, expected, CancellationToken.None);
        }

        var before = await StreamVersionAsync();
        var shown = (await AgencyAsync(portal, agency)).Version;

        // The third is refused: the first two are not kept either.
        var refused = await ApplyAsync([Assess("compute.shared-access", 2), Assess("data.quality-management", 1), Assess("compute.shared-access", 9)], shown);
        Assert.Equal("Level.OutOfRange", Assert.Single(Assert.IsType<CommandOutcome.Invalid>(refused).Errors).Code);
        Assert.Equal(before, await StreamVersionAsync());

        // Based on a version that is no longer current: nothing.
        Assert.IsType<CommandOutcome.Conflict>(await ApplyAsync([Assess("compute.shared-access", 2)], shown - 1));
        Assert.Equal(before, await StreamVersionAsync());

        // Someone else's agency: nothing.
        var other = await OutOfStep.RollupTestData.AgencyAsync(portal, "Sheets transaction other", "health", "national", Levels);
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            Assert.IsType<CommandOutcome.Forbidden>(await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>()
                .HandleAllAsync(user, other, [Assess("compute.shared-access", 2) with { AgencyId = other }], null, CancellationToken.None));
        }

        // All accepted: every assessment recorded, in the lead's name, in order.
        var accepted = Assert.IsType<CommandOutcome.Accepted>(await ApplyAsync([Assess("compute.shared-access", 2), Assess("data.quality-management", 1)], shown));
        Assert.Equal(2, accepted.Appended);
        Assert.Equal(before + 2, await StreamVersionAsync());
        var after = await AgencyAsync(portal, agency);
        Assert.Equal(2, after.Levels["compute.shared-access"]);
        Assert.Equal(1, after.Levels["data.quality-management"]);
        Assert.Equal(Agency.Normalize(lead), Agency.Normalize(after.Indicators["data.quality-management"].AssessedBy));
    }

    [Fact]
    public async Task an_upload_previewed_and_never_applied_is_deleted_by_the_hourly_job_once_it_expires()
    {
        var store = portal.Factory.Services.GetRequiredService<IDocumentStore>();
        var now = DateTimeOffset.UtcNow;
        SpreadsheetImport Upload(ImportStatus status, TimeSpan expiresIn) => new()
        {
            Id = Guid.NewGuid(), AgencyId = Guid.NewGuid(), Sha256 = "ab", FileName = "scorecard.xlsx", Content = [1, 2, 3],
            UploadedBy = "someone@portal.local", UploadedAt = now.AddDays(-2), ExpiresAt = now + expiresIn, Status = status,
        };
        var expired = Upload(ImportStatus.Previewed, TimeSpan.FromHours(-1));
        var waiting = Upload(ImportStatus.Previewed, TimeSpan.FromHours(1));
        var applied = Upload(ImportStatus.Applied, TimeSpan.FromHours(-1)) with { Content = [] };
        await using (var session = store.LightweightSession())
        {
            session.Store(expired, waiting, applied);
            await session.SaveChangesAsync();
        }

        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExpiredUploadsJob>().RunAsync(CancellationToken.None);
        }

        await using var check = store.QuerySession();
        Assert.Null(await check.LoadAsync<SpreadsheetImport>(expired.Id));
        Assert.Equal([1, 2, 3], (await check.LoadAsync<SpreadsheetImport>(waiting.Id))!.Content);
        Assert.NotNull(await check.LoadAsync<SpreadsheetImport>(applied.Id)); // the record of what was applied stays
    }

    [Fact]
    public async Task every_error_comes_back_at_once_by_sheet_row_and_column_and_nothing_changes()
    {
        var (agency, _, client) = await LedAgencyAsync(portal, "Sheets error agency");
        using (client)
        {
            var exported = await client.GetByteArrayAsync($"/api/v1/agencies/{agency}/scorecard.xlsx");
            var version = (await AgencyAsync(portal, agency)).Version;
            var edited = Edit(exported, rows =>
            {
                rows[1]["level"] = 9d;                                        // row 3
                rows[2]["target_date"] = "next spring";                       // row 4
                rows[3]["indicator_code"] = "compute.quantum";                // row 5
                Row(rows, "governance.risk-assessment")["level"] = 4d;        // evidence link needed from level 3
                Row(rows, "governance.risk-assessment")["evidence_note"] = "Risk register";
            });

            using var response = await ImportAsync(client, edited, "scorecard.xlsx", dryRun: true);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await JsonAsync(response);
            var errors = problem.GetProperty("errors");
            Assert.Equal("A level is a whole number from 1 to 5, not \"9\".", errors.GetProperty("Scorecard!E3")[0].GetString());
            Assert.True(errors.TryGetProperty("Scorecard!G4", out _));
            Assert.True(errors.TryGetProperty("Scorecard!A5", out _));
            var codes = problem.GetProperty("import").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()).ToList();
            Assert.Contains("Error.EvidenceUrl.Required", codes);
            Assert.Equal(version, (await AgencyAsync(portal, agency)).Version);
        }
    }

    [Fact]
    public async Task hostile_files_get_clear_errors_never_a_server_error_and_change_nothing()
    {
        var (agency, _, client) = await LedAgencyAsync(portal, "Sheets hostile agency");
        using (client)
        {
            var exported = await client.GetByteArrayAsync($"/api/v1/agencies/{agency}/scorecard.xlsx");
            var version = (await AgencyAsync(portal, agency)).Version;
            var first = Rows(exported)[0];
            var manyRows = Enumerable.Range(0, 50_000).Select(_ => new Dictionary<string, object?>
            {
                ["indicator_code"] = first["indicator_code"], ["level"] = 2d, ["agency_id"] = first["agency_id"], ["scorecard_version"] = first["scorecard_version"],
            }).ToList();
            using var many = new MemoryStream();
            many.SaveAs(new Dictionary<string, object> { ["Scorecard"] = manyRows }, excelType: ExcelType.XLSX);

            var cases = new (string Name, byte[] File, string FileName, string Code)[]
            {
                ("wrong sheet", Edit(exported, _ => { }, sheet: "Sheet1"), "scorecard.xlsx", "Sheet.Missing"),
                ("merged cells", Tamper(exported, w => w.InsertAfter(new MergeCells(new MergeCell { Reference = "H2:I2" }), w.GetFirstChild<AutoFilter>())), "scorecard.xlsx", "Cell.Merged"),
                ("formula", Tamper(exported, w =>
                {
                    var cell = w.Descendants<Cell>().First(c => c.CellReference == "E3");
                    cell.RemoveAllChildren();
                    cell.DataType = null;
                    cell.Append(new CellFormula("1+2"), new CellValue("3"));
                }), "scorecard.xlsx", "Cell.Formula"),
                ("50,000 rows", many.ToArray(), "scorecard.xlsx", "Sheet.TooManyRows"),
                ("zip bomb", ZipBomb(80), "scorecard.xlsx", "File.TooLargeUnpacked"),
                ("not a zip", RandomNumberGenerator.GetBytes(4096), "scorecard.xlsx", "File.NotWorkbook"),
                ("wrong columns", Encoding.UTF8.GetBytes("name,score\r\nHealth,3\r\n"), "scorecard.csv", "Column.Unknown"),
            };

            foreach (var (name, file, fileName, code) in cases)
            {
                using var response = await ImportAsync(client, file, fileName, dryRun: false);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
                var codes = JsonDocument.Parse(body).RootElement.GetProperty("import").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()).ToList();
                Assert.True(codes.Contains(code), $"{name}: {body}");
            }

            using var tooLarge = await ImportAsync(client, RandomNumberGenerator.GetBytes(6 * 1024 * 1024), "scorecard.xlsx", dryRun: false);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
            using var noFile = await client.PostAsync("/api/v1/imports", new MultipartFormDataContent { { new StringContent("true"), "dryRun" } });
            Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);

            Assert.Equal(version, (await AgencyAsync(portal, agency)).Version);
        }
    }

    [Fact]
    public async Task a_read_token_exports_but_importing_needs_imports_write_and_a_lead_imports_only_into_their_agencies()
    {
        var (agency, _, client) = await LedAgencyAsync(portal, "Sheets token agency");
        using (client)
        {
            var reader = await TokenAsync(client, ["read"]);
            var importer = await TokenAsync(client, ["read", "imports:write"]);
            using var readOnly = Bearer(reader);
            using var script = Bearer(importer);

            var exported = await readOnly.GetByteArrayAsync($"/api/v1/agencies/{agency}/scorecard.xlsx");
            using var refused = await ImportAsync(readOnly, exported, "scorecard.xlsx", dryRun: true);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("imports:write", (await JsonAsync(refused)).GetProperty("requiredScope").GetString());

            var edited = Edit(exported, rows => { Row(rows, "skills.defined-roles")["level"] = 2d; Row(rows, "skills.defined-roles")["evidence_note"] = "Roles written"; });
            using var accepted = await ImportAsync(script, edited, "scorecard.xlsx", dryRun: false);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(2, (await AgencyAsync(portal, agency)).Indicators["skills.defined-roles"].Level);

            // Another agency's scorecard: the lead may export it (anyone signed in reads scorecards) but not import into it.
            var other = await client.GetByteArrayAsync($"/api/v1/agencies/{Demo.OtherAgency}/scorecard.xlsx");
            var otherVersion = (await AgencyAsync(portal, Demo.OtherAgency)).Version;
            var otherEdited = Edit(other, rows => { rows[0]["evidence_note"] = "Not mine to change"; rows[0]["level"] ??= 2d; });
            using var forbidden = await ImportAsync(client, otherEdited, "scorecard.xlsx", dryRun: false);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            using var forbiddenByToken = await ImportAsync(script, otherEdited, "scorecard.xlsx", dryRun: true);
            Assert.Equal(HttpStatusCode.Forbidden, forbiddenByToken.StatusCode);
            Assert.Equal(otherVersion, (await AgencyAsync(portal, Demo.OtherAgency)).Version);
        }
    }

    [Fact]
    public async Task a_large_import_runs_in_the_background_and_its_progress_can_be_followed()
    {
        var (agency, lead, client) = await LedAgencyAsync(portal, "Sheets bulk agency");
        using (client)
        {
            var exported = await client.GetByteArrayAsync($"/api/v1/agencies/{agency}/scorecard.xlsx");
            var version = (await AgencyAsync(portal, agency)).Version;
            var edited = Edit(exported, rows => rows.ForEach(r => (r["level"], r["evidence_note"], r["target_level"], r["target_date"]) = (2d, "Bulk review " + r["indicator_code"], null, null)));

            using var queued = await ImportAsync(client, edited, "bulk.xlsx", dryRun: false);
            var body = await ImportOf(queued);
            Assert.True(queued.StatusCode == HttpStatusCode.Accepted, body.ToString());
            Assert.Equal(23, body.GetProperty("total").GetInt32());
            var location = queued.Headers.Location!.ToString();
            Assert.Equal($"/api/v1/imports/{body.GetProperty("id").GetGuid()}", location);

            var id = body.GetProperty("id").GetGuid();
            Assert.Equal("queued", (await JsonAsync(await client.GetAsync(location))).GetProperty("status").GetString());
            Assert.Equal(version, (await AgencyAsync(portal, agency)).Version);

            // The test host runs no Hangfire server: the job is in the queue, and the test works it as a server would.
            var storage = portal.Factory.Services.GetRequiredService<JobStorage>();
            Assert.Contains(storage.GetMonitoringApi().EnqueuedJobs("default", 0, 10_000),
                j => j.Value.Job.Type == typeof(ScorecardImportJob) && Equals(j.Value.Job.Args[0], id));
            await using (var scope = portal.Factory.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<ScorecardImportJob>().RunAsync(id, CancellationToken.None);
            }

            var state = await JsonAsync(await client.GetAsync(location));

            Assert.Equal("applied", state.GetProperty("status").GetString());
            Assert.Equal(23, state.GetProperty("done").GetInt32());
            var after = await AgencyAsync(portal, agency);
            Assert.Equal(version + 23, after.Version);
            Assert.All(after.Indicators.Values, a => Assert.Equal((2, lead), (a.Level, a.AssessedBy)));

            // Nobody else follows someone's import.
            using var other = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(location)).StatusCode);
        }
    }

    [Fact]
    public async Task the_import_page_previews_an_upload_and_applies_it_without_sending_the_file_again()
    {
        var (agency, _, client) = await LedAgencyAsync(portal, "Sheets page agency");
        using (client)
        {
            var agencyPage = await client.GetStringAsync($"/agencies/{agency}");
            Assert.Contains($"/api/v1/agencies/{agency}/scorecard.xlsx", agencyPage, StringComparison.Ordinal);
            Assert.Contains($"/agencies/{agency}/import", agencyPage, StringComparison.Ordinal);

            var exported = await client.GetByteArrayAsync($"/api/v1/agencies/{agency}/scorecard.xlsx");
            var edited = Edit(exported, rows => { Row(rows, "operations.model-lifecycle")["level"] = 2d; Row(rows, "operations.model-lifecycle")["evidence_note"] = "Lifecycle drafted"; });
            var page = await client.GetStringAsync($"/agencies/{agency}/import");
            using var upload = new MultipartFormDataContent
            {
                { new StringContent("import-upload"), "_handler" },
                { new StringContent(PortalForms.AntiforgeryToken(page)), "__RequestVerificationToken" },
                { new ByteArrayContent(edited), "file", "scorecard.xlsx" },
            };
            using var previewed = await client.PostAsync($"/agencies/{agency}/import", upload);
            var preview = WebUtility.HtmlDecode(await previewed.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, previewed.StatusCode);
            Assert.Contains("data-testid=\"import-change\"", preview, StringComparison.Ordinal);
            Assert.Contains("Lifecycle drafted", preview, StringComparison.Ordinal);
            var version = (await AgencyAsync(portal, agency)).Version;

            var importId = System.Text.RegularExpressions.Regex.Match(preview, "name=\"importId\" value=\"([0-9a-f-]{36})\"").Groups[1].Value;
            using var apply = new FormUrlEncodedContent(
            [
                new("_handler", "import-apply"),
                new("__RequestVerificationToken", PortalForms.AntiforgeryToken(preview)),
                new("importId", importId),
            ]);
            using var applied = await client.PostAsync($"/agencies/{agency}/import", apply);
            var answer = WebUtility.HtmlDecode(await applied.Content.ReadAsStringAsync());
            Assert.True(applied.StatusCode == HttpStatusCode.OK, $"{(int)applied.StatusCode} {answer}");
            Assert.Contains("Applied. Assessments recorded: 1.", answer, StringComparison.Ordinal);
            Assert.Equal(version + 1, (await AgencyAsync(portal, agency)).Version);

            // In Hindi the page speaks Hindi; someone who does not lead the agency is told they may not import.
            using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
            var hindi = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/agencies/{agency}/import?culture=hi-IN"));
            Assert.Contains("स्कोरकार्ड स्प्रेडशीट आयात करें", hindi, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"import-forbidden\"", hindi, StringComparison.Ordinal);
        }
    }

    private static async Task<string> TokenAsync(HttpClient owner, string[] scopes)
    {
        using var response = await owner.PostAsJsonAsync("/api/v1/tokens", new
        {
            name = "Sheets " + string.Join(" ", scopes), scopes, expiresOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("token").GetString()!;
    }

    private HttpClient Bearer(string token)
    {
        var client = portal.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
