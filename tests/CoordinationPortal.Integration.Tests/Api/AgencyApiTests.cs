using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;

namespace CoordinationPortal.Integration.Tests.Api;

[Collection(PortalTests.Name)]
public sealed class AgencyApiTests(PortalFixture portal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task anonymous_requests_get_401_not_a_redirect()
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync("/api/v1/agencies");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task the_portfolio_lists_every_seeded_agency_with_scores_and_three_indices()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var agencies = await client.GetFromJsonAsync<JsonElement>("/api/v1/agencies");

        Assert.True(agencies.GetArrayLength() >= 40);
        var health = agencies.EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == Demo.LedAgency);
        Assert.Equal("Ministry of Health and Family Welfare", health.GetProperty("name").GetString());
        Assert.Equal("Ministry", health.GetProperty("kind").GetString());
        var layers = health.GetProperty("layers");
        foreach (var layer in new[] { "compute", "data", "governance", "skills", "operations" })
        {
            var score = layers.GetProperty(layer).GetDouble();
            Assert.InRange(score, 0, 100);
        }

        var indices = health.GetProperty("indices");
        var mean = indices.GetProperty("mean").GetDouble();
        var balanced = indices.GetProperty("balanced").GetDouble();
        Assert.True(balanced <= mean, "the balanced index never exceeds the mean");
        Assert.True(health.GetProperty("lastAssessed").GetDateTimeOffset() < DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task the_portfolio_filters_by_sector()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var health = await client.GetFromJsonAsync<JsonElement>("/api/v1/agencies?sector=health");
        Assert.NotEqual(0, health.GetArrayLength());
        Assert.All(health.EnumerateArray(), a => Assert.Equal("health", a.GetProperty("sector").GetString()));
    }

    [Fact]
    public async Task a_lead_assesses_their_agency_and_gets_201_with_the_new_version()
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var before = await ScorecardAsync(client, Demo.AgencyId("maharashtra-health-services"));
        var version = before.GetProperty("version").GetInt64();

        using var response = await client.PostAsJsonAsync($"/api/v1/agencies/{Demo.AgencyId("maharashtra-health-services")}/assessments", new
        {
            indicatorId = "skills.training-coverage",
            level = 2,
            evidenceNote = "Training register for 2026 shows 40% coverage.",
            expectedVersion = version,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(version + 1, created.GetProperty("version").GetInt64());
        var after = await ScorecardAsync(client, Demo.AgencyId("maharashtra-health-services"));
        var indicator = after.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "skills.training-coverage");
        Assert.Equal(2, indicator.GetProperty("level").GetInt32());
        Assert.Equal(Demo.Lead.Email, indicator.GetProperty("assessedBy").GetString());
        Assert.Equal("Draft", indicator.GetProperty("status").GetString());
    }

    [Fact]
    public async Task a_lead_gets_403_on_an_agency_they_do_not_lead()
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var card = await ScorecardAsync(client, Demo.OtherAgency);
        using var response = await client.PostAsJsonAsync($"/api/v1/agencies/{Demo.OtherAgency}/assessments", new
        {
            indicatorId = "data.quality-management", level = 3, evidenceNote = "x", expectedVersion = card.GetProperty("version").GetInt64(),
        });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("Viewer")]
    [InlineData("Member")]
    public async Task viewers_and_members_cannot_assess(string role)
    {
        var account = role == "Viewer" ? Demo.Viewer : Demo.Member;
        using var client = await portal.SignedInClientAsync(account.Email, account.Password);
        using var response = await client.PostAsJsonAsync($"/api/v1/agencies/{Demo.LedAgency}/assessments", new
        {
            indicatorId = "data.quality-management", level = 3, evidenceNote = "x", expectedVersion = 1,
        });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task bad_input_gets_400_problem_details_naming_each_field()
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var card = await ScorecardAsync(client, Demo.LedAgency);
        using var response = await client.PostAsJsonAsync($"/api/v1/agencies/{Demo.LedAgency}/assessments", new
        {
            indicatorId = "data.quality-management", level = 7, evidenceNote = "", evidenceUrl = "ftp://files", expectedVersion = card.GetProperty("version").GetInt64(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("level", out _));
        Assert.True(errors.TryGetProperty("evidenceNote", out _));
        Assert.True(errors.TryGetProperty("evidenceUrl", out _));
        Assert.Contains("1 to 5", errors.GetProperty("level")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task malformed_json_gets_400_and_changes_nothing()
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var before = await ScorecardAsync(client, Demo.LedAgency);
        using var body = new StringContent("{\"indicatorId\": \"data.quality-management\", \"level\": ", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/api/v1/agencies/{Demo.LedAgency}/assessments", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var after = await ScorecardAsync(client, Demo.LedAgency);
        Assert.Equal(before.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task a_missing_expected_version_is_refused()
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var response = await client.PostAsJsonAsync($"/api/v1/agencies/{Demo.LedAgency}/assessments", new
        {
            indicatorId = "data.quality-management", level = 3, evidenceNote = "x",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("expectedVersion", out _));
    }

    [Fact]
    public async Task the_second_of_two_edits_from_the_same_version_gets_409_and_the_first_is_kept()
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var agency = Demo.AgencyId("state-bank-of-india");
        var version = (await ScorecardAsync(lead, agency)).GetProperty("version").GetInt64();

        using var first = await lead.PostAsJsonAsync($"/api/v1/agencies/{agency}/assessments", new
        {
            indicatorId = "governance.grievance-redress", level = 2, evidenceNote = "Lead's edit", expectedVersion = version,
        });
        using var second = await admin.PostAsJsonAsync($"/api/v1/agencies/{agency}/assessments", new
        {
            indicatorId = "governance.grievance-redress", level = 1, evidenceNote = "Admin's edit", expectedVersion = version,
        });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(version + 1, problem.GetProperty("currentVersion").GetInt64());
        var card = await ScorecardAsync(lead, agency);
        var indicator = card.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "governance.grievance-redress");
        Assert.Equal("Lead's edit", indicator.GetProperty("evidenceNote").GetString());
    }

    [Fact]
    public async Task an_unknown_agency_is_404()
    {
        using var client = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var response = await client.GetAsync($"/api/v1/agencies/{Guid.NewGuid()}/scorecard");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No agency with this identifier exists.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task an_unreadable_as_of_date_is_400()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var response = await client.GetAsync($"/api/v1/agencies/{Demo.LedAgency}/scorecard?asOf=31-12-2025");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("That date could not be read. Use the date picker (YYYY-MM-DD).", errors.GetProperty("asOf")[0].GetString());
    }

    [Fact]
    public async Task the_scorecard_api_answers_an_unknown_agency_and_an_unreadable_date_in_hindi()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var unknown = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agencies/{Guid.NewGuid()}/scorecard");
        unknown.Headers.AcceptLanguage.ParseAdd("hi");
        using var notFound = await client.SendAsync(unknown);
        using var badDate = await client.GetAsync($"/api/v1/agencies/{Demo.LedAgency}/scorecard?asOf=31-12-2025&culture=hi-IN");

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("इस पहचानकर्ता वाली कोई एजेंसी मौजूद नहीं है।", (await notFound.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        var errors = (await badDate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("वह तिथि पढ़ी नहीं जा सकी। तिथि चयनकर्ता का उपयोग करें (YYYY-MM-DD)।", errors.GetProperty("asOf")[0].GetString());
    }

    [Fact]
    public async Task the_scorecard_as_of_a_past_date_differs_from_today_and_from_before_registration()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var agency = Demo.AgencyId("telangana-itec"); // compute races ahead over the seeded history
        var today = await ScorecardAsync(client, agency);
        var past = await ScorecardAsync(client, agency, DateTime.UtcNow.AddMonths(-17).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        using var beforeRegistration = await client.GetAsync($"/api/v1/agencies/{agency}/scorecard?asOf={DateTime.UtcNow.AddYears(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}");

        Assert.True(past.GetProperty("version").GetInt64() < today.GetProperty("version").GetInt64());
        Assert.True(past.GetProperty("layers").GetProperty("compute").GetDouble() < today.GetProperty("layers").GetProperty("compute").GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, beforeRegistration.StatusCode);
        Assert.Equal("No agency with this identifier existed on that date.",
            (await beforeRegistration.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    private static async Task<JsonElement> ScorecardAsync(HttpClient client, Guid agency, string? asOf = null) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/agencies/{agency}/scorecard" + (asOf is null ? "" : $"?asOf={asOf}"), Json);
}
