using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.ProbePages.ProbePageForms;

namespace CoordinationPortal.Integration.Tests.ProbePages;

[Collection(PortalTests.Name)]
public sealed class EndpointFormPageTests(PortalFixture portal)
{
    [Theory]
    [InlineData("/endpoints")]
    [InlineData("/endpoints/new")]
    [InlineData("/endpoints/0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("/endpoints/0f8fad5b-d9cb-469f-a165-70867728950e/edit")]
    [InlineData("/admin/probe-network")]
    public async Task anonymous_visitors_are_sent_to_sign_in(string path)
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Viewer")]
    [InlineData("Member")]
    public async Task only_admins_and_leads_may_open_the_register_form(string role)
    {
        var account = role == "Viewer" ? Demo.Viewer : Demo.Member;
        using var client = await portal.SignedInClientAsync(account.Email, account.Password);
        using var response = await client.GetAsync("/endpoints/new");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_lead_is_offered_only_the_agencies_they_lead()
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var html = await lead.GetStringAsync("/endpoints/new");
        Assert.Contains($"value=\"{Demo.LedAgency}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{Demo.OtherAgency}\"", html, StringComparison.Ordinal);
        Assert.Contains("type=\"password\"", html, StringComparison.Ordinal);

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var adminHtml = await admin.GetStringAsync($"/endpoints/new?agency={Demo.OtherAgency}");
        Assert.Contains($"value=\"{Demo.OtherAgency}\" selected", adminHtml, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Demo.LedAgency}\"", adminHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task invalid_input_is_explained_next_to_each_field_and_the_input_is_kept()
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var fields = Registration(Demo.LedAgency, "");
        fields["Input.BaseUrl"] = "ftp://files.example.org/models";
        fields["Input.IntervalSeconds"] = "5";
        fields["Input.AvailabilityPercent"] = "not a number";
        fields["Input.Model"] = "llama-3-kept";
        fields["Input.ApiKey"] = "sk-never-echoed-4711";

        var posted = await PostAsync(lead, "/endpoints/new", "endpoint", fields);

        Assert.Equal(HttpStatusCode.OK, posted.Status);
        var html = posted.Html;
        Assert.Contains("data-testid=\"errors\"", html, StringComparison.Ordinal);
        Assert.Contains("<span id=\"name-error\" class=\"field-error\" data-field-error=\"Name\">", html, StringComparison.Ordinal);
        Assert.Contains("Enter a name.", html, StringComparison.Ordinal);
        Assert.Contains("Enter an http or https address", html, StringComparison.Ordinal);
        Assert.Contains("The probe interval must be between 15 seconds and 1 hour.", html, StringComparison.Ordinal);
        Assert.Contains("The availability target must be between 50% and 99.999%.", html, StringComparison.Ordinal);
        Assert.Matches("id=\"base-url\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"base-url\"", html);
        Assert.Matches("id=\"base-url\"[^>]*aria-describedby=\"base-url-help base-url-error\"|aria-describedby=\"base-url-help base-url-error\"[^>]*id=\"base-url\"", html);

        // What the lead typed is still there, except the key, which is never sent back.
        Assert.Contains("value=\"ftp://files.example.org/models\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"llama-3-kept\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"not a number\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"5\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-never-echoed-4711", html, StringComparison.Ordinal);
        Assert.Contains("type it again before saving", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_lead_registers_an_endpoint_for_the_agency_they_lead_and_lands_on_its_page()
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var name = UniqueName("Form triage model");
        var id = await RegisterAsync(lead, Demo.LedAgency, name, apiKey: "sk-page-secret-0042");

        var page = WebUtility.HtmlDecode(await lead.GetStringAsync($"/endpoints/{id}"));
        Assert.Contains(name, page, StringComparison.Ordinal);
        Assert.Contains("set (stored encrypted)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-page-secret-0042", page, StringComparison.Ordinal);
        Assert.Contains("Probe now", page, StringComparison.Ordinal);

        var board = WebUtility.HtmlDecode(await lead.GetStringAsync("/endpoints"));
        Assert.Contains(name, board, StringComparison.Ordinal);
        Assert.Contains($"data-endpoint=\"{id}\" data-health=\"Unknown\"", board, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_lead_cannot_register_for_an_agency_they_do_not_lead()
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var posted = await PostAsync(lead, "/endpoints/new", "endpoint", Registration(Demo.OtherAgency, UniqueName("Not mine")));
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Contains("Only admins and the leads of this endpoint's agency may change it.", posted.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_edit_form_is_refused_to_leads_of_other_agencies_and_keeps_input_on_a_conflict()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var other = await RegisterAsync(admin, Demo.OtherAgency, UniqueName("Central bank model"));
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var refused = await lead.GetAsync($"/endpoints/{other}/edit");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        var own = await RegisterAsync(lead, Demo.LedAgency, UniqueName("Editable model"));
        var edit = WebUtility.HtmlDecode(await lead.GetStringAsync($"/endpoints/{own}/edit"));
        Assert.Contains("name=\"Input.ExpectedVersion\" value=\"1\"", edit, StringComparison.Ordinal);
        Assert.Contains("No key is stored", edit, StringComparison.Ordinal);

        var renamed = UniqueName("Renamed model");
        var fields = Registration(Demo.LedAgency, renamed);
        fields["Input.ExpectedVersion"] = "1";
        var saved = await PostAsync(lead, $"/endpoints/{own}/edit", "endpoint", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal($"/endpoints/{own}", saved.Location);
        Assert.Contains(renamed, WebUtility.HtmlDecode(await lead.GetStringAsync($"/endpoints/{own}")), StringComparison.Ordinal);

        // A second save based on the version before the rename: refused as a conflict, the typed text kept.
        var stale = Registration(Demo.LedAgency, "Stale edit kept");
        stale["Input.ExpectedVersion"] = "1";
        var conflict = await PostAsync(lead, $"/endpoints/{own}/edit", "endpoint", stale);
        Assert.Equal(HttpStatusCode.OK, conflict.Status);
        Assert.Contains("data-testid=\"conflict\"", conflict.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"Stale edit kept\"", conflict.Html, StringComparison.Ordinal);
        Assert.Contains("name=\"Input.ExpectedVersion\" value=\"2\"", conflict.Html, StringComparison.Ordinal);
    }
}
