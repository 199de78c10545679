using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Forum.Operator;
using CoordinationPortal.Web.Seeding;
using CoordinationPortal.Web.WorkingGroups;
using Deque.AxeCore.Playwright;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests.Forum;

/// <summary>
/// The room screen in a real browser: a lead's saved assessment reaches an open screen without a reload, whether the
/// screen is served by the same portal process or another; the loud banner shows while the live connection is down and
/// goes when it is back; the screen passes axe in English and Hindi on every panel.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ScreenBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Admin = DemoSeeder.Accounts.Single(a => a.Role == "Admin");
    private static readonly DemoAccount Lead = DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");
    private static readonly DemoAccount Member = DemoSeeder.Accounts.Single(a => a.Role == "Member");

    private PortalClock Clock => fixture.Services.GetRequiredService<PortalClock>();

    private string ComputeIndicator => fixture.Services.GetRequiredService<ReadinessFramework>().LayerOf(Layer.Compute).Indicators[0].Id;

    [Fact]
    public async Task a_leads_saved_assessment_appears_on_the_open_screen_without_a_reload()
    {
        var (agency, session) = await SessionAsync();
        var screen = await fixture.SignedInPageAsync(Member.Email, Member.Password);
        await ExpectNewScoreWithoutReloadAsync(screen, agency, session);
    }

    [Fact]
    public async Task a_screen_served_by_a_second_portal_process_shows_an_assessment_saved_on_the_first()
    {
        var (second, secondUrl) = fixture.StartSecondPortal();
        await using var _ = second;
        var (agency, session) = await SessionAsync();
        var screen = await fixture.SignedInPageAsync(Member.Email, Member.Password, secondUrl);
        await ExpectNewScoreWithoutReloadAsync(screen, agency, session);
    }

    [Fact]
    public async Task the_banner_shows_while_the_live_connection_is_down_and_goes_when_it_is_back()
    {
        var (_, session) = await SessionAsync();
        var port = FreePort();
        var serving = StartPortalOn(port);
        try
        {
            var screen = await fixture.SignedInPageAsync(Member.Email, Member.Password, $"http://127.0.0.1:{port}");
            await screen.GotoAsync($"/forum/{session}/screen");
            var main = screen.Locator("#screen");
            var banner = screen.Locator("#screen-banner");
            await Assertions.Expect(main).ToHaveAttributeAsync("data-live", "up");
            await Assertions.Expect(banner).ToBeHiddenAsync();

            // The process serving the screen stops: the stream drops, the banner says so with the data's time.
            await serving.DisposeAsync();
            await Assertions.Expect(main).ToHaveAttributeAsync("data-live", "down");
            await Assertions.Expect(banner).ToBeVisibleAsync();
            await Assertions.Expect(banner).ToContainTextAsync("Live connection lost — reconnecting… (showing data as of ");
            await Assertions.Expect(banner).ToContainTextAsync(await screen.Locator("#screen-body").GetAttributeAsync("data-as-of") ?? "?");

            // It comes back on the same address: the screen reconnects by itself and the banner goes.
            serving = StartPortalOn(port);
            await Assertions.Expect(main).ToHaveAttributeAsync("data-live", "up", new() { Timeout = 30_000 });
            await Assertions.Expect(banner).ToBeHiddenAsync();
        }
        finally
        {
            await serving.DisposeAsync();
        }
    }

    [Fact]
    public async Task every_panel_of_the_screen_passes_axe_in_english_and_hindi()
    {
        var (agency, session) = await SessionAsync();
        await FlagAsync(agency);
        await ItemAsync(session, agency);
        var agendaItem = await AgendaItemAsync(session);
        await OperateAsync(session, _ => [new StartCountdown(agendaItem, 5, "", default)]);
        var screen = await fixture.SignedInPageAsync(Member.Email, Member.Password);
        await screen.SetViewportSizeAsync(1920, 1080);

        foreach (var language in new[] { ScreenLanguage.English, ScreenLanguage.Hindi })
        {
            foreach (var panel in Enum.GetValues<ScreenPanel>())
            {
                await OperateAsync(session, state =>
                [
                    new SetLanguage(language, "", default),
                    .. panel == ScreenPanel.Poll ? [new ShowPoll(Guid.NewGuid(), "", default)] : Array.Empty<ScreenCommand>(), // a poll before its panel
                    new ShowPanel(panel, "", default),
                ]);
                await screen.GotoAsync($"/forum/{session}/screen");
                var lang = language == ScreenLanguage.Hindi ? "hi" : "en";
                var shown = screen.Locator($"div.screen-lang[lang='{lang}'] section[data-panel='{panel}']");
                await Assertions.Expect(shown).ToBeVisibleAsync();
                await Assertions.Expect(screen.Locator("html")).ToHaveAttributeAsync("lang", lang);
                var results = await screen.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
                {
                    RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                });
                var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
                Assert.True(serious.Count == 0, $"{panel} in {lang}: " + string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes) e.g. {v.Nodes.FirstOrDefault()?.Html}")));
                if (panel == ScreenPanel.Heatmap)
                {
                    // Read from the back of the room: the numbers are at least 3rem (48 px) on a 1080p screen.
                    var size = await shown.Locator($"td[data-agency='{agency}']").First.EvaluateAsync<double>("td => parseFloat(getComputedStyle(td).fontSize)");
                    Assert.True(size >= 48, $"heatmap numbers are {size}px");
                }
            }
        }
    }

    /// <summary>The screen shows the agency's Compute score; the lead saves a new level in the assess form on another page.</summary>
    private async Task ExpectNewScoreWithoutReloadAsync(IPage screen, Guid agency, Guid session)
    {
        await screen.GotoAsync($"/forum/{session}/screen");
        var cell = screen.Locator($"div.screen-lang[lang='en'] section[data-panel='Heatmap'] td[data-agency='{agency}'][data-layer='Compute']");
        await Assertions.Expect(cell).ToHaveTextAsync("25");
        await Assertions.Expect(screen.Locator("#screen")).ToHaveAttributeAsync("data-live", "up");
        var navigations = 0;
        screen.FrameNavigated += (_, _) => navigations++;

        var lead = await fixture.SignedInPageAsync(Lead.Email, Lead.Password);
        await lead.GotoAsync($"/agencies/{agency}/assess/{ComputeIndicator}");
        await lead.Locator("#level-4").CheckAsync();
        await lead.GetByLabel("Evidence note").FillAsync("GPU cluster commissioned; utilisation report attached.");
        await lead.Locator("#url").FillAsync("https://records.example.gov.in/compute/cluster");
        await lead.GetByRole(AriaRole.Button, new() { Name = "Save assessment" }).ClickAsync();
        await Assertions.Expect(lead).ToHaveURLAsync(new Regex($"/agencies/{agency}\\?saved="));

        await Assertions.Expect(cell).ToHaveTextAsync("75");
        Assert.Equal(0, navigations);
        await Assertions.Expect(screen.Locator("div.screen-lang[lang='en'] section[data-panel='Changes'] li[data-change='Assessed']").First).ToContainTextAsync("level 2 → 4");
    }

    /// <summary>An agency the demo lead leads (its Compute at 25), in a group chaired by the demo member, whose session began 30 minutes ago.</summary>
    private async Task<(Guid Agency, Guid Session)> SessionAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var agency = Guid.NewGuid();
        await using var scope = fixture.Services.CreateAsyncScope();
        var agencies = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await agencies.HandleAsSystemAsync(new RegisterAgency(agency, $"Screen agency {tag}", AgencyKind.Regulator, "health", "national", "", default), default));
        Assert.IsType<CommandOutcome.Accepted>(await agencies.HandleAsSystemAsync(new AssignLead(agency, Lead.Email, "", default), default));
        Assert.IsType<CommandOutcome.Accepted>(await agencies.HandleAsSystemAsync(
            new AssessIndicator(agency, ComputeIndicator, 2, "Initial compute survey.", "https://records.example.gov.in/compute/survey", null, null, "", DateTimeOffset.UtcNow), default));

        var groups = scope.ServiceProvider.GetRequiredService<WorkingGroupHandler>();
        var admin = Person(Admin.Email, Roles.Admin);
        var chair = Person(Member.Email, Roles.Member);
        var group = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await groups.FormAsync(
            admin, group, new LocalizedText($"Screen group {tag}", $"स्क्रीन समूह {tag}"), new LocalizedText("Compute.", "कंप्यूट।"), ForumKind.Sector, [agency], default));
        Assert.IsType<CommandOutcome.Accepted>(await groups.ActOnGroupAsync(admin, new AddPerson(group, Member.Email, GroupRole.Chair, null, Clock.Today, "", default), null, default));
        var session = Guid.NewGuid();
        var start = Clock.Now.AddMinutes(-30);
        Assert.IsType<CommandOutcome.Accepted>(await groups.ScheduleSessionAsync(
            chair, group, session, $"Screen session {tag}", start, start.AddHours(2), "Committee room", null,
            [new AgendaEntry(null, "Compute pooling", 20, "Chair", agency, Layer.Compute, null)], default));
        Assert.IsType<CommandOutcome.Accepted>(await groups.ActOnSessionAsync(chair, new StartSession(session, [], "", default), null, default));
        return (agency, session);
    }

    private async Task FlagAsync(Guid agency)
    {
        var rule = "screen-axe-" + Guid.NewGuid().ToString("N")[..6];
        var id = FlagIds.For(agency, rule, "");
        await using var session = fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream<Flag>(id, new FlagRaised(
            id, agency, rule, "lead", "", FlagSeverity.High, [Layer.Compute, Layer.Data], [new Figure("leadingLevel", 4), new Figure("laggingLevel", 2)],
            new LocalizedText("Compute is at level 4 but Data is at level 2.", "कंप्यूट स्तर 4 पर है पर डेटा स्तर 2 पर है।"), 1, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }

    private async Task ItemAsync(Guid session, Guid agency)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var documents = scope.ServiceProvider.GetRequiredService<IQuerySession>();
        var group = (await documents.LoadAsync<GroupSession>(session))!.GroupId;
        Assert.IsType<CommandOutcome.Accepted>(await scope.ServiceProvider.GetRequiredService<WorkingGroupHandler>().RecordActionItemAsync(
            Person(Member.Email, Roles.Member), group, Guid.NewGuid(), "Publish the GPU capacity plan", agency, null, Layer.Compute, null, null, Clock.Today.AddDays(-2), session, default));
    }

    /// <summary>What the chair does on the operator panel, through its handler (which stores the state and announces it).</summary>
    private async Task OperateAsync(Guid session, Func<ScreenState, IReadOnlyList<ScreenCommand>> commands)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<ScreenStateHandler>().ActAsync(Person(Member.Email, Roles.Member), session, commands, default);
        Assert.IsType<CommandOutcome.Accepted>(outcome.Outcome);
    }

    private async Task<Guid> AgendaItemAsync(Guid session)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IQuerySession>().LoadAsync<GroupSession>(session))!.Agenda[0].Id;
    }

    /// <summary>Another portal process on the same database, at a port the test chooses (so it can come back at the same address).</summary>
    private PortalHostFactory StartPortalOn(int port)
    {
        var connection = fixture.Services.GetRequiredService<IConfiguration>()["ConnectionStrings:Portal"]!;
        var portal = new PortalHostFactory(connection, seedDemo: false);
        portal.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        portal.StartServer();
        return portal;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static ClaimsPrincipal Person(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));
}
