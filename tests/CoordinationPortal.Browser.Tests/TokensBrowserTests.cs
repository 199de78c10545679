using System.Net;
using System.Net.Http.Headers;
using CoordinationPortal.Web.Seeding;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>A lead makes a personal API token in Chromium, copies it from the page (shown once), uses it, and revokes it.</summary>
[Collection(BrowserTests.Name)]
public sealed class TokensBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");

    [Fact]
    public async Task a_lead_creates_a_token_sees_it_once_uses_it_and_revokes_it()
    {
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "API tokens" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API tokens", Level = 1 })).ToBeVisibleAsync();

        // A mistake first: no scope chosen. The summary names it and links to the field; nothing is created.
        var name = "Browser token " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("Name").FillAsync(name);
        await page.Locator("#scope-read").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("token-errors")).ToContainTextAsync("Choose at least one scope.");
        await Assertions.Expect(page.Locator($"tr:has-text('{name}')")).ToHaveCountAsync(0);

        await page.Locator("#scope-read").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("token-created")).ToContainTextAsync("it is shown this once");
        var token = await page.GetByTestId("token-secret").InputValueAsync();
        Assert.StartsWith("cpt_", token, StringComparison.Ordinal);
        var row = page.GetByTestId("my-tokens").Locator($"tr:has-text('{name}')");
        await Assertions.Expect(row).ToContainTextAsync("Active");

        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} e.g. {v.Nodes.FirstOrDefault()?.Html}")));

        using var script = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync(new Uri("/api/v1/agencies", UriKind.Relative))).StatusCode);

        // Reloading the answer posts the same form again: it makes no second token and does not show the first again.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("token-errors")).ToContainTextAsync("already created its token");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        row = page.GetByTestId("my-tokens").Locator($"tr:has-text('{name}')");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("token-message")).ToContainTextAsync("stops working at once");
        await Assertions.Expect(page.GetByTestId("my-tokens").Locator($"tr:has-text('{name}')")).ToContainTextAsync("Revoked on");
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync(new Uri("/api/v1/agencies", UriKind.Relative))).StatusCode);
    }
}
