using System.Globalization;
using System.Text.RegularExpressions;
using CoordinationPortal.Simulator;
using CoordinationPortal.Web.Seeding;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// The shell as a person meets it: pages keep their prerendered content when the live connection takes over; every
/// page fits a 390 px phone (and 200 % zoom) with the language switch and Sign out reachable, and passes axe there in
/// English and Hindi; the desktop bar does not wrap at 1366 px; unknown addresses and ids get the portal's own
/// not-found page; the focus ring and the "as of" banner meet WCAG AA contrast.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class LayoutBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Admin = DemoSeeder.Accounts.Single(a => a.Role == Roles.Admin);
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == Roles.Viewer);
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == Roles.AgencyLead);
    private static readonly Guid Maharashtra = SeedHistory.StableId("agency:maharashtra-health-services");

    /// <summary>
    /// Watches the page from its first byte: every time the DOM changes, whether the main region still has its heading
    /// and how much text it holds. A loading bar that replaces the prerendered page shows as a moment without the h1.
    /// </summary>
    private const string FlickerWatch = """
        (() => {
            window.__flicker = { changes: 0, withoutHeading: 0, loadingBars: 0, shrunk: 0, first: null };
            const look = () => {
                const main = document.querySelector('main');
                if (!main) return;
                const text = main.innerText.length;
                const f = window.__flicker;
                if (f.first === null) { if (main.querySelector('h1')) f.first = text; return; }
                f.changes++;
                if (!main.querySelector('h1')) f.withoutHeading++;
                const bar = main.querySelector('[role=progressbar], .mud-progress-linear');
                if (bar) { f.loadingBars++; f.bar = bar.outerHTML.slice(0, 160) + ' h1=' + !!main.querySelector('h1') + ' ' + location.pathname; }
                if (text < f.first / 2) f.shrunk++;
            };
            new MutationObserver(look).observe(document, { childList: true, subtree: true, characterData: true });
            document.addEventListener('DOMContentLoaded', look);
        })();
        """;

    [Fact]
    public async Task the_agency_framework_and_endpoint_pages_keep_their_prerendered_content_when_the_live_connection_takes_over()
    {
        var page = await fixture.SignedInPageAsync(Admin.Email, Admin.Password);
        var endpoint = await EndpointAsync(page);
        await page.Context.AddInitScriptAsync(FlickerWatch);

        foreach (var path in new[] { $"/agencies/{Maharashtra}", "/framework", endpoint, "/endpoints" })
        {
            var socket = page.WaitForWebSocketAsync(new() { Predicate = s => s.Url.Contains("_blazor", StringComparison.Ordinal), Timeout = 30_000 });
            await page.GotoAsync(path);
            await socket;
            // The circuit's socket is open: give its first renders (the moment the loading bar used to show) time to land.
            await page.WaitForTimeoutAsync(3_000);

            var bar = await page.EvaluateAsync<string?>("() => window.__flicker.bar || null");
            var seen = await page.EvaluateAsync<Dictionary<string, int?>>("() => { const { bar, ...counts } = window.__flicker; return counts; }");
            Assert.NotNull(seen["first"]);
            Assert.True(seen["withoutHeading"] == 0, $"{path}: the main region lost its heading {seen["withoutHeading"]} times after load");
            Assert.True(seen["loadingBars"] == 0, $"{path}: a loading bar replaced the prerendered content: {bar}");
            Assert.True(seen["shrunk"] == 0, $"{path}: the main region's text shrank to under half after load");
            // Still live: the page is the interactive one (the heading is there and nothing was lost).
            await Assertions.Expect(page.Locator("main h1")).ToHaveCountAsync(1);
        }
    }

    [Fact]
    public async Task every_page_fits_a_phone_with_the_language_switch_and_sign_out_reachable_and_passes_axe_in_both_languages()
    {
        var admin = await fixture.SignedInPageAsync(Admin.Email, Admin.Password);
        var routes = Environment.GetEnvironmentVariable("LAYOUT_ROUTES") is { Length: > 0 } only ? [.. only.Split(',')] : await RoutesAsync(admin);
        await admin.Context.CloseAsync();

        var failures = new List<string>();
        foreach (var language in new[] { "en-IN", "hi-IN" })
        {
            var page = await PhoneAsync(Admin, language);
            foreach (var path in routes)
            {
                await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                failures.AddRange(await PhoneProblemsAsync(page, path, language));
            }

            await page.Context.CloseAsync();
        }

        // Signed out: the sign-in and denied pages.
        foreach (var language in new[] { "en-IN", "hi-IN" })
        {
            var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseUrl, Locale = language, ViewportSize = new() { Width = 390, Height = 844 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/culture?culture={language}&returnUrl=%2Faccount%2Flogin");
            foreach (var path in new[] { "/account/login", "/account/denied" })
            {
                await page.GotoAsync(path);
                failures.AddRange(await PhoneProblemsAsync(page, path, language, signedIn: false));
            }

            await context.CloseAsync();
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("en-IN")]
    [InlineData("hi-IN")]
    public async Task the_desktop_bar_keeps_to_one_line_at_1366_px_and_the_phone_menu_groups_the_admin_links(string language)
    {
        // The admin and the lead have the most links (Administration, My agencies, Notifications).
        foreach (var account in new[] { Admin, Lead })
        {
            var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseUrl, Locale = language, ViewportSize = new() { Width = 1366, Height = 768 } });
            var page = await context.NewPageAsync();
            await SignInAsync(page, account, language);
            await page.GotoAsync("/");
            var nav = page.GetByTestId("wide-nav");
            await Assertions.Expect(nav).ToBeVisibleAsync();

            // Every link of the bar on one line: the same top, and the bar no taller than one line of it.
            var tops = await nav.Locator(":scope > .nav-link, :scope > details > summary").EvaluateAllAsync<double[]>("els => els.map(e => Math.round(e.getBoundingClientRect().top))");
            Assert.True(tops.Length >= 6, $"{account.Role} {language}: only {tops.Length} links in the bar");
            // One line: a badge may shift a link by a pixel or two; a second line would be a whole line (20 px or more) lower.
            Assert.True(tops.Max() - tops.Min() < 10, $"{account.Role} {language}: the bar wraps (link tops {string.Join(", ", tops)})");
            var header = await page.Locator("header").First.BoundingBoxAsync();
            Assert.True(header!.Height <= 80, $"{account.Role} {language}: the app bar is {header.Height} px tall");
            var overflow = await page.EvaluateAsync<double>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{account.Role} {language}: the page scrolls sideways by {overflow} px at 1366 px");
            await context.CloseAsync();
        }

        // On a phone the admin's links are one Administration disclosure inside the Menu, opened with the keyboard.
        var phone = await PhoneAsync(Admin, language);
        await phone.GotoAsync("/");
        var menu = phone.GetByTestId("nav-menu");
        await menu.Locator("> summary").ClickAsync();
        var administration = menu.GetByTestId("admin-menu");
        await Assertions.Expect(administration.Locator("> summary")).ToBeVisibleAsync();
        await Assertions.Expect(administration.Locator("a[href='/admin/users']")).ToBeHiddenAsync();
        await administration.Locator("> summary").FocusAsync();
        await phone.Keyboard.PressAsync("Enter");
        await Assertions.Expect(administration.Locator("a[href='/admin/users']")).ToBeVisibleAsync();
        var sideways = await phone.EvaluateAsync<double>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(sideways <= 0, $"{language}: the open menu makes the phone page scroll sideways by {sideways} px");
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task an_unknown_address_or_id_gets_the_portals_own_not_found_page_in_english_and_hindi()
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);

        var unknown = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, unknown!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Page not found" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Go to the portfolio" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".language-switch")).ToBeVisibleAsync(); // the layout, with its navigation

        foreach (var path in new[] { $"/agencies/{Guid.NewGuid()}", $"/endpoints/{Guid.NewGuid()}", $"/working-groups/{Guid.NewGuid()}",
                     $"/sessions/{Guid.NewGuid()}", $"/action-items/{Guid.NewGuid()}" })
        {
            var response = await page.GotoAsync(path);
            Assert.True(response!.Status == 404, $"{path} answered {response.Status}");
            await Assertions.Expect(page.GetByTestId("not-found")).ToHaveTextAsync("Page not found");
        }

        await page.GotoAsync("/culture?culture=hi-IN&returnUrl=%2Fframework");
        var hindi = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, hindi!.Status);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "hi");
        await Assertions.Expect(page.GetByTestId("not-found")).ToHaveTextAsync("पृष्ठ नहीं मिला");
        var hindiAgency = await page.GotoAsync($"/agencies/{Guid.NewGuid()}");
        Assert.Equal(404, hindiAgency!.Status);
        await Assertions.Expect(page.GetByTestId("not-found")).ToHaveTextAsync("पृष्ठ नहीं मिला");

        // The API keeps its ProblemDetails.
        var api = await page.Context.APIRequest.GetAsync($"{fixture.BaseUrl}/api/v1/nothing-here");
        Assert.Equal(404, api.Status);
        Assert.StartsWith("application/problem+json", api.Headers["content-type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_focus_ring_and_the_as_of_banner_meet_wcag_aa_contrast()
    {
        var page = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        var asOf = DateTime.UtcNow.AddDays(-60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GotoAsync($"/agencies/{Maharashtra}?asOf={asOf}");
        await Assertions.Expect(page.GetByTestId("as-of-banner")).ToBeVisibleAsync();

        var contrast = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "rule", Values = ["color-contrast"] },
        });
        Assert.True(contrast.Violations.Length == 0,
            string.Join("\n", contrast.Violations.SelectMany(v => v.Nodes.Select(n => $"{v.Id}: {n.Html}"))));

        // The keyboard's focus on a link in the page (white around it): the outline against white is at least 3:1.
        await page.Keyboard.PressAsync("Tab");
        var link = page.Locator("main a.secondary-link").First;
        await link.FocusAsync();
        var style = await page.EvaluateAsync<string[]>("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }");
        Assert.NotEqual("none", style[0]);
        Assert.True(double.Parse(style[1].Replace("px", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) >= 2, style[1]);
        var ratio = ContrastWithWhite(style[2]);
        Assert.True(ratio >= 3, $"focus outline {style[2]} on white is {ratio:0.00}:1");
    }

    private static double ContrastWithWhite(string cssColour)
    {
        var parts = Regex.Matches(cssColour, @"[\d.]+").Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        static double Channel(double c)
        {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        var luminance = (0.2126 * Channel(parts[0])) + (0.7152 * Channel(parts[1])) + (0.0722 * Channel(parts[2]));
        return 1.05 / (luminance + 0.05);
    }

    private async Task<IPage> PhoneAsync(DemoAccount account, string language)
    {
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseUrl, Locale = language, ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await SignInAsync(page, account, language);
        return page;
    }

    private static async Task SignInAsync(IPage page, DemoAccount account, string language)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("input[type=email]").FillAsync(account.Email);
        await page.Locator("input[type=password]").FillAsync(account.Password);
        await page.Locator("form button[type=submit]").Last.ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync($"/culture?culture={language}&returnUrl=%2Fframework");
    }

    /// <summary>What is wrong with the page at phone width: sideways scrolling, an unreachable language switch or Sign out, axe.</summary>
    private static async Task<List<string>> PhoneProblemsAsync(IPage page, string path, string language, bool signedIn = true)
    {
        var problems = new List<string>();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        if (overflow > 0)
        {
            var culprits = await page.EvaluateAsync<string>("""
                () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                        && !(e.parentElement && e.parentElement.closest('.table-scroll')) && getComputedStyle(e).position !== 'fixed')
                    .slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + '[' + Math.round(e.getBoundingClientRect().width) + ']').join(', ')
                """);
            problems.Add($"{language} {path}: the page scrolls sideways by {overflow}px ({culprits})");
        }

        if (!await page.Locator(".language-switch").IsVisibleAsync())
        {
            problems.Add($"{language} {path}: no language switch");
        }

        if (signedIn)
        {
            var menu = page.GetByTestId("nav-menu");
            if (!await menu.IsVisibleAsync())
            {
                problems.Add($"{language} {path}: no Menu button");
            }
            else
            {
                await menu.Locator(":scope > summary").ClickAsync();
                if (!await menu.Locator("form button[type=submit]").IsVisibleAsync())
                {
                    problems.Add($"{language} {path}: Sign out is not in the menu");
                }

                await menu.Locator(":scope > summary").ClickAsync();
            }
        }

        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        problems.AddRange(results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{language} {path}: axe {v.Id}: {v.Help} ({v.Nodes.Length}) e.g. {v.Nodes.FirstOrDefault()?.Html}"));
        return problems;
    }

    /// <summary>An endpoint's page: one registered against the simulator and probed once (the demo here has none).</summary>
    private async Task<string> EndpointAsync(IPage page)
    {
        var baseUrl = fixture.SimulatorProfile(new SimulatorProfile(), out _);
        await page.GotoAsync("/endpoints/new");
        var agency = page.GetByLabel("Agency", new() { Exact = true });
        if (await agency.CountAsync() > 0)
        {
            await agency.SelectOptionAsync(SeedHistory.StableId("agency:health-ministry").ToString());
        }

        await page.GetByLabel("Endpoint", new() { Exact = true }).FillAsync("Layout " + Guid.NewGuid().ToString("N")[..6]);
        await page.GetByLabel("Base URL").FillAsync(baseUrl);
        await page.GetByLabel("Server kind").SelectOptionAsync("Vllm");
        await page.GetByLabel("Model", new() { Exact = true }).FillAsync("sim-llama-3-8b");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register endpoint" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/endpoints/[0-9a-f-]{36}$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Probe now" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("probe-result")).ToContainTextAsync("Probe finished");
        return new Uri(page.Url).AbsolutePath;
    }

    private static async Task<string> FirstLinkAsync(IPage page, string from, string selector)
    {
        await page.GotoAsync(from);
        var link = page.Locator(selector).First;
        await Assertions.Expect(link).ToBeAttachedAsync();
        return await link.GetAttributeAsync("href") ?? throw new InvalidOperationException($"No link {selector} on {from}");
    }

    /// <summary>Every page of the portal, with ids taken from the demo data (one of each kind).</summary>
    private async Task<List<string>> RoutesAsync(IPage admin)
    {
        var guid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
        var endpoint = await EndpointAsync(admin);
        var group = await FirstLinkAsync(admin, "/working-groups", "main a[href^='/working-groups/']:not([href$='/new'])");
        var session = await FirstLinkAsync(admin, group, "main a[href^='/sessions/']");
        var item = await FirstLinkAsync(admin, group, "main a[href^='/action-items/']");
        Assert.Matches(guid, endpoint);
        return
        [
            "/", "/flags", "/flags/rollups", "/framework", "/endpoints", endpoint, "/endpoints/new", endpoint + "/edit",
            $"/agencies/{Maharashtra}", $"/agencies/{Maharashtra}/assess/{fixture.IndicatorIds("compute.")[0]}",
            "/notifications", "/working-groups", "/working-groups/new", group, group + "/people", group + "/sessions/new",
            group + "/decisions/new", group + "/action-items/new", session, item, "/briefings", "/vote",
            "/admin/agencies", "/admin/users", "/admin/probe-network", "/admin/webhooks", "/account/tokens", "/no-such-page",
        ];
    }
}
