using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.OutOfStep;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Briefings.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Briefings;

/// <summary>
/// When printing fails: a Chromium that will not start is retried by the job and the briefing still arrives; a portal
/// without Chromium keeps running and says what to install.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class BriefingFailureTests(PortalFixture portal)
{
    [Fact]
    public async Task a_browser_that_fails_to_start_is_retried_by_the_job_and_the_briefing_arrives()
    {
        var folder = Directory.CreateTempSubdirectory("cp-flaky-chromium-");
        try
        {
            // Fails its first start (as a crashed launch does), then is the real browser.
            var script = Path.Combine(folder.FullName, "chromium");
            var marker = Path.Combine(folder.FullName, "failed-once");
            var real = Web.Briefings.Printing.PrintSettings.KnownPaths.First(File.Exists);
            await File.WriteAllTextAsync(script, $"#!/bin/sh\nif [ ! -f '{marker}' ]; then touch '{marker}'; exit 1; fi\nexec '{real}' \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var settings = new Dictionary<string, string>(portal.ProbeSettings) { ["Briefings:RunServer"] = "true", ["Briefings:ChromiumPath"] = script };
            await using var worker = new PortalHostFactory(portal.Database.ConnectionString, seedDemo: false, settings);
            _ = worker.Server;

            using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
            var agency = await RollupTestData.AgencyAsync(portal, "Briefing retry agency", RollupTestData.UniqueCode("br"), "national",
                new Dictionary<string, int> { ["data.quality-management"] = 2 });
            var (pdf, _, version) = await BriefingWorker.DownloadAsync(client, $"/api/v1/briefings/agency/{agency}?lang=en");

            Assert.True(File.Exists(marker), "the first start did not fail");
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
            var store = portal.Factory.Services.GetRequiredService<BriefingStore>();
            Assert.Contains(await store.RecentAsync(50, CancellationToken.None), r => r.Target.Subject == agency.ToString("D") && r.Version.Tag == version);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task without_chromium_the_portal_runs_and_the_api_says_what_to_install()
    {
        var settings = new Dictionary<string, string>(portal.ProbeSettings) { ["Briefings:ChromiumPath"] = "/nonexistent/chromium" };
        await using var host = new PortalHostFactory(portal.Database.ConnectionString, seedDemo: false, settings);
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await PortalForms.SignInAsync(client, Demo.Viewer.Email, Demo.Viewer.Password);

        using var portfolio = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, portfolio.StatusCode);

        var agency = await RollupTestData.AgencyAsync(portal, "Briefing without Chromium", RollupTestData.UniqueCode("bn"), "national",
            new Dictionary<string, int> { ["data.quality-management"] = 2 });
        using var response = await client.GetAsync(new Uri($"/api/v1/briefings/agency/{agency}?lang=en", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Chromium", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("apt-get install -y chromium fonts-noto-core", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The Briefings page says the same, in words and with the command.
        var page = await client.GetStringAsync(new Uri($"/briefings?scope=agency&subject={agency}&lang=en", UriKind.Relative));
        Assert.Contains("Chromium is not installed", page, StringComparison.Ordinal);
        Assert.Contains("<code>apt-get install -y chromium fonts-noto-core</code>", page, StringComparison.Ordinal);
    }
}
