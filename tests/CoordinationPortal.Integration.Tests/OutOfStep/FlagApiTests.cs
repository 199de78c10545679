using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.OutOfStep.BoardFlags;

namespace CoordinationPortal.Integration.Tests.OutOfStep;

[Collection(PortalTests.Name)]
public sealed class FlagApiTests(PortalFixture portal)
{
    private static readonly Guid MaharashtraHealth = Demo.AgencyId("maharashtra-health-services");

    [Fact]
    public async Task anonymous_requests_get_401_not_a_redirect()
    {
        using var client = portal.AnonymousClient();
        using var list = await client.GetAsync("/api/v1/flags");
        using var agency = await client.GetAsync($"/api/v1/agencies/{Demo.LedAgency}/flags");
        using var acknowledge = await client.PostAsJsonAsync($"/api/v1/flags/{Guid.NewGuid()}/acknowledgements", new { note = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, agency.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, acknowledge.StatusCode);
    }

    [Fact]
    public async Task a_flag_reads_with_its_agency_numbers_and_explanation_in_both_languages()
    {
        var rule = NewRule("shape");
        var id = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.High, [Layer.Compute, Layer.Data]);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var flags = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/flags?rule={rule}");
        var flag = Assert.Single(flags.EnumerateArray());
        Assert.Equal(id, flag.GetProperty("id").GetGuid());
        Assert.Equal(Demo.LedAgency, flag.GetProperty("agencyId").GetGuid());
        Assert.Equal("Ministry of Health and Family Welfare", flag.GetProperty("agencyName").GetString());
        Assert.Equal("health", flag.GetProperty("sector").GetString());
        Assert.Equal("national", flag.GetProperty("jurisdiction").GetString());
        Assert.Equal(rule, flag.GetProperty("ruleId").GetString());
        Assert.Equal("lead", flag.GetProperty("kind").GetString());
        Assert.Equal("High", flag.GetProperty("severity").GetString());
        Assert.Equal("Open", flag.GetProperty("status").GetString());
        Assert.Equal(["Compute", "Data"], flag.GetProperty("layers").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(4, flag.GetProperty("figures")[0].GetProperty("value").GetDouble());
        Assert.Equal("leadingLevel", flag.GetProperty("figures")[0].GetProperty("name").GetString());
        Assert.Equal("Compute is at level 4 but Data is at level 2.", flag.GetProperty("explanation").GetProperty("en").GetString());
        Assert.Equal("कंप्यूट स्तर 4 पर है पर डेटा स्तर 2 पर है।", flag.GetProperty("explanation").GetProperty("hi").GetString());
        Assert.Equal(1, flag.GetProperty("occurrence").GetInt32());
        Assert.Equal(1, flag.GetProperty("version").GetInt64());
        Assert.Equal(JsonValueKind.Null, flag.GetProperty("acknowledgement").ValueKind);
        Assert.Equal(JsonValueKind.Null, flag.GetProperty("resolvedAt").ValueKind);
        Assert.True(flag.GetProperty("raisedAt").GetDateTimeOffset() < DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task the_filters_really_filter()
    {
        var lead = NewRule("lead");
        var spread = NewRule("spread");
        var high = await RaiseAsync(portal, Demo.LedAgency, lead, FlagSeverity.High, [Layer.Compute, Layer.Data],
            english: "Compute leads Data by two levels at the ministry.", at: DateTimeOffset.UtcNow.AddDays(-10));
        var low = await RaiseAsync(portal, Demo.OtherAgency, spread, FlagSeverity.Low, [Layer.Governance, Layer.Skills],
            english: "Governance trails Skills, quietly.", at: DateTimeOffset.UtcNow.AddDays(-2));
        var medium = await RaiseAsync(portal, MaharashtraHealth, spread, FlagSeverity.Medium, [Layer.Operations, Layer.Governance],
            english: "Operations run ahead of Governance in the state.", at: DateTimeOffset.UtcNow.AddDays(-5));
        var gone = await RaiseAsync(portal, Demo.OtherAgency, lead, FlagSeverity.High, [Layer.Compute, Layer.Data]);
        await ResolveAsync(portal, gone);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        async Task<List<JsonElement>> Get(string query) =>
            (await viewer.GetFromJsonAsync<JsonElement>("/api/v1/flags?" + query)).EnumerateArray().ToList();
        static List<Guid> Ids(IEnumerable<JsonElement> flags) => flags.Select(f => f.GetProperty("id").GetGuid()).ToList();

        // Open by default; the resolved one only when asked for.
        Assert.Equal([high], Ids(await Get($"rule={lead}")));
        Assert.Equal([gone], Ids(await Get($"rule={lead}&status=resolved")));
        Assert.Equal([high, gone], Ids(await Get($"rule={lead}&status=all&sort=agency-asc")));

        var lows = await Get("severity=low");
        Assert.Contains(low, Ids(lows));
        Assert.DoesNotContain(high, Ids(lows));
        Assert.All(lows, f => Assert.Equal("Low", f.GetProperty("severity").GetString()));

        var governance = await Get("layer=governance");
        Assert.Contains(low, Ids(governance));
        Assert.Contains(medium, Ids(governance));
        Assert.DoesNotContain(high, Ids(governance));
        Assert.All(governance, f => Assert.Contains("Governance", f.GetProperty("layers").EnumerateArray().Select(l => l.GetString())));

        var health = await Get("sector=health");
        Assert.Contains(high, Ids(health));
        Assert.Contains(medium, Ids(health));
        Assert.DoesNotContain(low, Ids(health));
        Assert.All(health, f => Assert.Equal("health", f.GetProperty("sector").GetString()));

        var maharashtra = await Get("jurisdiction=IN-MH");
        Assert.Equal([medium], Ids(maharashtra.Where(f => f.GetProperty("ruleId").GetString() is { } r && (r == lead || r == spread))));
        Assert.All(maharashtra, f => Assert.Equal("IN-MH", f.GetProperty("jurisdiction").GetString()));

        Assert.Equal([low], Ids(await Get($"agencyId={Demo.OtherAgency}&rule={spread}")));
        Assert.Equal([medium], Ids(await Get("q=" + Uri.EscapeDataString("run ahead of governance in the state"))));
        Assert.Equal([low], Ids(await Get($"rule={spread}&q=reserve%20bank")));

        // Sorted: by raised date either way, and by severity worst first by default.
        Assert.Equal([medium, low], Ids(await Get($"rule={spread}&sort=raised-asc")));
        Assert.Equal([low, medium], Ids(await Get($"rule={spread}&sort=raised-desc")));
        Assert.Equal([medium, low], Ids(await Get($"rule={spread}")));
    }

    [Fact]
    public async Task an_unknown_filter_value_is_a_400_naming_the_parameter()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var response = await viewer.GetAsync("/api/v1/flags?severity=dire&layer=vibes&sort=mood");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("low, medium, high", errors.GetProperty("severity")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("compute", errors.GetProperty("layer")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("sort", out _));
    }

    [Fact]
    public async Task an_agency_lists_its_open_and_resolved_flags_and_an_unknown_agency_is_404()
    {
        var rule = NewRule("history");
        var open = await RaiseAsync(portal, Demo.AgencyId("sebi"), rule + "-a", FlagSeverity.Medium, [Layer.Data]);
        var resolved = await RaiseAsync(portal, Demo.AgencyId("sebi"), rule + "-b", FlagSeverity.Low, [Layer.Skills]);
        await ResolveAsync(portal, resolved);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var flags = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/agencies/{Demo.AgencyId("sebi")}/flags");
        Assert.Equal("Securities and Exchange Board of India", flags.GetProperty("agencyName").GetString());
        var openIds = flags.GetProperty("open").EnumerateArray().Select(f => f.GetProperty("id").GetGuid()).ToList();
        var resolvedFlags = flags.GetProperty("resolved").EnumerateArray().ToList();
        Assert.Contains(open, openIds);
        Assert.DoesNotContain(resolved, openIds);
        var history = Assert.Single(resolvedFlags, f => f.GetProperty("id").GetGuid() == resolved);
        Assert.Equal("Resolved", history.GetProperty("status").GetString());
        Assert.Equal("ConditionCleared", history.GetProperty("resolutionReason").GetString());
        var episode = Assert.Single(history.GetProperty("episodes").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, episode.GetProperty("resolvedAt").ValueKind);

        using var unknown = await viewer.GetAsync($"/api/v1/agencies/{Guid.NewGuid()}/flags");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task a_viewer_reads_flags_but_may_not_acknowledge_them()
    {
        var id = await RaiseAsync(portal, Demo.LedAgency, NewRule("viewer"), FlagSeverity.Medium, [Layer.Data]);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var member = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);

        using var read = await viewer.GetAsync($"/api/v1/flags/{id}");
        using var byViewer = await viewer.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements", new { note = "Seen it." });
        using var byMember = await member.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements", new { note = "Seen it." });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byMember.StatusCode);
        Assert.Equal("application/problem+json", byViewer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FlagStatus.Open, (await LoadAsync(portal, id))!.Status);
    }

    [Fact]
    public async Task a_lead_acknowledges_a_flag_of_an_agency_they_lead_with_a_note()
    {
        var id = await RaiseAsync(portal, Demo.LedAgency, NewRule("ack"), FlagSeverity.High, [Layer.Compute, Layer.Data]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        using var response = await lead.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements",
            new { note = "  Data quality programme funded for Q3.  ", expectedVersion = 1 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/flags/{id}", response.Headers.Location?.OriginalString);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, created.GetProperty("version").GetInt64());
        Assert.Equal("Acknowledged", created.GetProperty("status").GetString());

        var flag = await lead.GetFromJsonAsync<JsonElement>($"/api/v1/flags/{id}");
        Assert.Equal("Acknowledged", flag.GetProperty("status").GetString());
        Assert.Equal(2, flag.GetProperty("version").GetInt64());
        var acknowledgement = flag.GetProperty("acknowledgement");
        Assert.Equal(Demo.Lead.Email, acknowledgement.GetProperty("by").GetString());
        Assert.Equal("Data quality programme funded for Q3.", acknowledgement.GetProperty("note").GetString());

        var stored = await LoadAsync(portal, id);
        Assert.Equal(FlagStatus.Acknowledged, stored!.Status);
        Assert.Equal(Demo.Lead.Email, stored.AcknowledgedBy);
    }

    [Fact]
    public async Task a_lead_gets_403_on_a_flag_of_an_agency_they_do_not_lead_and_an_admin_may()
    {
        var id = await RaiseAsync(portal, Demo.OtherAgency, NewRule("other"), FlagSeverity.High, [Layer.Operations, Layer.Governance]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var byLead = await lead.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements", new { note = "Not mine to say." });
        Assert.Equal(HttpStatusCode.Forbidden, byLead.StatusCode);
        Assert.Equal(FlagStatus.Open, (await LoadAsync(portal, id))!.Status);

        using var byAdmin = await admin.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements", new { note = "Raised with the governance board." });
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        var stored = await LoadAsync(portal, id);
        Assert.Equal(FlagStatus.Acknowledged, stored!.Status);
        Assert.Equal(Demo.Admin.Email, stored.AcknowledgedBy);
        Assert.Equal("Raised with the governance board.", stored.AcknowledgementNote);
    }

    [Fact]
    public async Task an_empty_note_is_a_400_naming_the_note()
    {
        var id = await RaiseAsync(portal, Demo.LedAgency, NewRule("empty"), FlagSeverity.Low, [Layer.Skills]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        using var response = await lead.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements", new { note = "   " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("Write a note saying what is being done about this flag.", errors.GetProperty("note")[0].GetString());
        Assert.Equal(FlagStatus.Open, (await LoadAsync(portal, id))!.Status);

        using var tooLong = await lead.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements", new { note = new string('x', FlagDecider.MaxNoteLength + 1) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var tooLongErrors = (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("2,000", tooLongErrors.GetProperty("note")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_message_follows_the_requested_language()
    {
        var id = await RaiseAsync(portal, Demo.LedAgency, NewRule("hindi"), FlagSeverity.Low, [Layer.Skills]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        using var response = await lead.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements?culture=hi-IN", new { note = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("एक टिप्पणी लिखें कि इस फ़्लैग पर क्या किया जा रहा है।", errors.GetProperty("note")[0].GetString());
    }

    [Fact]
    public async Task a_stale_expected_version_is_a_409_with_the_current_version()
    {
        var id = await RaiseAsync(portal, Demo.LedAgency, NewRule("stale"), FlagSeverity.Medium, [Layer.Compute, Layer.Data]);
        await UpdateAsync(portal, id, FlagSeverity.High, [Layer.Compute, Layer.Data]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        using var response = await lead.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements", new { note = "Looked at version 1.", expectedVersion = 1 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(FlagStatus.Open, (await LoadAsync(portal, id))!.Status);

        using var retry = await lead.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements", new { note = "Looked at version 2.", expectedVersion = 2 });
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(3, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task a_resolved_flag_cannot_be_acknowledged_and_an_unknown_one_is_404()
    {
        var id = await RaiseAsync(portal, Demo.LedAgency, NewRule("resolved"), FlagSeverity.Medium, [Layer.Data, Layer.Governance]);
        await ResolveAsync(portal, id);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        using var resolved = await lead.PostAsJsonAsync($"/api/v1/flags/{id}/acknowledgements", new { note = "Too late." });
        Assert.Equal(HttpStatusCode.BadRequest, resolved.StatusCode);
        var errors = (await resolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("already been resolved", errors.GetProperty("request")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(FlagStatus.Resolved, (await LoadAsync(portal, id))!.Status);

        using var unknown = await lead.PostAsJsonAsync($"/api/v1/flags/{Guid.NewGuid()}/acknowledgements", new { note = "Anyone there?" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var unknownRead = await lead.GetAsync($"/api/v1/flags/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknownRead.StatusCode);
    }
}
