using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.ProbePages.ProbePageForms;

namespace CoordinationPortal.Integration.Tests.ProbePages;

[Collection(PortalTests.Name)]
public sealed class ProbeNetworkPageTests(PortalFixture portal)
{
    private const string Page = "/admin/probe-network";

    [Fact]
    public async Task only_admins_reach_the_probe_network_page()
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var refused = await lead.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var html = WebUtility.HtmlDecode(await admin.GetStringAsync(Page));
        Assert.Contains("server-side request forgery", html, StringComparison.Ordinal);
        Assert.Contains("DNS rebinding", html, StringComparison.Ordinal);
        Assert.Contains("<code>127.77.0.3/32:*</code>", html, StringComparison.Ordinal); // from configuration, read-only
        Assert.Contains("href=\"/admin/probe-network\"", html, StringComparison.Ordinal); // the admin navigation link
    }

    [Fact]
    public async Task an_admin_allows_a_network_sees_who_added_it_and_removes_it()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        var invalid = await PostAsync(admin, Page, "allowlist-add", new() { ["Add.Cidr"] = "10.99.0.1/16", ["Add.Note"] = "typo" });
        Assert.Equal(HttpStatusCode.OK, invalid.Status);
        Assert.Contains("id=\"cidr-error\"", invalid.Html, StringComparison.Ordinal);
        Assert.Contains("The address has bits set beyond the prefix", invalid.Html, StringComparison.Ordinal);

        var tooBroad = await PostAsync(admin, Page, "allowlist-add", new() { ["Add.Cidr"] = "8.0.0.0/7", ["Add.Note"] = "" });
        Assert.Contains("too broad", tooBroad.Html, StringComparison.Ordinal);

        var added = await PostAsync(admin, Page, "allowlist-add", new() { ["Add.Cidr"] = "10.99.0.0/16", ["Add.Note"] = "GPU cluster in the state data centre" });
        Assert.Contains("Probes may now reach 10.99.0.0/16.", added.Html, StringComparison.Ordinal);
        Assert.Contains("data-cidr=\"10.99.0.0/16\"", added.Html, StringComparison.Ordinal);
        Assert.Contains("GPU cluster in the state data centre", added.Html, StringComparison.Ordinal);
        Assert.Contains(Demo.Admin.Email, added.Html, StringComparison.OrdinalIgnoreCase);

        var removed = await PostAsync(admin, Page, "allowlist-remove", new() { ["Remove.Cidr"] = "10.99.0.0/16" });
        Assert.Contains("10.99.0.0/16 is no longer allowed.", removed.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-cidr=\"10.99.0.0/16\"", removed.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_admin_allows_a_network_on_named_ports_and_a_malformed_port_list_is_explained()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var form = WebUtility.HtmlDecode(await admin.GetStringAsync(Page));
        Assert.Contains("Without a port only 80 and 443 are open", form, StringComparison.Ordinal);

        var badPorts = await PostAsync(admin, Page, "allowlist-add", new() { ["Add.Cidr"] = "10.98.0.0/16:0-99999", ["Add.Note"] = "" });
        Assert.Contains("id=\"cidr-error\"", badPorts.Html, StringComparison.Ordinal);
        Assert.Contains("ports and ranges from 1 to 65535", badPorts.Html, StringComparison.Ordinal);

        var added = await PostAsync(admin, Page, "allowlist-add", new() { ["Add.Cidr"] = " 10.98.0.0/16:8100,8000-8050 ", ["Add.Note"] = "vLLM pool" });
        Assert.Contains("data-cidr=\"10.98.0.0/16:8000-8050,8100\"", added.Html, StringComparison.Ordinal);

        var removed = await PostAsync(admin, Page, "allowlist-remove", new() { ["Remove.Cidr"] = "10.98.0.0/16:8000-8050,8100" });
        Assert.DoesNotContain("data-cidr=\"10.98.0.0/16:8000-8050,8100\"", removed.Html, StringComparison.Ordinal);
    }
}
