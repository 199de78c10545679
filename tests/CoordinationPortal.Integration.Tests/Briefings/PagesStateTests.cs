using System.Text.RegularExpressions;
using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupPageData;

namespace CoordinationPortal.Integration.Tests.Briefings;

/// <summary>
/// The Briefings page with the feature's <c>BriefingService</c> behind it: the form lists what the reader may choose,
/// an address no briefing has is a worded 400 beside the form, nothing there is a 404, a group's briefing is a worded
/// 403 for someone who does not read the whole group, and the national briefing in Hindi shows progress and then the
/// download, and is listed among the recent ones.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class PagesStateTests(PortalFixture portal)
{
    private const string InvalidText = "This is not a briefing the portal can prepare";

    [Fact]
    public async Task the_form_lists_the_sectors_jurisdictions_and_agencies_with_national_in_the_readers_language_chosen()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var html = await PageAsync(viewer, "/briefings");

        Assert.Contains("<h1 class=\"mud-typography mud-typography-h4\">Briefings</h1>", html, StringComparison.Ordinal);
        var form = Part(html, "briefing-form", "form");
        Assert.Contains("<form method=\"get\" action=\"/briefings\"", html, StringComparison.Ordinal);
        Assert.Contains("<legend>What the briefing covers</legend>", form, StringComparison.Ordinal);
        Assert.Contains("id=\"scope-national\" name=\"scope\" value=\"national\" checked", form, StringComparison.Ordinal);
        Assert.Contains("<option value=\"health\">Health</option>", Part(form, "subjects-sector", "select"), StringComparison.Ordinal);
        Assert.Contains("<option value=\"IN-MH\">Maharashtra</option>", Part(form, "subjects-jurisdiction", "select"), StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{Demo.OtherAgency}\">", Part(form, "subjects-agency", "select"), StringComparison.Ordinal);
        Assert.Contains("id=\"lang-en\" name=\"lang\" value=\"en\" checked", form, StringComparison.Ordinal);
        Assert.Contains("<label for=\"lang-hi\" lang=\"hi\">हिन्दी</label>", form, StringComparison.Ordinal);
        Assert.Contains("Prepare briefing</button>", form, StringComparison.Ordinal);
        Assert.DoesNotContain("briefing-state", html, StringComparison.Ordinal);
        Assert.Contains("Recent briefings", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_form_of_the_briefings_page_comes_back_as_the_short_address_of_the_chosen_briefing()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var agency = Demo.OtherAgency;
        // The form sends every scope's drop-down; only the chosen scope's one counts.
        using var response = await viewer.GetAsync(new Uri(
            $"/briefings?scope=jurisdiction&sector=health&jurisdiction=IN-KA&agency={agency}&lang=hi", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/briefings?scope=jurisdiction&subject=IN-KA&lang=hi", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
    }

    [Theory]
    [InlineData("/briefings?scope=planet&subject=all&lang=en")]
    [InlineData("/briefings?scope=national&subject=everything&lang=hi")]
    [InlineData("/briefings?scope=sector&subject=health&lang=fr")]
    [InlineData("/briefings?scope=agency&subject=not-a-guid")]
    [InlineData("/briefings?scope=sector&subject=%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("/briefings?scope=agency&agency=&lang=en")]
    [InlineData("/briefings?subject=health")]
    public async Task an_address_no_briefing_has_is_a_400_page_with_the_worded_error_beside_the_form(string address)
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var response = await viewer.GetAsync(new Uri(address, UriKind.Relative));
        var raw = await response.Content.ReadAsStringAsync();
        var html = WebUtility.HtmlDecode(raw);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(InvalidText, Part(html, "briefing-invalid", "p"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"briefing-form\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sector", "no-such-sector")]
    [InlineData("jurisdiction", "IN-XX")]
    [InlineData("agency", "7b0c2b55-51b0-4c5a-9a4b-4c0f5d1b2f10")]
    [InlineData("working-group", "7b0c2b55-51b0-4c5a-9a4b-4c0f5d1b2f10")]
    public async Task a_briefing_of_nothing_is_a_404(string scope, string subject)
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var html = await PageAsync(viewer, $"/briefings?scope={scope}&subject={subject}&lang=en", HttpStatusCode.NotFound);
        // The portal's not-found handling answers (as for a group or an action item that does not exist), never a 5xx.
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_groups_briefing_is_a_worded_403_for_a_viewer_and_not_listed_for_them()
    {
        var name = $"Briefing refusal {Guid.NewGuid():N}"[..26];
        var group = await GroupAsync(portal, name);

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var refused = await PageAsync(viewer, $"/briefings?scope=working-group&subject={group}&lang=en", HttpStatusCode.Forbidden);
        Assert.Contains("only people who read the whole group", Part(refused, "briefing-forbidden", "div"), StringComparison.Ordinal);
        Assert.DoesNotContain(name, refused, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/v1/briefings/working-group", refused, StringComparison.Ordinal);

        // The chair reads the whole group: the group is among their choices and its briefing is not refused.
        using var member = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);
        Assert.Contains($"<option value=\"{group}\">{name}</option>", await PageAsync(member, "/briefings"), StringComparison.Ordinal);
        using var allowed = await member.GetAsync(new Uri($"/briefings?scope=working-group&subject={group}&lang=en", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task the_national_briefing_in_hindi_shows_progress_then_the_download_and_is_listed_as_recent()
    {
        // The suite's portal works no jobs: a second process prints, as a worker container would.
        await using var worker = BriefingWorker.Start(portal);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var address = "/briefings?scope=national&subject=all&lang=hi";
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string html;
        while (true)
        {
            html = await PageAsync(viewer, address);
            var state = Part(html, "briefing-state", "h2");
            Assert.Contains("data-state=\"", state, StringComparison.Ordinal);
            Assert.DoesNotContain("data-state=\"unavailable\"", state, StringComparison.Ordinal); // the test command installs Chromium
            Assert.DoesNotContain("data-state=\"failed\"", state, StringComparison.Ordinal);
            if (!state.Contains("data-state=\"pending\"", StringComparison.Ordinal))
            {
                break;
            }

            // While it is prepared (unless an earlier test prepared it): a polite live region, a manual check, and a refresh with no script.
            var pending = Part(html, "briefing-pending", "div");
            Assert.Contains("role=\"status\" aria-live=\"polite\"", html, StringComparison.Ordinal);
            Assert.Contains("Preparing the briefing… this page refreshes by itself.", pending, StringComparison.Ordinal);
            // Both carry the data sequence asked for, so the briefing printed for this request is served however busy the portal is.
            var after = Regex.Match(pending, "href=\"" + Regex.Escape(address.Split("&after=")[0]) + "&(?:amp;)?after=([0-9]+)\"");
            Assert.True(after.Success, pending);
            Assert.Matches("<meta http-equiv=\"refresh\" content=\"2;url=[^\"]*&(?:amp;)?after=" + after.Groups[1].Value + "\"", html);
            address = $"{address.Split("&after=")[0]}&after={after.Groups[1].Value}";
            Assert.True(DateTime.UtcNow < deadline, "The national briefing was not ready within two minutes.");
            await Task.Delay(1000);
        }

        Assert.Contains("data-state=\"ready\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http-equiv=\"refresh\"", html, StringComparison.Ordinal);
        var download = Part(html, "briefing-state", "section");
        Assert.Contains("href=\"/api/v1/briefings/national/all?lang=hi\"", download, StringComparison.Ordinal);
        Assert.Matches("download=\"briefing-national-all-hi-[0-9]+\\.[0-9]{8}\\.pdf\"", download);
        Assert.Matches("data-testid=\"briefing-version\">[0-9]+\\.[0-9]{8}<", download);
        Assert.Contains("Briefing: national, the whole portfolio · Hindi", download, StringComparison.Ordinal);

        // Asked again, the same data is ready at once (the cache), and the briefing is among the recent ones.
        var again = await PageAsync(viewer, address);
        Assert.Contains("data-state=\"ready\"", again, StringComparison.Ordinal);
        Assert.Contains("download=\"briefing-national-all-hi-", Part(again, "recent-briefings", "table"), StringComparison.Ordinal);
    }
}
