using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.OutOfStep;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Briefings;
using CoordinationPortal.Web.Briefings.Storage;
using Marten;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Briefings;

/// <summary>
/// The briefing API end to end: the portal queues, a second process with the briefings job server prints (as a
/// worker container would), and the PDF comes back with an ETag; revalidation is a 304; a data change makes a new
/// version; authorisation follows the pages; bad input is a worded 400, never a 5xx.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class BriefingApiTests(PortalFixture portal) : IAsyncLifetime
{
    private PortalHostFactory _worker = null!;

    public Task InitializeAsync()
    {
        _worker = BriefingWorker.Start(portal);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    [Fact]
    public async Task a_briefing_is_queued_then_served_with_an_etag_and_revalidates_to_304()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var agency = await RollupTestData.AgencyAsync(portal, "Briefing API agency", RollupTestData.UniqueCode("bs"), "national",
            new Dictionary<string, int> { ["compute.capacity"] = 3 });
        var url = $"/api/v1/briefings/agency/{agency}?lang=hi";

        using (var first = await client.GetAsync(new Uri(url, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter?.Delta);
            var status = await first.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("pending", status.GetProperty("state").GetString());
            Assert.Matches($"^/api/v1/briefings/agency/{agency}/status\\?lang=hi&after=[0-9]+$", status.GetProperty("statusUrl").GetString());
            Assert.Matches($"^/api/v1/briefings/agency/{agency}\\?lang=hi&after=[0-9]+$", first.Headers.Location?.OriginalString);
        }

        var (pdf, etag, version) = await BriefingWorker.DownloadAsync(client, url);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);

        using (var again = await client.GetAsync(new Uri(url, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(etag, again.Headers.ETag?.Tag);
            Assert.Equal(pdf, await again.Content.ReadAsByteArrayAsync());
            Assert.Equal(version, again.Headers.GetValues("X-Data-Version").Single());
            Assert.Equal("application/pdf", again.Content.Headers.ContentType?.MediaType);
            Assert.Contains(".pdf", again.Content.Headers.ContentDisposition?.FileName ?? "", StringComparison.Ordinal);
        }

        using var conditional = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag));
        using var revalidated = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());

        using var status2 = await client.GetAsync(new Uri($"/api/v1/briefings/agency/{agency}/status?lang=hi", UriKind.Relative));
        var ready = await status2.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready", ready.GetProperty("state").GetString());
        Assert.Equal(version, ready.GetProperty("dataVersion").GetString());
    }

    [Fact]
    public async Task a_new_assessment_makes_the_next_request_generate_a_new_version()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var agency = await RollupTestData.AgencyAsync(portal, "Briefing version agency", RollupTestData.UniqueCode("bv"), "national",
            new Dictionary<string, int> { ["compute.capacity"] = 2 });
        var url = $"/api/v1/briefings/agency/{agency}?lang=en";
        var (_, etag, version) = await BriefingWorker.DownloadAsync(admin, url);

        var scorecard = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/agencies/{agency}/scorecard", UriKind.Relative));
        using var assessed = await admin.PostAsJsonAsync(new Uri($"/api/v1/agencies/{agency}/assessments", UriKind.Relative), new
        {
            indicatorId = "compute.capacity",
            level = 4,
            evidenceNote = "New cluster commissioned.",
            evidenceUrl = "https://example.gov.in/cluster",
            expectedVersion = scorecard.GetProperty("version").GetInt64(),
        });
        Assert.True(assessed.StatusCode == HttpStatusCode.Created, await assessed.Content.ReadAsStringAsync());

        var (pdf, newEtag, newVersion) = await BriefingWorker.DownloadAsync(admin, url);
        Assert.NotEqual(etag, newEtag);
        // The new PDF says so on every page.
        Assert.All(await PdfTools.PagesAsync(pdf), page => Assert.Contains("Data version " + newVersion, page, StringComparison.Ordinal));
        Assert.True(long.Parse(newVersion.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(version.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture), $"{newVersion} is not after {version}");
    }

    [Fact]
    public async Task the_nightly_job_prints_the_national_briefing_before_anyone_asks_for_it()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        const string Url = "/api/v1/briefings/national/all?lang=en";
        await BriefingWorker.DownloadAsync(client, Url); // readers use this address

        // The data changes overnight (no change notice: no evaluation follows), then the nightly job runs.
        await RollupTestData.AgencyAsync(portal, "Nightly briefing agency", RollupTestData.UniqueCode("bn"), "national",
            new Dictionary<string, int> { ["compute.capacity"] = 3 });
        var ran = DateTimeOffset.UtcNow;
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BriefingNightlyJob>().RunAsync(CancellationToken.None);
        }

        // Nobody asks; the worker prints both languages for the address readers used.
        var source = portal.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(180);
        while (true)
        {
            await using var printed = source.CreateCommand(
                "SELECT count(DISTINCT lang) FROM briefings.files WHERE scope = 'national' AND origin = 'http://localhost/' AND state = 1 AND generated_at > $1");
            printed.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = ran });
            if ((long)(await printed.ExecuteScalarAsync())! == 2)
            {
                break;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "the nightly job's briefings were not printed within 180 s");
            await Task.Delay(500);
        }

        // And the next download is served without waiting for a new print, unless the data moved on meanwhile.
        var (pdf, _, _) = await BriefingWorker.DownloadAsync(client, Url);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/briefings/continental/all")]
    [InlineData("/api/v1/briefings/national/everything")]
    [InlineData("/api/v1/briefings/national/all?lang=fr")]
    [InlineData("/api/v1/briefings/agency/not-a-guid")]
    [InlineData("/api/v1/briefings/sector/%3Cscript%3E")]
    [InlineData("/api/v1/briefings/working-group/00000000-0000-0000-0000-000000000001/annex.csv?lang=xx")]
    public async Task a_malformed_request_is_a_worded_400(string url)
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("That is not a briefing the portal makes.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task unknown_subjects_are_404_and_anonymous_callers_401()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        foreach (var url in new[] { $"/api/v1/briefings/agency/{Guid.NewGuid()}", $"/api/v1/briefings/working-group/{Guid.NewGuid()}?lang=hi", "/api/v1/briefings/sector/no-such-sector" })
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var anonymous = portal.AnonymousClient();
        using var refused = await anonymous.GetAsync(new Uri("/api/v1/briefings/national/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task a_working_groups_briefing_is_for_readers_of_the_whole_group()
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var groups = await session.Query<WorkingGroup>().ToListAsync();
        var viewer = new Reader(Demo.Viewer.Email, IsAdmin: false, new HashSet<Guid>());
        var closed = groups.First(g => !GroupAccess.For(g, viewer).ReadsAll);

        using var outsider = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        foreach (var suffix in new[] { "", "/status", "/annex.csv" })
        {
            using var refused = await outsider.GetAsync(new Uri($"/api/v1/briefings/working-group/{closed.Id}{suffix}?lang=en", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var (pdf, _, _) = await BriefingWorker.DownloadAsync(admin, $"/api/v1/briefings/working-group/{closed.Id}?lang=en");
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);

        // Its recent list shows the group's briefing to the admin, never to the outsider.
        var mine = await admin.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/briefings", UriKind.Relative));
        Assert.Contains(mine!, b => b.GetProperty("subject").GetString() == closed.Id.ToString("D"));
        var theirs = await outsider.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/briefings", UriKind.Relative));
        Assert.DoesNotContain(theirs!, b => b.GetProperty("subject").GetString() == closed.Id.ToString("D"));
    }

    [Fact]
    public async Task the_annex_is_csv_with_a_byte_order_mark()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var response = await client.GetAsync(new Uri("/api/v1/briefings/national/all/annex.csv?lang=hi", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.NotEmpty(response.Headers.GetValues("X-Data-Version").Single());
    }
}

/// <summary>A second portal process that works the briefings queue only, and a polling download.</summary>
internal static class BriefingWorker
{
    public static PortalHostFactory Start(PortalFixture portal)
    {
        var settings = new Dictionary<string, string>(portal.ProbeSettings) { ["Briefings:RunServer"] = "true" };
        var worker = new PortalHostFactory(portal.Database.ConnectionString, seedDemo: false, settings);
        _ = worker.Server; // starts its hosted services, the briefings job server among them
        return worker;
    }

    /// <summary>
    /// Asks until the briefing is ready and returns its bytes, ETag and data version. The limit allows a retried job on a
    /// busy machine: Hangfire polls its PostgreSQL queue every 15 s, and a retry waits for the next schedule poll.
    /// </summary>
    public static async Task<(byte[] Pdf, string ETag, string Version)> DownloadAsync(HttpClient client, string url)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(180);
        while (true)
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag!.Tag, response.Headers.GetValues("X-Data-Version").Single());
            }

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{url} was not ready within 180 s");
            // Ask again where the answer says: the briefing printed for this request, even if the data moved on meanwhile.
            url = response.Headers.Location?.OriginalString ?? url;
            await Task.Delay(500);
        }
    }
}
