using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using System.Text.RegularExpressions;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Forum.Screen;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>
/// The room screen's page and its event stream over HTTP on the real host: a member gets the panels and then the first
/// render; a saved assessment is pushed as a new render with the new number; people outside the group and anonymous
/// visitors without a link are refused with the right status (never a 500, never a stream).
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class ScreenEventsTests(PortalFixture portal)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task a_member_gets_the_first_render_and_then_a_saved_assessment_pushed_with_its_new_number()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync();
        await bed.AssessAsync(bed.Assessed, bed.ComputeIndicator, 2);
        using var member = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);
        using var cts = new CancellationTokenSource(Patience);

        using var response = await member.GetAsync(new Uri($"/forum/{bed.Session}/screen/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(cts.Token));

        var first = await events.NextAsync(ScreenEvents.ScreenEvent, cts.Token);
        Assert.Contains($"data-session=\"{bed.Session}\"", first, StringComparison.Ordinal);
        Assert.Matches(Cell(bed.Assessed, "Compute", "25"), first);

        await bed.AssessAsync(bed.Assessed, bed.ComputeIndicator, 5);

        var pushed = await events.NextAsync(ScreenEvents.ScreenEvent, cts.Token, html => Cell(bed.Assessed, "Compute", "100").IsMatch(html));
        Assert.Contains("lang=\"hi\"", pushed, StringComparison.Ordinal);
        Assert.Contains("lang=\"en\"", pushed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_page_shows_a_member_the_panels_in_both_languages_with_the_stamp_the_banner_and_the_script()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync();
        await bed.AssessAsync(bed.Assessed, bed.ComputeIndicator, 4);
        using var member = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);

        using var response = await member.GetAsync(new Uri($"/forum/{bed.Session}/screen", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var panel in Enum.GetNames<CoordinationPortal.Domain.Forum.ScreenPanel>())
        {
            Assert.Equal(2, Regex.Count(html, $"data-panel=\"{panel}\"")); // once per language
        }

        Assert.Matches(Cell(bed.Assessed, "Compute", "75"), html);
        Assert.Contains("Data as of ", html, StringComparison.Ordinal);
        Assert.Contains("तक का डेटा", html, StringComparison.Ordinal);
        Assert.Matches("id=\"screen-banner\"[^>]*role=\"alert\"[^>]*hidden", html);
        Assert.Matches("<script src=\"[^\"]*forum-screen[^\"]*\\.js\" defer", html);
        Assert.Contains($"data-events=\"/forum/{bed.Session}/screen/events\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-drawer", html, StringComparison.Ordinal); // no navigation chrome
    }

    [Fact]
    public async Task outsiders_and_anonymous_visitors_are_refused_by_the_page_and_the_stream_and_an_unknown_session_is_not_found()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync();
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var anonymous = portal.AnonymousClient();
        var unknown = Guid.NewGuid();

        foreach (var (who, client, path, status, words) in new (string, HttpClient, string, HttpStatusCode, string)[]
        {
            ("viewer", viewer, $"/forum/{bed.Session}/screen", HttpStatusCode.Forbidden, "for the members of the working group"),
            ("viewer", viewer, $"/forum/{bed.Session}/screen/events", HttpStatusCode.Forbidden, "for the members of the working group"),
            ("anonymous", anonymous, $"/forum/{bed.Session}/screen", HttpStatusCode.Unauthorized, "Sign in"),
            ("anonymous", anonymous, $"/forum/{bed.Session}/screen/events", HttpStatusCode.Unauthorized, "Sign in"),
            ("anonymous with a bad link", anonymous, $"/forum/{bed.Session}/screen?link=not-a-link", HttpStatusCode.Forbidden, "not valid"),
            ("anonymous with a bad link", anonymous, $"/forum/{bed.Session}/screen/events?link=not-a-link", HttpStatusCode.Forbidden, "not valid"),
            ("viewer", viewer, $"/forum/{unknown}/screen", HttpStatusCode.NotFound, ""), // the portal's own not-found page
            ("viewer", viewer, $"/forum/{unknown}/screen/events", HttpStatusCode.NotFound, "no such session"),
        })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(status == response.StatusCode, $"{who} {path}: {(int)response.StatusCode}, expected {(int)status}");
            Assert.True(body.Contains(words, StringComparison.Ordinal), $"{who} {path}: \"{words}\" not in: {body}");
            Assert.DoesNotContain("data-panel=", body, StringComparison.Ordinal);
            Assert.NotEqual("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task a_signed_in_viewers_open_screen_closes_once_they_sign_out()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync();
        var email = await Identity.Accounts.CreateAsync(portal.Factory.Services, "Admin", "Screen-sign-out-2026", "screen-admin");
        using var admin = await portal.SignedInClientAsync(email, "Screen-sign-out-2026");
        using var cts = new CancellationTokenSource(Patience);
        using var response = await admin.GetAsync(new Uri($"/forum/{bed.Session}/screen/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(cts.Token));
        await events.NextAsync(ScreenEvents.ScreenEvent, cts.Token);

        // Signing out renews the account's stamp; the open stream, authorised when it opened, finds out at its next check.
        var home = await admin.GetStringAsync(new Uri("/", UriKind.Relative), cts.Token);
        using var signOut = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(home) });
        using var signedOut = await admin.PostAsync(new Uri("/account/logout", UriKind.Relative), signOut, cts.Token);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var closed = JsonSerializer.Deserialize<JsonElement>(await events.NextAsync(ScreenEvents.ClosedEvent, cts.Token));
        Assert.Equal("SignInRequired", closed.GetProperty("code").GetString());
        await Assert.ThrowsAsync<EndOfStreamException>(() => events.ReadEventAsync(cts.Token));
    }

    [Fact]
    public async Task a_tv_opened_through_a_screen_link_is_closed_with_the_reason_when_the_link_is_revoked()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync();
        using var chair = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);
        var created = await (await chair.PostAsJsonAsync($"/api/v1/sessions/{bed.Session}/screen-links", new { label = "Hall TV" })).Content.ReadFromJsonAsync<JsonElement>();
        var link = Uri.UnescapeDataString(new Uri(created.GetProperty("url").GetString()!).Query.Split("link=")[1]);
        using var tv = portal.AnonymousClient();
        using var cts = new CancellationTokenSource(Patience);

        using var page = await tv.GetAsync(new Uri($"/forum/{bed.Session}/screen?link={Uri.EscapeDataString(link)}", UriKind.Relative), cts.Token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"screen/events?link={Uri.EscapeDataString(link)}", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync(cts.Token)), StringComparison.Ordinal);
        using var response = await tv.GetAsync(new Uri($"/forum/{bed.Session}/screen/events?link={Uri.EscapeDataString(link)}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(cts.Token));
        await events.NextAsync(ScreenEvents.ScreenEvent, cts.Token);

        var revoked = await chair.DeleteAsync(new Uri($"/api/v1/sessions/{bed.Session}/screen-links/{created.GetProperty("link").GetProperty("id").GetGuid()}", UriKind.Relative), cts.Token);
        Assert.True(revoked.IsSuccessStatusCode, $"revoke: {(int)revoked.StatusCode}");

        var closed = JsonSerializer.Deserialize<JsonElement>(await events.NextAsync(ScreenEvents.ClosedEvent, cts.Token));
        Assert.Equal("LinkRevoked", closed.GetProperty("code").GetString());
        Assert.Equal("This screen link was revoked.", closed.GetProperty("en").GetString());
        Assert.Equal("यह स्क्रीन लिंक रद्द कर दिया गया है।", closed.GetProperty("hi").GetString());
        await Assert.ThrowsAsync<EndOfStreamException>(() => events.ReadEventAsync(cts.Token)); // and the stream ends
    }

    [Fact]
    public async Task fifty_open_screens_of_a_session_share_one_render_per_change()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync();
        var broadcaster = portal.Factory.Services.GetRequiredService<ScreenBroadcaster>();
        using var member = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);
        using var cts = new CancellationTokenSource(Patience * 2);
        var streams = new List<(HttpResponseMessage Response, SseReader Events)>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var response = await member.GetAsync(new Uri($"/forum/{bed.Session}/screen/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
                streams.Add((response, new SseReader(await response.Content.ReadAsStreamAsync(cts.Token))));
            }

            foreach (var (_, events) in streams)
            {
                await events.NextAsync(ScreenEvents.ScreenEvent, cts.Token);
            }

            await Task.Delay(ScreenBroadcaster.FoldWindow * 3, cts.Token); // the renders the connections asked for are over
            var before = broadcaster.Renders;
            await bed.AssessAsync(bed.Assessed, bed.ComputeIndicator, 3);
            foreach (var (_, events) in streams)
            {
                await events.NextAsync(ScreenEvents.ScreenEvent, cts.Token, html => Cell(bed.Assessed, "Compute", "50").IsMatch(html));
            }

            // One render for the change (a second at most, if another test's change concerned the same session: none does).
            Assert.InRange(broadcaster.Renders - before, 1, 2);
        }
        finally
        {
            foreach (var (response, events) in streams)
            {
                events.Dispose();
                response.Dispose();
            }
        }
    }

    private static Regex Cell(Guid agency, string layer, string number) =>
        new($"data-layer=\"{layer}\" data-agency=\"{agency}\">\\s*{number}\\s*<", RegexOptions.None, TimeSpan.FromSeconds(5));

    /// <summary>Reads a text/event-stream one event at a time.</summary>
    internal sealed class SseReader(Stream stream) : IDisposable
    {
        private readonly StreamReader _reader = new(stream, Encoding.UTF8);

        /// <summary>The data of the next event of <paramref name="type"/> that <paramref name="accept"/> accepts (others are skipped).</summary>
        public async Task<string> NextAsync(string type, CancellationToken ct, Func<string, bool>? accept = null)
        {
            while (true)
            {
                var (eventType, data) = await ReadEventAsync(ct);
                if (eventType == type && (accept is null || accept(data)))
                {
                    return data;
                }
            }
        }

        public async Task<(string Type, string Data)> ReadEventAsync(CancellationToken ct)
        {
            var type = "message";
            var data = new StringBuilder();
            while (true)
            {
                var line = await _reader.ReadLineAsync(ct) ?? throw new EndOfStreamException("The event stream ended.");
                if (line.Length == 0)
                {
                    if (data.Length > 0 || type != "message")
                    {
                        return (type, data.ToString());
                    }

                    continue;
                }

                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    type = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    if (data.Length > 0)
                    {
                        data.Append('\n');
                    }

                    data.Append(line.AsSpan("data:".Length).TrimStart(' '));
                }
            }
        }

        public void Dispose() => _reader.Dispose();
    }
}
