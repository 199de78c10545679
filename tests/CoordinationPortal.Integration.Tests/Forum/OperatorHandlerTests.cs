using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.WorkingGroups;
using CoordinationPortal.Web.Forum.Operator;
using CoordinationPortal.Web.Kernel.Changes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>
/// The screen state handler on the real database: who may operate a session's screen, the first change inserting the
/// document, operators changing it at the same moment (both land), the change announced on the feed, and the screen
/// read-only once minutes are drafted.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class OperatorHandlerTests(PortalFixture portal)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static ClaimsPrincipal As(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    private async Task<T> WithHandlerAsync<T>(Func<ScreenStateHandler, Task<T>> act)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<ScreenStateHandler>());
    }

    private Task<ScreenOutcome> ActAsync(ClaimsPrincipal user, Guid sessionId, ScreenCommand command) =>
        WithHandlerAsync(h => h.ActAsync(user, sessionId, command, CancellationToken.None));

    private async Task<ScreenState?> StoredAsync(Guid sessionId)
    {
        await using var query = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await query.LoadAsync<ScreenState>(sessionId);
    }

    private async Task<GroupSession> SessionAsync(Guid sessionId)
    {
        await using var query = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await query.LoadAsync<GroupSession>(sessionId))!;
    }

    /// <summary>A planned session of a new group of the cast, with one agenda item of 12 minutes.</summary>
    private static async Task<(Guid Group, Guid Session)> NewSessionAsync(WorkingGroupApiCast cast)
    {
        var group = await cast.NewGroupAsync("Screen operators' group");
        var (session, _) = await cast.FutureSessionAsync(group, "Screen session", new[] { new { title = "Compute pooling", durationMinutes = 12 } });
        return (group, session);
    }

    [Fact]
    public async Task only_the_groups_chair_and_secretary_and_admins_may_operate_its_screen()
    {
        var cast = await ForAsync(portal);
        var (group, session) = await NewSessionAsync(cast);

        var allowed = new (string Who, ClaimsPrincipal User, ScreenPanel Panel)[]
        {
            ("admin", As(Demo.Admin.Email, Roles.Admin), ScreenPanel.Flags),
            ("chair", As(cast.ChairName, Roles.Member), ScreenPanel.Changes),
            ("secretary", As(cast.SecretaryName, Roles.Member), ScreenPanel.ActionItems),
        };
        foreach (var (who, user, panel) in allowed)
        {
            var result = await ActAsync(user, session, new ShowPanel(panel, "", default));
            Assert.True(result.Outcome is CommandOutcome.Accepted { Appended: 1 }, $"{who}: {result.Outcome}");
            var stored = await StoredAsync(session);
            Assert.Equal(panel, stored!.Shown);
            Assert.Equal(user.Identity!.Name, stored.ChangedBy);
        }

        // The demo lead leads no member agency of the group (an outside lead) until the health ministry joins (a member's lead).
        var lead = As(Demo.Lead.Email, Roles.AgencyLead);
        var refused = new List<(string Who, ClaimsPrincipal User)>
        {
            ("member", As(cast.MemberName, Roles.Member)),
            ("observer", As(cast.ObserverName, Roles.Viewer)),
            ("outside-lead", lead),
            ("viewer", As(Demo.Viewer.Email, Roles.Viewer)),
            ("anonymous", new ClaimsPrincipal(new ClaimsIdentity())),
        };
        await AssertRefusedAsync(session, refused);
        await ExpectAsync(cast.Admin.PostAsJsonAsync($"/api/v1/working-groups/{group}/members", new { agencyId = Demo.LedAgency }), HttpStatusCode.OK);
        await AssertRefusedAsync(session, [("member-lead", lead)]);
        Assert.Equal(ScreenPanel.ActionItems, (await StoredAsync(session))!.Shown);

        // Their view of the session carries no screen state at all.
        var view = await WithHandlerAsync(h => h.ViewAsync(As(cast.MemberName, Roles.Member), session, CancellationToken.None));
        Assert.NotNull(view);
        Assert.False(view.Access.Manages);
        Assert.Null(view.Screen);
    }

    private async Task AssertRefusedAsync(Guid session, IEnumerable<(string Who, ClaimsPrincipal User)> people)
    {
        foreach (var (who, user) in people)
        {
            var result = await ActAsync(user, session, new ShowPanel(ScreenPanel.Heatmap, "", default));
            Assert.True(result.Outcome is CommandOutcome.Forbidden, $"{who}: {result.Outcome}");
            Assert.Null(result.Screen);
        }
    }

    [Fact]
    public async Task the_first_change_inserts_the_screen_state_and_announces_it_on_the_feed()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await NewSessionAsync(cast);
        var chair = As(cast.ChairName, Roles.Member);
        Assert.Null(await StoredAsync(session));

        // Nothing to change on the default stores nothing.
        var unchanged = await ActAsync(chair, session, new SetLanguage(ScreenLanguage.English, "", default));
        Assert.True(unchanged.Outcome is CommandOutcome.Accepted { Appended: 0 }, unchanged.Outcome.ToString());
        Assert.Null(await StoredAsync(session));

        var heard = new TaskCompletionSource<PortalChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = portal.Factory.Services.GetRequiredService<ChangeFeed>()
            .Subscribe(c => c.SubjectId == session && c.Kind == ChangeKinds.ForumScreen, c => heard.TrySetResult(c));

        var result = await ActAsync(chair, session, new SetLanguage(ScreenLanguage.Hindi, "", default));
        Assert.True(result.Outcome is CommandOutcome.Accepted { Appended: 1 }, result.Outcome.ToString());
        var stored = await StoredAsync(session);
        Assert.NotNull(stored);
        Assert.Equal(session, stored.Id);
        Assert.Equal(ScreenLanguage.Hindi, stored.Language);
        var change = await heard.Task.WaitAsync(Patience);
        Assert.True(change.FromThisProcess);

        // A later change updates the same document and is announced too.
        heard = new TaskCompletionSource<PortalChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var second = portal.Factory.Services.GetRequiredService<ChangeFeed>()
            .Subscribe(c => c.SubjectId == session && c.Kind == ChangeKinds.ForumScreen, c => heard.TrySetResult(c));
        Assert.True((await ActAsync(chair, session, new ShowPanel(ScreenPanel.Agenda, "", default))).Outcome is CommandOutcome.Accepted { Appended: 1 });
        await heard.Task.WaitAsync(Patience);
        stored = await StoredAsync(session);
        Assert.Equal((ScreenLanguage.Hindi, ScreenPanel.Agenda), (stored!.Language, stored.Shown));
    }

    [Fact]
    public async Task operators_changing_the_screen_at_the_same_moment_all_land_on_a_new_and_on_a_stored_document()
    {
        var cast = await ForAsync(portal);
        var chair = As(cast.ChairName, Roles.Member);
        var secretary = As(cast.SecretaryName, Roles.Member);
        var admin = As(Demo.Admin.Email, Roles.Admin);
        for (var round = 0; round < 3; round++)
        {
            var (_, session) = await NewSessionAsync(cast);
            var item = (await SessionAsync(session)).Agenda.Single().Id;

            // Three first changes at once: one insert wins, the others are decided again on it.
            using var start = new ManualResetEventSlim(false);
            var outcomes = new ConcurrentBag<CommandOutcome>();
            var writers = new (ClaimsPrincipal User, ScreenCommand Command)[]
            {
                (chair, new SetLanguage(ScreenLanguage.Alternate, "", default)),
                (secretary, new StartCountdown(item, null, "", default)),
                (admin, new StartRotation([ScreenPanel.Heatmap, ScreenPanel.Flags], 30, "", default)),
            };
            await Task.WhenAll(writers.Select(w => Task.Run(async () =>
            {
                start.Wait();
                outcomes.Add((await ActAsync(w.User, session, w.Command)).Outcome);
            })).Append(Task.Run(start.Set)));

            Assert.All(outcomes, o => Assert.True(o is CommandOutcome.Accepted { Appended: 1 }, o.ToString()));
            var stored = await StoredAsync(session);
            Assert.NotNull(stored);
            Assert.Equal(ScreenLanguage.Alternate, stored.Language);
            Assert.Equal(item, stored.Countdown?.AgendaItemId);
            Assert.True(stored.Rotating);
            Assert.Equal([ScreenPanel.Heatmap, ScreenPanel.Flags], stored.RotationPanels);

            // Then two more at once on the stored document.
            var later = await Task.WhenAll(
                Task.Run(() => ActAsync(chair, session, new ExtendCountdown(1, "", default))),
                Task.Run(() => ActAsync(secretary, session, new SetLanguage(ScreenLanguage.Hindi, "", default))));
            Assert.All(later, r => Assert.True(r.Outcome is CommandOutcome.Accepted { Appended: 1 }, r.Outcome.ToString()));
            stored = await StoredAsync(session);
            Assert.Equal(ScreenLanguage.Hindi, stored!.Language);
            Assert.Equal(TimeSpan.FromMinutes(13), stored.Countdown!.EndsAt - stored.Countdown.StartedAt);
        }
    }

    [Fact]
    public async Task once_minutes_are_drafted_the_screen_is_read_only_and_an_unknown_session_is_not_found()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var (drafted, _) = await cast.DraftedSessionAsync(group);
        var chair = As(cast.ChairName, Roles.Member);

        var result = await ActAsync(chair, drafted, new ShowPanel(ScreenPanel.Flags, "", default));
        var invalid = Assert.IsType<CommandOutcome.Invalid>(result.Outcome);
        Assert.Equal("Screen.SessionClosed", Assert.Single(invalid.Errors).Code);
        Assert.Null(await StoredAsync(drafted));

        Assert.IsType<CommandOutcome.NotFound>((await ActAsync(chair, Guid.NewGuid(), new ShowPanel(ScreenPanel.Flags, "", default))).Outcome);
    }
}
