using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Notifications;
using CoordinationPortal.Web.OutOfStep;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.Notifications.NotificationTestBed;

namespace CoordinationPortal.Integration.Tests.Notifications;

[Collection(PortalTests.Name)]
public sealed class InAppNotificationTests(PortalFixture portal)
{
    private IServiceProvider Services => portal.Factory.Services;

    [Fact]
    public async Task the_agencys_leads_are_notified_and_nobody_else()
    {
        var lead = await CreateLeadAsync(Services);
        var otherLead = await CreateLeadAsync(Services);
        var flag = await RaiseAsync(Services, Demo.LedAgency, "Data lags Compute by 2 levels", "डेटा कंप्यूट से 2 स्तर पीछे है");
        // The agency's leads as the evaluator saw them: as the agency stores them, normalised.
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag, lead, otherLead));

        using var leadClient = await portal.SignedInClientAsync(lead, Password);
        var mine = await leadClient.GetFromJsonAsync<JsonElement>("/api/v1/notifications");
        var notification = Assert.Single(mine.EnumerateArray());
        Assert.Equal("Raised", notification.GetProperty("kind").GetString());
        Assert.Equal(flag.Id, notification.GetProperty("flagId").GetGuid());
        Assert.Equal(Demo.LedAgency, notification.GetProperty("agencyId").GetGuid());
        Assert.Equal("Ministry of Health and Family Welfare", notification.GetProperty("agencyName").GetString());
        Assert.Equal("spread", notification.GetProperty("ruleId").GetString());
        Assert.Equal("High", notification.GetProperty("severity").GetString());
        Assert.Equal("डेटा कंप्यूट से 2 स्तर पीछे है", notification.GetProperty("explanation").GetProperty("hi").GetString());
        Assert.False(notification.GetProperty("read").GetBoolean());

        using var otherClient = await portal.SignedInClientAsync(otherLead, Password);
        Assert.Single((await otherClient.GetFromJsonAsync<JsonElement>("/api/v1/notifications")).EnumerateArray());

        foreach (var account in new[] { Demo.Admin, Demo.Member, Demo.Viewer })
        {
            using var client = await portal.SignedInClientAsync(account.Email, account.Password);
            var theirs = await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications");
            Assert.DoesNotContain(theirs.EnumerateArray(), n => n.GetProperty("flagId").GetGuid() == flag.Id);
        }
    }

    [Fact]
    public async Task a_resolution_is_a_second_notification_newest_first()
    {
        var lead = await CreateLeadAsync(Services);
        var flag = await RaiseAsync(Services, Demo.LedAgency, "raised then resolved", "उठाया फिर हल");
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag, lead));
        var resolved = await ResolveAsync(Services, flag);
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Resolved, resolved, lead));
        // Told twice of the same resolution (an evaluation retried): still one notification for it.
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Resolved, resolved, lead));

        using var client = await portal.SignedInClientAsync(lead, Password);
        var list = (await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications")).EnumerateArray().ToList();
        Assert.Equal("Resolved,Raised", string.Join(',', list.Select(n => n.GetProperty("kind").GetString())));
    }

    [Fact]
    public async Task a_person_marks_their_own_notifications_read_but_not_anothers()
    {
        var lead = await CreateLeadAsync(Services);
        var other = await CreateLeadAsync(Services);
        var first = await RaiseAsync(Services, Demo.LedAgency, "first", "पहला");
        var second = await RaiseAsync(Services, Demo.LedAgency, "second", "दूसरा");
        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, first, lead), Notice(FlagNoticeKind.Raised, second, lead, other));

        using var otherClient = await portal.SignedInClientAsync(other, Password);
        using var client = await portal.SignedInClientAsync(lead, Password);
        var ids = (await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications")).EnumerateArray()
            .ToDictionary(n => n.GetProperty("explanation").GetProperty("en").GetString()!, n => n.GetProperty("id").GetGuid());

        using var notTheirs = await otherClient.PostAsync($"/api/v1/notifications/{ids["first"]}/read", null);
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        using var unknown = await client.PostAsync($"/api/v1/notifications/{Guid.NewGuid()}/read", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications?unreadOnly=true")).GetArrayLength());

        using var marked = await client.PostAsync($"/api/v1/notifications/{ids["first"]}/read", null);
        Assert.Equal(HttpStatusCode.NoContent, marked.StatusCode);
        var unread = await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications?unreadOnly=true");
        Assert.Equal("second", Assert.Single(unread.EnumerateArray()).GetProperty("explanation").GetProperty("en").GetString());

        using var all = await client.PostAsync("/api/v1/notifications/read", null);
        Assert.Equal(HttpStatusCode.NoContent, all.StatusCode);
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications?unreadOnly=true")).GetArrayLength());
        var everything = await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications");
        Assert.All(everything.EnumerateArray(), n => Assert.True(n.GetProperty("read").GetBoolean()));

        // Marking all read touched nobody else's.
        Assert.Equal(1, (await otherClient.GetFromJsonAsync<JsonElement>("/api/v1/notifications?unreadOnly=true")).GetArrayLength());
    }

    [Fact]
    public async Task the_notifications_api_needs_a_sign_in()
    {
        using var anonymous = portal.AnonymousClient();
        using var list = await anonymous.GetAsync("/api/v1/notifications");
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        using var read = await anonymous.PostAsync($"/api/v1/notifications/{Guid.NewGuid()}/read", null);
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
    }

    [Fact]
    public async Task notifications_are_stored_only_when_the_evaluation_commits()
    {
        var lead = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@portal.local";
        var flag = await RaiseAsync(Services, Demo.LedAgency, "never saved", "never saved");
        await using (var scope = Services.CreateAsyncScope())
        {
            var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
            await new InAppNotifications().StageAsync(session, [Notice(FlagNoticeKind.Raised, flag, lead)], CancellationToken.None);
        }

        await using var query = Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(0, await query.Query<Notification>().CountAsync(n => n.Recipient == lead));

        await StageAndCommitAsync(Services, Notice(FlagNoticeKind.Raised, flag, lead));
        Assert.Equal(1, await query.Query<Notification>().CountAsync(n => n.Recipient == lead));
    }
}
