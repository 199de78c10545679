using System.Collections.Concurrent;
using CoordinationPortal.Web.Seeding;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// The portal's pages under its own Content-Security-Policy: every main page, static and interactive, loads in Chromium
/// with the policy in force and not one violation (reported by the browser's <c>securitypolicyviolation</c> events and
/// its console), and the interactive pages still connect their circuit.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class SecurityPolicyBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Admin = DemoSeeder.Accounts.Single(a => a.Role == "Admin");
    private static readonly Guid HealthMinistry = SeedHistory.StableId("agency:health-ministry");

    [Fact]
    public async Task the_main_pages_load_under_the_policy_with_no_violation()
    {
        var violations = new ConcurrentQueue<string>();
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl, Locale = "en-IN" });
        await context.ExposeFunctionAsync("reportPolicyViolation", (string violation) => violations.Enqueue(violation));
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => window.reportPolicyViolation(" +
            "location.pathname + ': ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + (e.sourceFile || '') + ':' + e.lineNumber + ')'));");
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue($"console: {message.Text}");
            }
        };

        await AssertPolicyAsync(await page.GotoAsync("/account/login"));
        await page.GetByLabel("Email").FillAsync(Admin.Email);
        await page.GetByLabel("Password").FillAsync(Admin.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));

        foreach (var path in new[] { "/", "/flags", "/notifications", "/hangfire" })
        {
            await AssertPolicyAsync(await page.GotoAsync(path));
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        // Interactive pages: the circuit's WebSocket must connect and carry frames under connect-src.
        foreach (var path in new[] { $"/agencies/{HealthMinistry}", "/endpoints", "/framework" })
        {
            var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnSocket(object? sender, IWebSocket socket)
            {
                if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
                {
                    socket.FrameReceived += (_, _) => received.TrySetResult();
                }
            }

            page.WebSocket += OnSocket;
            await AssertPolicyAsync(await page.GotoAsync(path));
            await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            page.WebSocket -= OnSocket;
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        Assert.True(violations.IsEmpty, "Content-Security-Policy violations:\n" + string.Join("\n", violations));
    }

    private static async Task AssertPolicyAsync(IResponse? response)
    {
        Assert.NotNull(response);
        Assert.True(response.Ok, $"{response.Url} answered {response.Status}");
        var policy = await response.HeaderValueAsync("content-security-policy");
        Assert.NotNull(policy);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }
}
