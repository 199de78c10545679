using System.Net;
using System.Security.Claims;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Forum.Polls;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CoordinationPortal.Integration.Tests.Forum.PollApiCast;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>
/// The poll components the screen and the operator's page embed, rendered to HTML by the real host's services (as the
/// screen renders its panels): the room-screen panel before and after the reveal, and the operator's controls by role.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class PollComponentTests(PortalFixture portal)
{
    [Fact]
    public async Task the_screen_panel_shows_how_to_join_and_the_votes_cast_then_the_results_once_revealed()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (poll, code) = await OpenAsync(cast, session);
        await VoteAsync(cast.Member, poll, "yes");
        var joinUrl = PollQr.JoinUrl("https://portal.example.gov.in", code);

        var before = await RenderAsync<PollScreenPanel>(await ScreenViewAsync(poll), joinUrl);
        Assert.Contains("Adopt the shared GPU booking policy?", before, StringComparison.Ordinal);
        Assert.Contains($"Join at portal.example.gov.in/vote with code <span class=\"poll-screen-code\" data-testid=\"poll-code\">{code[..3]} {code[3..]}</span>", before, StringComparison.Ordinal);
        Assert.Contains($"alt=\"QR code that opens the voting page {joinUrl}\"", before, StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/svg+xml;base64,", before, StringComparison.Ordinal);
        Assert.Contains("Votes cast: 1", before, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"poll-results\"", before, StringComparison.Ordinal);

        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/close", HttpStatusCode.OK);
        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/reveal", HttpStatusCode.OK);
        var after = await RenderAsync<PollScreenPanel>(await ScreenViewAsync(poll), joinUrl);
        Assert.Contains("Voting is closed", after, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"poll-qr\"", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"result-yes\">Votes: 1 (100%)", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"result-no\">Votes: 0 (0%)", after, StringComparison.Ordinal);
        Assert.Contains("width:100%", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_operator_controls_list_the_sessions_polls_for_its_managers_and_refuse_others()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (poll, code) = await OpenAsync(cast, session);
        await VoteAsync(cast.Member, poll, "no");

        var chair = await RenderOperatorAsync(session, cast.ChairName);
        Assert.Contains("data-testid=\"poll-open-form\"", chair, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"poll-{poll:N}\"", chair, StringComparison.Ordinal);
        Assert.Contains($"{code[..3]} {code[3..]}", chair, StringComparison.Ordinal);
        Assert.Contains("Votes cast: 1", chair, StringComparison.Ordinal);
        Assert.Contains(">Close</button>", chair, StringComparison.Ordinal);
        Assert.Contains(">Show on screen</button>", chair, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"poll-results\"", chair, StringComparison.Ordinal);

        var member = await RenderOperatorAsync(session, cast.MemberName);
        Assert.Contains("Only the group's chair and secretary (and admins) run polls.", member, StringComparison.Ordinal);
        Assert.DoesNotContain("poll-open-form", member, StringComparison.Ordinal);
        Assert.DoesNotContain(poll.ToString("N"), member, StringComparison.Ordinal);
    }

    private async Task<PollView> ScreenViewAsync(Guid poll)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<PollQueries>().ForScreenAsync(poll))!;
    }

    private Task<string> RenderAsync<T>(PollView view, string joinUrl)
        where T : IComponent =>
        RenderAsync<T>(new Dictionary<string, object?> { ["Poll"] = view, ["JoinUrl"] = joinUrl });

    private Task<string> RenderOperatorAsync(Guid session, string user)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, "Member")], "test"));
        RenderFragment controls = b =>
        {
            b.OpenComponent<PollOperatorControls>(0);
            b.AddAttribute(1, nameof(PollOperatorControls.SessionId), session);
            b.CloseComponent();
        };
        return RenderAsync<CascadingValue<Task<AuthenticationState>>>(new Dictionary<string, object?>
        {
            ["Value"] = Task.FromResult(new AuthenticationState(principal)),
            ["ChildContent"] = controls,
        });
    }

    private async Task<string> RenderAsync<T>(Dictionary<string, object?> parameters)
        where T : IComponent
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        // Forms with handlers ask where they are (in the real page the circuit has said so).
        if (scope.ServiceProvider.GetRequiredService<NavigationManager>() is Microsoft.AspNetCore.Components.Routing.IHostEnvironmentNavigationManager navigation)
        {
            navigation.Initialize("http://localhost/", "http://localhost/forum/operate");
        }

        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        return WebUtility.HtmlDecode(html);
    }
}
