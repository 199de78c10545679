using CoordinationPortal.Web.Seeding;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// The API's reference page (<c>/api/docs</c>) in Chromium: it draws the portal's OpenAPI document under the portal's own
/// content security policy (its one inline script allowed by hash) and fetches nothing from any other host.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ApiReferenceBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");

    [Fact]
    public async Task the_reference_page_draws_the_document_offline_under_the_portals_policy()
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        var portal = new Uri(fixture.BaseUrl);
        var elsewhere = new List<string>();
        var refused = new List<string>();
        page.Request += (_, request) =>
        {
            if (Uri.TryCreate(request.Url, UriKind.Absolute, out var url) && url.Scheme.StartsWith("http", StringComparison.Ordinal)
                && url.Authority != portal.Authority)
            {
                elsewhere.Add(request.Url);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refused.Add(message.Text);
            }
        };

        // Found from the API tokens page, where a script's author starts.
        await page.GotoAsync(fixture.BaseUrl + "/account/tokens");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByTestId("api-reference-link").ClickAsync(),
            r => r.Request.ResourceType == "document" && r.Url.Contains("/api/docs", StringComparison.Ordinal) && r.Status != 301 && r.Status != 302);
        Assert.Equal(200, response.Status);
        var policy = await response.HeaderValueAsync("content-security-policy");
        Assert.Matches("script-src 'self' 'sha256-[A-Za-z0-9+/=]+'", policy);

        // Drawn from the served document: its title and one of its operations.
        await Assertions.Expect(page.GetByText("CoordinationPortal API").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByText("/api/v1/agencies").First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.True(elsewhere.Count == 0, "Requests to other hosts: " + string.Join(", ", elsewhere.Distinct()));
        Assert.True(refused.Count == 0, "Refused by the content security policy: " + string.Join("\n", refused));
    }
}
