using System.Net;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Kernel.Commands;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Performance;

/// <summary>
/// Read pages and API answers are cached per user, language and query, and a change notice (or a write made in this
/// process) evicts them. Observed from outside: a change written into the store without a notice stays invisible to
/// the cached read, and appears once the notice is published.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ReadCacheTests(PortalFixture portal)
{
    private IServiceProvider Services => portal.Factory.Services;

    [Theory]
    [InlineData("/api/v1/agencies")]
    [InlineData("/agencies/{0}")]
    public async Task a_second_read_is_served_from_the_cache_until_a_change_notice_evicts_it(string template)
    {
        var id = await NewAgencyAsync("Cache before");
        var path = template.Replace("{0}", id.ToString(), StringComparison.Ordinal);
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        Assert.Contains(NameOf(id, "Cache before"), await client.GetStringAsync(path));

        // Renamed in the store, and nobody told: the cached answer is still served.
        await RenameSilentlyAsync(id, NameOf(id, "Cache after"));
        var cached = await client.GetStringAsync(path);
        Assert.Contains(NameOf(id, "Cache before"), cached);
        Assert.DoesNotContain(NameOf(id, "Cache after"), cached);

        // The notice, as any process publishes it: the next read is fresh.
        await Services.GetRequiredService<ChangeFeed>().PublishAsync(new PortalChange(ChangeKinds.Agency, id, id), CancellationToken.None);
        var fresh = await client.GetStringAsync(path);
        Assert.Contains(NameOf(id, "Cache after"), fresh);
    }

    [Fact]
    public async Task a_notice_from_another_process_evicts_the_cache_through_the_feed()
    {
        var id = await NewAgencyAsync("Feed before");
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        Assert.Contains(NameOf(id, "Feed before"), await client.GetStringAsync("/api/v1/agencies"));
        await RenameSilentlyAsync(id, NameOf(id, "Feed after"));
        Assert.DoesNotContain(NameOf(id, "Feed after"), await client.GetStringAsync("/api/v1/agencies"));

        // A NOTIFY sent straight to PostgreSQL, as another portal process's commit sends it.
        await using (var second = portal.SecondProcess())
        {
            await second.Services.GetRequiredService<ChangeFeed>().PublishAsync(new PortalChange(ChangeKinds.Agency, id, id), CancellationToken.None);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        string answer;
        do
        {
            await Task.Delay(100);
            answer = await client.GetStringAsync("/api/v1/agencies");
        }
        while (!answer.Contains(NameOf(id, "Feed after"), StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.Contains(NameOf(id, "Feed after"), answer);
    }

    [Fact]
    public async Task a_write_through_the_portal_is_visible_on_the_very_next_read()
    {
        var id = await NewAgencyAsync("Write before");
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        Assert.Contains(NameOf(id, "Write before"), await client.GetStringAsync($"/agencies/{id}"));

        // Through the command runner: the process that commits evicts before the writer answers, not when the notice
        // comes back from PostgreSQL, so the next read (e.g. the GET after a form's redirect) is fresh.
        await using (var scope = Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>().HandleAsSystemAsync(
                new UpdateAgencyDetails(id, NameOf(id, "Write after"), AgencyKind.Ministry, "health", "national", "", DateTimeOffset.UtcNow), CancellationToken.None);
            Assert.IsType<CommandOutcome.Accepted>(outcome);
        }

        Assert.Contains(NameOf(id, "Write after"), await client.GetStringAsync($"/agencies/{id}"));
        Assert.Contains(NameOf(id, "Write after"), await client.GetStringAsync("/api/v1/agencies"));
    }

    [Fact]
    public async Task two_users_never_see_each_others_pages()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        for (var round = 0; round < 2; round++)
        {
            var viewerPage = await viewer.GetStringAsync("/");
            var leadPage = await lead.GetStringAsync("/");
            Assert.Contains(Demo.Viewer.Email, viewerPage);
            Assert.DoesNotContain(Demo.Lead.Email, viewerPage);
            Assert.Contains(Demo.Lead.Email, leadPage);
            Assert.DoesNotContain(Demo.Viewer.Email, leadPage);
        }
    }

    [Fact]
    public async Task the_same_user_in_two_browsers_gets_a_sign_out_form_each_browser_can_use()
    {
        // An account of its own: signing out renews the user's security stamp, which ends every session of that user,
        // and other tests keep the demo viewer signed in across their classes.
        const string password = "Read-cache-sign-out-2026";
        var user = await Identity.Accounts.CreateAsync(portal.Factory.Services, CoordinationPortal.Web.Identity.Roles.Viewer, password, "cache-sign-out");
        using var first = await portal.SignedInClientAsync(user, password);
        using var second = await portal.SignedInClientAsync(user, password);
        _ = await first.GetStringAsync("/");
        var page = await second.GetStringAsync("/"); // cached per antiforgery cookie: a token made for this browser

        using var signOut = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = CoordinationPortal.Tests.Support.PortalForms.AntiforgeryToken(page),
        });
        using var response = await second.PostAsync(new Uri("/account/logout", UriKind.Relative), signOut);
        Assert.NotEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((int)response.StatusCode < 400, $"sign-out answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task hindi_and_english_are_cached_apart()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        Assert.Contains("<html lang=\"en\"", await client.GetStringAsync("/flags"));

        using (await client.GetAsync("/culture?culture=hi-IN&returnUrl=/"))
        {
        }

        Assert.Contains("<html lang=\"hi\"", await client.GetStringAsync("/flags"));

        using (await client.GetAsync("/culture?culture=en-IN&returnUrl=/"))
        {
        }

        Assert.Contains("<html lang=\"en\"", await client.GetStringAsync("/flags"));
    }

    private static string NameOf(Guid id, string label) => $"{label} {id.ToString("N")[..8]}";

    private async Task<Guid> NewAgencyAsync(string label)
    {
        var id = Guid.NewGuid();
        var feed = Services.GetRequiredService<ChangeFeed>();
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (feed.Subscribe(c => c.SubjectId == id, _ => heard.TrySetResult()))
        {
            await using var scope = Services.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>().HandleAsSystemAsync(
                new RegisterAgency(id, NameOf(id, label), AgencyKind.Ministry, "health", "national", "", DateTimeOffset.UtcNow), CancellationToken.None);
            Assert.IsType<CommandOutcome.Accepted>(outcome);
            // The registration's own notice has come back, so it cannot evict in the middle of the test.
            await heard.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        return id;
    }

    /// <summary>Appends a rename straight to the stream (the inline projection updates the summary) with no change notice.</summary>
    private async Task RenameSilentlyAsync(Guid id, string name)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.Append(id, new AgencyDetailsUpdated(id, name, AgencyKind.Ministry, "health", "national", "test", DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }
}
