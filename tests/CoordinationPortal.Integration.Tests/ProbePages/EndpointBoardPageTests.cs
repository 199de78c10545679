using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.ProbePages.ProbePageForms;

namespace CoordinationPortal.Integration.Tests.ProbePages;

/// <summary>The status board, the endpoint page and the agency page's measured evidence, as each role sees them.</summary>
[Collection(PortalTests.Name)]
public sealed class EndpointBoardPageTests(PortalFixture portal)
{
    [Fact]
    public async Task a_viewer_sees_the_board_and_an_endpoint_but_no_way_to_change_them()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var name = UniqueName("Viewer visible model");
        var id = await RegisterAsync(admin, Demo.OtherAgency, name);

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var board = WebUtility.HtmlDecode(await viewer.GetStringAsync("/endpoints"));
        Assert.Contains("Inference endpoints", board, StringComparison.Ordinal);
        Assert.Contains(name, board, StringComparison.Ordinal);
        Assert.Contains("aria-live=\"polite\"", board, StringComparison.Ordinal);
        Assert.Matches(@"\d+ up, \d+ degraded, \d+ down", board);
        Assert.DoesNotContain("Register an endpoint", board, StringComparison.Ordinal);
        Assert.Contains("href=\"/endpoints\"", board, StringComparison.Ordinal); // the navigation link

        var page = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/endpoints/{id}"));
        Assert.Contains(name, page, StringComparison.Ordinal);
        Assert.Contains("Not yet probed", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"slo-table\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"recent-chart\"", page, StringComparison.Ordinal);
        Assert.Contains("Show the data as a table", page, StringComparison.Ordinal);
        Assert.Contains("not set", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Probe now", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Retire", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"/endpoints/{id}/edit", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task admins_and_leads_are_offered_registration_and_see_the_actions_of_their_endpoints()
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var board = WebUtility.HtmlDecode(await lead.GetStringAsync("/endpoints"));
        Assert.Contains("Register an endpoint", board, StringComparison.Ordinal);

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var other = await RegisterAsync(admin, Demo.OtherAgency, UniqueName("Admin only actions"));
        var asAdmin = WebUtility.HtmlDecode(await admin.GetStringAsync($"/endpoints/{other}"));
        Assert.Contains("Probe now", asAdmin, StringComparison.Ordinal);
        Assert.Contains("Schedule a maintenance window", asAdmin, StringComparison.Ordinal);

        // The lead of another agency may look, not act.
        var asLead = WebUtility.HtmlDecode(await lead.GetStringAsync($"/endpoints/{other}"));
        Assert.DoesNotContain("Probe now", asLead, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_board_speaks_hindi_when_the_culture_is_chosen()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var switched = await viewer.GetAsync("/culture?culture=hi-IN&returnUrl=/endpoints");
        var html = WebUtility.HtmlDecode(await viewer.GetStringAsync("/endpoints"));
        Assert.Contains("lang=\"hi\"", html, StringComparison.Ordinal);
        Assert.Contains("इन्फ़रेंस एंडपॉइंट", html, StringComparison.Ordinal);
        Assert.Matches(@"\d+ चालू, \d+ धीमे, \d+ बंद", html);
    }

    [Fact]
    public async Task an_unknown_endpoint_says_so()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var response = await viewer.GetAsync(new Uri($"/endpoints/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // the portal's own not-found page, with its status
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_agency_page_shows_measured_evidence_or_says_operations_are_self_assessed_only()
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var name = UniqueName("Evidence model");
        var id = await RegisterAsync(lead, Demo.LedAgency, name);
        var led = WebUtility.HtmlDecode(await lead.GetStringAsync($"/agencies/{Demo.LedAgency}"));
        Assert.Contains("Measured evidence", led, StringComparison.Ordinal);
        Assert.Contains($"href=\"/endpoints/{id}\"", led, StringComparison.Ordinal);
        Assert.Contains("met every target over 7 days", led, StringComparison.Ordinal);

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var none = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/agencies/{Demo.AgencyId("sebi")}"));
        Assert.Contains("Operations maturity is self-assessed only", none, StringComparison.Ordinal);
        Assert.DoesNotContain("/endpoints/new?agency=", none, StringComparison.Ordinal);

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var forAdmin = await admin.GetStringAsync($"/agencies/{Demo.AgencyId("sebi")}");
        Assert.Contains($"/endpoints/new?agency={Demo.AgencyId("sebi")}", forAdmin, StringComparison.Ordinal);
    }
}
