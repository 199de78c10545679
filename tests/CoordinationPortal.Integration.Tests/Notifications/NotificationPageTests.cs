using System.Net;
using System.Text.RegularExpressions;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.OutOfStep;
using static CoordinationPortal.Integration.Tests.Notifications.NotificationTestBed;
using static CoordinationPortal.Integration.Tests.ProbePages.ProbePageForms;

namespace CoordinationPortal.Integration.Tests.Notifications;

/// <summary>The notifications page and the webhooks admin pages, server-rendered, read and posted without a browser.</summary>
[Collection(PortalTests.Name)]
public sealed partial class NotificationPageTests(PortalFixture portal)
{
    private IServiceProvider Services => portal.Factory.Services;

    [Fact]
    public async Task a_lead_sees_their_notifications_with_the_unread_count_in_english_and_hindi()
    {
        var lead = await CreateLeadAsync(Services);
        var flag = await RaiseAsync(Services, Demo.LedAgency, "Compute is at level 4 but Data is at level 2", "कंप्यूट स्तर 4 पर है लेकिन डेटा स्तर 2 पर है");
        var other = await RaiseAsync(Services, Demo.LedAgency, "Operations leads Skills", "संचालन कौशल से आगे है");
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag, lead), Notice(FlagNoticeKind.Raised, other, lead));

        using var client = await portal.SignedInClientAsync(lead, Password);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/notifications"));
        Assert.Contains("<h1 class=\"mud-typography mud-typography-h4\">Notifications</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Compute is at level 4 but Data is at level 2", html, StringComparison.Ordinal);
        Assert.Contains("Flag raised", html, StringComparison.Ordinal);
        Assert.Contains("High severity", html, StringComparison.Ordinal);
        Assert.Contains("Ministry of Health and Family Welfare", html, StringComparison.Ordinal);
        Assert.Contains("2 unread of 2.", html, StringComparison.Ordinal);
        Assert.Equal("2", UnreadBadge(html));
        Assert.Contains("<caption>Your notifications, newest first</caption>", html, StringComparison.Ordinal);

        using (await client.GetAsync("/culture?culture=hi-IN&returnUrl=/notifications")) { }
        var hindi = WebUtility.HtmlDecode(await client.GetStringAsync("/notifications"));
        Assert.Contains("<html lang=\"hi\"", hindi, StringComparison.Ordinal);
        Assert.Contains("कंप्यूट स्तर 4 पर है लेकिन डेटा स्तर 2 पर है", hindi, StringComparison.Ordinal);
        Assert.Contains("फ़्लैग उठाया गया", hindi, StringComparison.Ordinal);
        Assert.Contains("उच्च गंभीरता", hindi, StringComparison.Ordinal);
        Assert.Contains("2 में से 2 अपठित।", hindi, StringComparison.Ordinal);
        Assert.Contains("सभी को पढ़ा हुआ चिह्नित करें", hindi, StringComparison.Ordinal);
        Assert.DoesNotContain("Compute is at level 4", hindi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task marking_one_and_then_all_as_read_through_the_page()
    {
        var lead = await CreateLeadAsync(Services);
        var first = await RaiseAsync(Services, Demo.LedAgency, "first on the page", "पृष्ठ पर पहला");
        var second = await RaiseAsync(Services, Demo.LedAgency, "second on the page", "पृष्ठ पर दूसरा");
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, first, lead));
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, second, lead));
        using var client = await portal.SignedInClientAsync(lead, Password);
        var page = await client.GetStringAsync("/notifications");
        var ids = NotificationIds().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, ids.Count);

        var one = await PostAsync(client, "/notifications", "notifications-read", new() { ["One.Id"] = ids[1] });
        Assert.Equal(HttpStatusCode.Redirect, one.Status);
        Assert.Equal("/notifications?page=1&marked=one", one.Location);
        var afterOne = WebUtility.HtmlDecode(await client.GetStringAsync(one.Location));
        Assert.Contains("Marked as read.", afterOne, StringComparison.Ordinal);
        Assert.Contains($"data-notification-id=\"{ids[1]}\" data-read=\"true\"", afterOne, StringComparison.Ordinal);
        Assert.Contains($"data-notification-id=\"{ids[0]}\" data-read=\"false\"", afterOne, StringComparison.Ordinal);
        Assert.Equal("1", UnreadBadge(afterOne));

        var all = await PostAsync(client, "/notifications", "notifications-read-all", new());
        Assert.Equal(HttpStatusCode.Redirect, all.Status);
        var afterAll = WebUtility.HtmlDecode(await client.GetStringAsync(all.Location));
        Assert.Contains("All notifications are marked as read.", afterAll, StringComparison.Ordinal);
        Assert.DoesNotContain("data-read=\"false\"", afterAll, StringComparison.Ordinal);
        Assert.Null(UnreadBadge(afterAll));
        Assert.Contains("0 unread of 2.", afterAll, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_person_with_no_notifications_is_told_so()
    {
        var lead = await CreateLeadAsync(Services);
        using var client = await portal.SignedInClientAsync(lead, Password);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/notifications"));
        Assert.Contains("You have no notifications.", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/notifications\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin/webhooks\"", html, StringComparison.Ordinal);

        using var anonymous = portal.AnonymousClient();
        using var refused = await anonymous.GetAsync("/notifications");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/login", refused.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task only_admins_reach_the_webhooks_pages()
    {
        foreach (var account in new[] { Demo.Lead, Demo.Member, Demo.Viewer })
        {
            using var client = await portal.SignedInClientAsync(account.Email, account.Password);
            foreach (var path in new[] { "/admin/webhooks", $"/admin/webhooks/{Guid.NewGuid()}" })
            {
                using var refused = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
                Assert.StartsWith("/account/denied", refused.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
            }
        }

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var html = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks"));
        Assert.Contains("href=\"/admin/webhooks\"", html, StringComparison.Ordinal); // the admin's navigation link
        Assert.Contains("X-Portal-Signature", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_admin_adds_a_webhook_sees_the_generated_secret_once_sends_a_test_and_reads_the_log()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var invalid = await PostAsync(admin, "/admin/webhooks", "webhook-create", new()
        {
            ["Create.Name"] = "Bad one", ["Create.Url"] = "ftp://alerts.example.org/x", ["Create.Raised"] = "True", ["Create.Secret"] = "typed-secret-not-echoed",
        });
        Assert.Equal(HttpStatusCode.OK, invalid.Status);
        Assert.Contains("id=\"webhook-url-error\"", invalid.Html, StringComparison.Ordinal);
        Assert.Contains("Enter an absolute http or https address", invalid.Html, StringComparison.Ordinal);
        Assert.Matches("id=\"webhook-url\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"webhook-url\"", invalid.Html);
        Assert.DoesNotContain("typed-secret-not-echoed", invalid.Html, StringComparison.Ordinal);

        // A webhook to the portal's own machine: the SSRF guard refuses it, which the test shows at once.
        var name = UniqueName("Local hook");
        var added = await PostAsync(admin, "/admin/webhooks", "webhook-create", new()
        {
            ["Create.Name"] = name, ["Create.Url"] = "http://127.0.0.1:9/hook", ["Create.Raised"] = "True", ["Create.Secret"] = "",
        });
        Assert.Contains($"Webhook {name} added.", added.Html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"new-secret\"", added.Html, StringComparison.Ordinal);
        var secret = Regex.Match(added.Html, "whsec_[0-9a-f]{64}").Value;
        Assert.NotEmpty(secret);
        Assert.Contains("it will not be shown again", added.Html, StringComparison.Ordinal);
        var id = Regex.Match(added.Html, $"data-webhook-id=\"([0-9a-f-]+)\">\\s*<th scope=\"row\"><a href=\"/admin/webhooks/[0-9a-f-]+\">{Regex.Escape(name)}</a>").Groups[1].Value;
        Assert.NotEmpty(id);

        var again = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks"));
        Assert.DoesNotContain(secret, again, StringComparison.Ordinal);
        Assert.Contains("Set (not shown)", again, StringComparison.Ordinal);

        var test = await PostAsync(admin, "/admin/webhooks", "webhook-action", new() { ["Action.Do"] = $"test:{id}" });
        Assert.Contains($"Test to {name} failed: Refused to connect to 127.0.0.1 (a loopback address)", test.Html, StringComparison.Ordinal);

        var log = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/webhooks/{id}"));
        Assert.Contains($"Delivery log: {name}", log, StringComparison.Ordinal);
        Assert.Contains("data-status=\"Failed\"", log, StringComparison.Ordinal);
        Assert.Contains("Refused to connect to 127.0.0.1", log, StringComparison.Ordinal);
        Assert.Contains("<caption>Deliveries, newest first (at most 100)</caption>", log, StringComparison.Ordinal);

        var disabled = await PostAsync(admin, "/admin/webhooks", "webhook-action", new() { ["Action.Do"] = $"disable:{id}" });
        Assert.Contains($"Webhook {name} disabled", disabled.Html, StringComparison.Ordinal);
        var deleted = await PostAsync(admin, "/admin/webhooks", "webhook-action", new() { ["Action.Do"] = $"delete:{id}" });
        Assert.Contains($"Webhook {name} and its delivery log deleted.", deleted.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-webhook-id=\"{id}\"", deleted.Html, StringComparison.Ordinal);
        using var gone = await admin.GetAsync($"/admin/webhooks/{id}");
        Assert.Contains("No webhook with this identifier exists.", WebUtility.HtmlDecode(await gone.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_webhooks_page_reads_in_hindi()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using (await admin.GetAsync("/culture?culture=hi-IN&returnUrl=/admin/webhooks")) { }
        var html = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks"));
        Assert.Contains("वेबहुक जोड़ें", html, StringComparison.Ordinal);
        Assert.Contains("गुप्त मान", html, StringComparison.Ordinal);
        Assert.Contains("प्रशासन", html, StringComparison.Ordinal); // the navigation's Administration group, which holds Webhooks
    }

    private static string? UnreadBadge(string html)
    {
        var match = Regex.Match(html, "data-testid=\"unread-count\"[^>]*>(\\d+)<");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("data-notification-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex NotificationIds();
}
