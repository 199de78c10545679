using System.Text.RegularExpressions;
using CoordinationPortal.Simulator;
using CoordinationPortal.Web.Seeding;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

[Collection(BrowserTests.Name)]
public sealed partial class ProbesInTheBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Admin = DemoSeeder.Accounts.Single(a => a.Role == "Admin");
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");
    private static readonly Guid HealthMinistry = SeedHistory.StableId("agency:health-ministry");

    [Fact]
    public async Task an_admin_registers_an_endpoint_probes_it_and_sees_it_go_down_when_the_server_resets()
    {
        var baseUrl = fixture.SimulatorProfile(new SimulatorProfile(), out var profile);
        var page = await fixture.SignedInPageAsync(Admin.Email, Admin.Password);
        var name = "Browser triage " + Guid.NewGuid().ToString("N")[..6];

        var id = await RegisterAsync(page, name, baseUrl);

        var health = page.GetByTestId("endpoint-health");
        await Assertions.Expect(health).ToContainTextAsync("Not yet probed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Probe now" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("probe-result")).ToContainTextAsync("Probe finished: Up");
        await Assertions.Expect(health.Locator("[data-health]")).ToHaveAttributeAsync("data-health", "Up");
        await Assertions.Expect(health).ToContainTextAsync("Up");

        fixture.Simulator.SetProfile(profile, new SimulatorProfile { Reset = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Probe now" }).ClickAsync();
        await Assertions.Expect(health.Locator("[data-health]")).ToHaveAttributeAsync("data-health", "Down");
        await Assertions.Expect(health).ToContainTextAsync("Down");
        await Assertions.Expect(page.GetByTestId("health-reason")).ToContainTextAsync("Connection reset by the server");
        await Assertions.Expect(page.GetByTestId("failures")).ToContainTextAsync("Connection reset by the server");

        await page.GetByRole(AriaRole.Link, new() { Name = "Endpoints", Exact = true }).ClickAsync();
        var row = page.Locator($"tr[data-endpoint='{id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-health", "Down");
        await Assertions.Expect(row).ToContainTextAsync("Down");
        await Assertions.Expect(row).ToContainTextAsync("Connection reset by the server");
        await Assertions.Expect(page.GetByTestId("board-summary")).ToContainTextAsync(new Regex(@"[1-9]\d* down"));
    }

    [Fact]
    public async Task probe_now_is_rationed_and_the_page_says_when_to_try_again()
    {
        var baseUrl = fixture.SimulatorProfile(new SimulatorProfile { OmitUsage = true }, out _);
        var page = await fixture.SignedInPageAsync(Admin.Email, Admin.Password);
        await RegisterAsync(page, "Browser rationed " + Guid.NewGuid().ToString("N")[..6], baseUrl);
        var result = page.GetByTestId("probe-result");

        // Two runs a minute per endpoint: the first two probe (counted stream events, marked ≈), the third waits.
        await page.GetByRole(AriaRole.Button, new() { Name = "Probe now" }).ClickAsync();
        await Assertions.Expect(result).ToContainTextAsync("Probe finished: Up");
        await Assertions.Expect(result).ToContainTextAsync("stream events; the server sent no usage");
        await page.GetByRole(AriaRole.Button, new() { Name = "Probe now" }).ClickAsync();
        await Assertions.Expect(result).ToContainTextAsync("Probe finished: Up");
        await page.GetByRole(AriaRole.Button, new() { Name = "Probe now" }).ClickAsync();
        await Assertions.Expect(result).ToContainTextAsync(new Regex(@"Try again in \d+ s"));
    }

    [Fact]
    public async Task an_operator_pauses_schedules_maintenance_and_retires_an_endpoint_after_confirming()
    {
        var baseUrl = fixture.SimulatorProfile(new SimulatorProfile(), out _);
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        var name = "Browser operations " + Guid.NewGuid().ToString("N")[..6];
        var id = await RegisterAsync(page, name, baseUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Probe now" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("probe-result")).ToContainTextAsync("Probe finished: Up");
        await Assertions.Expect(page.GetByTestId("server-metrics")).ToContainTextAsync("KV cache in use");

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause probes" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-message")).ToHaveTextAsync("Probes are paused.");
        await Assertions.Expect(page.GetByTestId("endpoint-health")).ToContainTextAsync("Paused");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume probes" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-message")).ToHaveTextAsync("Probes are running again.");

        await page.GetByLabel("Note").FillAsync("Driver upgrade on the GPU nodes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("maintenance")).ToContainTextAsync("Driver upgrade on the GPU nodes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel window" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("maintenance")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("endpoint-history")).ToContainTextAsync("Maintenance cancelled");

        var shots = Environment.GetEnvironmentVariable("PROBE_SCREENSHOTS");
        if (!string.IsNullOrEmpty(shots))
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "endpoint.png"), FullPage = true });
            await page.GotoAsync("/endpoints");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "board.png"), FullPage = true });
            await page.GotoAsync($"/agencies/{HealthMinistry}");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "agency.png"), FullPage = true });
            await page.GotoAsync($"/endpoints/{id}");
        }

        // The board filters as the operator types.
        await page.GotoAsync("/endpoints");
        var row = page.Locator($"tr[data-endpoint='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        // Live filtering starts with the interactive connection; until then the filters are a plain GET form.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" })).ToHaveCountAsync(0);
        await page.GetByLabel("Agency name contains").FillAsync("no agency is called this");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.GetByLabel("Agency name contains").FillAsync("Health and Family");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await page.GetByLabel("Health", new() { Exact = true }).SelectOptionAsync("Down");
        await Assertions.Expect(row).ToHaveCountAsync(0);

        await page.GotoAsync($"/endpoints/{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Retire…" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = $"Retire {name}?" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, retire it" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "This endpoint is retired" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Probe now" }).CountAsync());
    }

    [Theory]
    [InlineData("/endpoints")]
    [InlineData("/endpoints/new")]
    [InlineData("/endpoints/{endpoint}")]
    [InlineData("/endpoints/{endpoint}/edit")]
    public async Task probe_pages_have_no_serious_accessibility_violations(string path)
    {
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        if (path.Contains("{endpoint}", StringComparison.Ordinal))
        {
            var baseUrl = fixture.SimulatorProfile(new SimulatorProfile(), out _);
            var id = await RegisterAsync(page, "Accessible endpoint " + Guid.NewGuid().ToString("N")[..6], baseUrl);
            // Give the page something to draw: one probe, then look at it.
            await page.GetByRole(AriaRole.Button, new() { Name = "Probe now" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("probe-result")).ToContainTextAsync("Probe finished");
            path = path.Replace("{endpoint}", id.ToString(), StringComparison.Ordinal);
        }

        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));
    }

    [Fact]
    public async Task the_register_form_reports_mistakes_next_to_the_fields_and_keeps_what_was_typed()
    {
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await page.GotoAsync("/endpoints/new");
        await page.GetByLabel("Endpoint", new() { Exact = true }).FillAsync("Mistyped endpoint");
        await page.GetByLabel("Base URL").FillAsync("ftp://gpu.example.org");
        await page.GetByLabel("Model", new() { Exact = true }).FillAsync("sim-llama-3-8b");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register endpoint" }).ClickAsync();

        var errors = page.GetByTestId("errors");
        await Assertions.Expect(errors).ToContainTextAsync("Enter an http or https address");
        if (await page.Locator("#agency option").CountAsync() > 1)
        {
            // Nothing chosen yet: said together with the other mistakes, not one at a time.
            await Assertions.Expect(errors).ToContainTextAsync("Choose the agency this endpoint belongs to.");
        }

        var url = page.GetByLabel("Base URL");
        await Assertions.Expect(url).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(url).ToHaveValueAsync("ftp://gpu.example.org");
        await Assertions.Expect(page.GetByLabel("Endpoint", new() { Exact = true })).ToHaveValueAsync("Mistyped endpoint");
        Assert.EndsWith("/endpoints/new", page.Url, StringComparison.Ordinal);
    }

    /// <summary>Fills the register form as a person would and returns the new endpoint's id from the page it lands on.</summary>
    private static async Task<Guid> RegisterAsync(IPage page, string name, string baseUrl)
    {
        await page.GotoAsync("/endpoints/new");
        var agency = page.GetByLabel("Agency", new() { Exact = true });
        if (await agency.CountAsync() > 0)
        {
            await agency.SelectOptionAsync(HealthMinistry.ToString());
        }

        await page.GetByLabel("Endpoint", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Base URL").FillAsync(baseUrl);
        await page.GetByLabel("Server kind").SelectOptionAsync("Vllm");
        await page.GetByLabel("Model", new() { Exact = true }).FillAsync("sim-llama-3-8b");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register endpoint" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(EndpointPage());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        return Guid.Parse(EndpointPage().Match(page.Url).Groups[1].Value);
    }

    [GeneratedRegex("/endpoints/([0-9a-f-]{36})$")]
    private static partial Regex EndpointPage();
}
