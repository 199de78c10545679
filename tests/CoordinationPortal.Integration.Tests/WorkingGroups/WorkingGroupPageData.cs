using System.Net;
using System.Security.Claims;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.WorkingGroups;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>
/// Puts working groups in place for the page tests through the same handler the pages use, and posts the pages'
/// server-rendered forms as a browser does (GET for the antiforgery token, then POST, repeated keys allowed).
/// </summary>
internal static class WorkingGroupPageData
{
    public static readonly ClaimsPrincipal Admin = User(Demo.Admin.Email, Roles.Admin);

    /// <summary>The demo member account, made chair of each test group: a chair who is not an admin.</summary>
    public static readonly ClaimsPrincipal Chair = User(Demo.Member.Email, Roles.Member);

    public static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    private static async Task<T> WithHandlerAsync<T>(PortalFixture portal, Func<WorkingGroupHandler, Task<T>> act)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<WorkingGroupHandler>());
    }

    /// <summary>A group of the led agency and another, with the demo member as its chair.</summary>
    public static async Task<Guid> GroupAsync(PortalFixture portal, string name, params Guid[] members)
    {
        var id = Guid.NewGuid();
        members = members.Length > 0 ? members : [Demo.LedAgency, Demo.OtherAgency];
        Assert.IsType<CommandOutcome.Accepted>(await WithHandlerAsync(portal, h => h.FormAsync(
            Admin, id, new LocalizedText(name, "समूह " + name), new LocalizedText("Coordinate AI compute.", "एआई कंप्यूट का समन्वय।"), ForumKind.National, members, default)));
        Assert.IsType<CommandOutcome.Accepted>(await WithHandlerAsync(portal, h => h.ActOnGroupAsync(
            Admin, new AddPerson(id, Demo.Member.Email, GroupRole.Chair, null, DateOnly.FromDateTime(DateTime.Today), "", default), null, default)));
        return id;
    }

    public static Task<CommandOutcome> ActAsync(PortalFixture portal, ClaimsPrincipal user, GroupCommand command) =>
        WithHandlerAsync(portal, h => h.ActOnGroupAsync(user, command, null, default));

    public static Task<CommandOutcome> ActAsync(PortalFixture portal, ClaimsPrincipal user, SessionCommand command) =>
        WithHandlerAsync(portal, h => h.ActOnSessionAsync(user, command, null, default));

    public static async Task<Guid> SessionAsync(PortalFixture portal, Guid groupId, string title, DateTimeOffset startsAt)
    {
        var id = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await WithHandlerAsync(portal, h => h.ScheduleSessionAsync(
            Chair, groupId, id, title, startsAt, startsAt.AddHours(2), "Room 4, Nirman Bhawan", null, [], default)));
        return id;
    }

    public static async Task<Guid> ItemAsync(
        PortalFixture portal, Guid groupId, string title, Guid agencyId, DateOnly due, Guid? sessionId = null, Layer layer = Layer.Data, ActionTarget? target = null)
    {
        var id = Guid.NewGuid();
        var outcome = await WithHandlerAsync(portal, h => h.RecordActionItemAsync(Chair, groupId, id, title, agencyId, null, layer, null, target, due, sessionId, default));
        Assert.IsType<CommandOutcome.Accepted>(outcome);
        return id;
    }

    public static Task<CommandOutcome> StatusAsync(PortalFixture portal, ClaimsPrincipal user, Guid itemId, ActionStatus status, string? note = null) =>
        WithHandlerAsync(portal, h => h.ActOnActionItemAsync(user, new ChangeActionStatus(itemId, status, note, "", default), null, default));

    public static async Task<string> PageAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode}, expected {(int)expected}");
        return html;
    }

    /// <summary>The answer to a form post: <see cref="Html"/> decoded for reading, <see cref="Raw"/> as sent (to check escaping).</summary>
    public sealed record Posted(HttpStatusCode Status, string? Location, string Html, string Raw);

    /// <summary>Posts a page's form (<paramref name="handler"/> is its FormName); a key may repeat (a multiple select, checkboxes).</summary>
    public static async Task<Posted> PostAsync(HttpClient client, string path, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var form = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var all = new List<KeyValuePair<string, string>>(fields)
        {
            new("_handler", handler),
            new("__RequestVerificationToken", PortalForms.AntiforgeryToken(form)),
        };
        using var content = new FormUrlEncodedContent(all);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : null;
        var raw = await response.Content.ReadAsStringAsync();
        return new Posted(response.StatusCode, location, WebUtility.HtmlDecode(raw), raw);
    }

    public static KeyValuePair<string, string> F(string key, string value) => new(key, value);

    /// <summary>The markup from the element with this data-testid to the first closing <paramref name="tag"/> after it.</summary>
    public static string Part(string html, string testId, string tag)
    {
        var start = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No {testId} on the page");
        var end = html.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
        return end < 0 ? html[start..] : html[start..end];
    }
}
