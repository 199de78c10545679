using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Integration.Tests.Infrastructure;

namespace CoordinationPortal.Integration.Tests.Operations;

[Collection(PortalTests.Name)]
public sealed class AdministrationTests(PortalFixture portal)
{
    [Theory]
    [InlineData("/admin/agencies")]
    [InlineData("/admin/users")]
    public async Task only_admins_reach_the_administration_pages(string path)
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var refused = await lead.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var allowed = await admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task an_admin_registers_an_agency_and_a_new_lead_who_can_then_assess_it()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var name = $"Odisha Fisheries Department {Guid.NewGuid():N}"[..40];
        var registered = await PostFormAsync(admin, "/admin/agencies", "register", new()
        {
            ["Register.Name"] = name, ["Register.Kind"] = "StateDepartment", ["Register.Sector"] = "agriculture", ["Register.Jurisdiction"] = "national",
        });
        Assert.Contains("is registered", registered, StringComparison.Ordinal);

        var agencies = await admin.GetFromJsonAsync<JsonElement>("/api/v1/agencies");
        var id = agencies.EnumerateArray().Single(a => a.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

        var email = $"lead-{Guid.NewGuid():N}@portal.local";
        var created = await PostFormAsync(admin, "/admin/users", "create-user", new()
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = "New Lead", ["Input.Role"] = "AgencyLead", ["Input.Password"] = "New-lead-2026!",
        });
        Assert.Contains($"Account {email} created", created, StringComparison.Ordinal);
        await PostFormAsync(admin, "/admin/agencies", "lead", new() { ["Lead.AgencyId"] = id.ToString(), ["Lead.Email"] = email, ["Lead.Remove"] = "false" });

        using var lead = await portal.SignedInClientAsync(email, "New-lead-2026!");
        using var response = await lead.PostAsJsonAsync($"/api/v1/agencies/{id}/assessments", new
        {
            indicatorId = "data.availability-access", level = 2, evidenceNote = "First assessment by the new lead.", expectedVersion = 2,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task a_weak_password_is_refused_with_the_reason()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var page = await PostFormAsync(admin, "/admin/users", "create-user", new()
        {
            ["Input.Email"] = $"weak-{Guid.NewGuid():N}@portal.local", ["Input.Role"] = "Viewer", ["Input.Password"] = "short",
        });
        Assert.Contains("Passwords must be at least 12 characters", page, StringComparison.Ordinal);
    }

    private static async Task<string> PostFormAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync(path);
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(form);
        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(path, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
