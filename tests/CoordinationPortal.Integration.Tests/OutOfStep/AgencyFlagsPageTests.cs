using System.Net;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.OutOfStep.RollupTestData;

namespace CoordinationPortal.Integration.Tests.OutOfStep;

/// <summary>The agency page's flags: open ones with their explanations, resolved ones in the history, both on the trend chart.</summary>
[Collection(PortalTests.Name)]
public sealed partial class AgencyFlagsPageTests(PortalFixture portal)
{
    private static readonly Dictionary<string, int> ComputeAheadOfData = new()
    {
        ["compute.capacity"] = 4,
        ["data.quality-management"] = 2,
        ["governance.risk-assessment"] = 3,
        ["skills.training-coverage"] = 3,
        ["operations.monitoring-slos"] = 3,
    };

    private async Task<string> PageAsync(Guid agencyId, string language = "en", string email = "", string password = "")
    {
        using var client = await portal.SignedInClientAsync(
            email.Length > 0 ? email : Demo.Viewer.Email, password.Length > 0 ? password : Demo.Viewer.Password);
        if (language != "en")
        {
            using var switched = await client.GetAsync($"/culture?culture={language}&returnUrl=/");
        }

        return WebUtility.HtmlDecode(await client.GetStringAsync($"/agencies/{agencyId}"));
    }

    /// <summary>The markup of the element with this data-testid, up to its closing tag (tables here do not nest).</summary>
    private static string Part(string html, string testId, string tag)
    {
        var start = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No {testId} on the page");
        var end = html.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    [Fact]
    public async Task the_page_lists_the_open_flag_with_its_explanation_and_the_resolved_one_in_the_history()
    {
        var agency = await AgencyAsync(portal, "Flags page agency", UniqueCode("flags"), "national", ComputeAheadOfData);
        await FlagAsync(portal, Raised(agency, "compute-leads-data", FlagSeverity.High, DateTimeOffset.UtcNow.AddDays(-20),
            new LocalizedText("Compute is at level 4 but Data is at level 2: compute is scaling faster than data quality.", "कंप्यूट स्तर 4 पर है लेकिन डेटा स्तर 2 पर है: कंप्यूट डेटा गुणवत्ता से तेज़ बढ़ रहा है।")));
        await ResolvedFlagAsync(portal, agency, "staleness", FlagSeverity.Low, raisedDaysAgo: 150, resolvedDaysAgo: 100);

        var html = await PageAsync(agency);

        var open = Part(html, "open-flags", "table");
        Assert.Contains("Open flags (1)", open, StringComparison.Ordinal);
        Assert.Contains("Compute is at level 4 but Data is at level 2: compute is scaling faster than data quality.", open, StringComparison.Ordinal);
        Assert.Contains("data-rule=\"compute-leads-data\"", open, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Compute ahead of data</th>", open, StringComparison.Ordinal); // the rule's title
        Assert.Contains("data-severity-badge=\"High\"", open, StringComparison.Ordinal); // severity as an icon and a word
        Assert.Contains("<span>High</span>", open, StringComparison.Ordinal);
        Assert.Contains($"href=\"/flags?agency={agency}\"", html, StringComparison.Ordinal); // acknowledged on the board
        Assert.Contains("Not acknowledged yet", open, StringComparison.Ordinal);
        Assert.DoesNotContain("staleness", open, StringComparison.Ordinal);

        var history = Part(html, "flag-history", "table");
        Assert.Contains("data-rule=\"staleness\"", history, StringComparison.Ordinal);
        Assert.Contains("The condition cleared", history, StringComparison.Ordinal);
        Assert.Contains("data-severity-badge=\"Low\"", history, StringComparison.Ordinal);
        Assert.DoesNotContain("compute-leads-data", history, StringComparison.Ordinal);

        // On the trend chart: three markers (one raising still open; one raised and resolved), each with its text.
        var markers = Part(html, "trend-markers", "ul");
        Assert.Equal(2, MarkerItem().Matches(markers).Count(m => m.Groups[1].Value == "Raised"));
        Assert.Equal(1, MarkerItem().Matches(markers).Count(m => m.Groups[1].Value == "Resolved"));
        Assert.Contains("Resolved: ", markers, StringComparison.Ordinal);
        Assert.Contains("(Low severity)", markers, StringComparison.Ordinal);
        Assert.Equal(3, SvgMarker().Count(html));
        Assert.Contains("▼ raised", html, StringComparison.Ordinal); // the legend names the shapes
        Assert.Contains("○ resolved", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_explanation_and_the_labels_are_in_hindi_when_hindi_is_chosen()
    {
        var agency = await AgencyAsync(portal, "Hindi flags agency", UniqueCode("flags"), "national", ComputeAheadOfData);
        await FlagAsync(portal, Raised(agency, "compute-leads-data", FlagSeverity.Medium, DateTimeOffset.UtcNow.AddDays(-10),
            new LocalizedText("Compute is at level 4 but Data is at level 2.", "कंप्यूट स्तर 4 पर है लेकिन डेटा स्तर 2 पर है।")));
        await ResolvedFlagAsync(portal, agency, "spread", FlagSeverity.High);

        var html = await PageAsync(agency, "hi-IN");

        var open = Part(html, "open-flags", "table");
        Assert.Contains("कंप्यूट स्तर 4 पर है लेकिन डेटा स्तर 2 पर है।", open, StringComparison.Ordinal);
        Assert.DoesNotContain("Compute is at level 4", open, StringComparison.Ordinal);
        Assert.Contains("मध्यम", open, StringComparison.Ordinal);
        Assert.Contains("तालमेल से बाहर के फ़्लैग", html, StringComparison.Ordinal);
        Assert.Contains("स्थिति ठीक हो गई", Part(html, "flag-history", "table"), StringComparison.Ordinal);
        Assert.Contains("हल हुआ: ", Part(html, "trend-markers", "ul"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_admin_acknowledges_a_flag_on_the_agency_page_and_a_viewer_is_offered_no_form()
    {
        var agency = await AgencyAsync(portal, "Acknowledge here agency", UniqueCode("flags"), "national", ComputeAheadOfData);
        var flag = await FlagAsync(portal, Raised(agency, "compute-leads-data", FlagSeverity.High, DateTimeOffset.UtcNow.AddDays(-9)));
        var handler = $"[flag-{flag:N}]acknowledge";

        Assert.DoesNotContain(handler, await PageAsync(agency), StringComparison.Ordinal); // the viewer's page

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var page = await admin.GetStringAsync($"/agencies/{agency}");
        var open = Part(WebUtility.HtmlDecode(page), "open-flags", "table");
        Assert.Contains(handler, open, StringComparison.Ordinal);
        Assert.Contains($"<label for=\"note-{flag:N}\">Note", open, StringComparison.Ordinal);

        // The plain form post works before the live connection starts (or without one).
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = handler,
            ["__RequestVerificationToken"] = CoordinationPortal.Tests.Support.PortalForms.AntiforgeryToken(page),
            ["Input.Note"] = "Data stewards start in January.",
            ["Input.ExpectedVersion"] = "1",
        });
        using var posted = await admin.PostAsync($"/agencies/{agency}", content);
        var html = WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("Acknowledged: Compute ahead of data.", html, StringComparison.Ordinal);
        Assert.Contains("Data stewards start in January.", Part(html, "open-flags", "table"), StringComparison.Ordinal);
        var stored = await BoardFlags.LoadAsync(portal, flag);
        Assert.Equal(FlagStatus.Acknowledged, stored!.Status);
        Assert.Equal(Demo.Admin.Email, stored.AcknowledgedBy);
    }

    [Fact]
    public async Task an_acknowledged_flag_shows_who_acknowledged_it_and_their_note()
    {
        var agency = await AgencyAsync(portal, "Acknowledged flag agency", UniqueCode("flags"), "national", ComputeAheadOfData);
        var raised = Raised(agency, "compute-leads-data", FlagSeverity.High, DateTimeOffset.UtcNow.AddDays(-12));
        await FlagAsync(portal, raised, new FlagAcknowledged(raised.FlagId, "Data stewards hired; catalogue due in June.", "lead@portal.local", DateTimeOffset.UtcNow.AddDays(-5)));

        var open = Part(await PageAsync(agency), "open-flags", "table");

        Assert.Contains("Acknowledged by lead@portal.local on", open, StringComparison.Ordinal);
        Assert.Contains("Data stewards hired; catalogue due in June.", open, StringComparison.Ordinal);
        Assert.DoesNotContain("Not acknowledged yet", open, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_agency_without_flags_says_its_layers_are_in_step_and_draws_no_markers()
    {
        var agency = await AgencyAsync(portal, "Unflagged agency", UniqueCode("flags"), "national", ComputeAheadOfData);

        var html = await PageAsync(agency, email: Demo.Member.Email, password: Demo.Member.Password);

        Assert.Contains("data-testid=\"no-open-flags\"", html, StringComparison.Ordinal);
        Assert.Contains("No flag has been resolved yet.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"trend-markers\"", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(SvgMarker(), html);
    }

    [Fact]
    public async Task the_link_to_the_board_shows_this_agencys_flags_and_not_those_of_an_agency_with_a_similar_name()
    {
        var sector = UniqueCode("similar");
        var name = $"Port authority {sector}";
        var agency = await AgencyAsync(portal, name, sector, "national", ComputeAheadOfData);
        var similar = await AgencyAsync(portal, name + " West", sector, "national", ComputeAheadOfData);
        var mine = await OpenFlagAsync(portal, agency, "spread", FlagSeverity.High);
        var theirs = await OpenFlagAsync(portal, similar, "spread", FlagSeverity.High);

        var link = BoardLink().Match(await PageAsync(agency));
        Assert.True(link.Success, "No link to the board");
        Assert.Equal($"/flags?agency={agency}", link.Groups[1].Value);

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var board = WebUtility.HtmlDecode(await viewer.GetStringAsync(link.Groups[1].Value));
        Assert.Contains($"data-flag=\"{mine}\"", board, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-flag=\"{theirs}\"", board, StringComparison.Ordinal);

        // The board keeps the agency in its filter form and in its sort and severity links.
        Assert.Contains($"name=\"agency\" value=\"{agency}\"", board, StringComparison.Ordinal);
        Assert.Contains($"agency={agency}&sort=", board, StringComparison.Ordinal);

        // A search by the name, as the link used to do, also brings up the other agency's flag.
        var searched = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/flags?q={Uri.EscapeDataString(name)}"));
        Assert.Contains($"data-flag=\"{theirs}\"", searched, StringComparison.Ordinal);
    }

    [Fact]
    public async Task another_agencys_flags_do_not_appear()
    {
        var agency = await AgencyAsync(portal, "Quiet agency", UniqueCode("flags"), "national", ComputeAheadOfData);
        var other = await AgencyAsync(portal, "Noisy agency", UniqueCode("flags"), "national", ComputeAheadOfData);
        await FlagAsync(portal, Raised(other, "spread", FlagSeverity.High, DateTimeOffset.UtcNow.AddDays(-3),
            new LocalizedText("Noisy agency's spread explanation", "शोर वाली एजेंसी का व्याख्या")));

        var html = await PageAsync(agency);

        Assert.DoesNotContain("Noisy agency's spread explanation", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-open-flags\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("href=\"(/flags\\?[^\"]*)\"[^>]*data-testid=\"flags-on-board\"")]
    private static partial Regex BoardLink();

    [GeneratedRegex("<li data-marker=\"(Raised|Resolved)\"")]
    private static partial Regex MarkerItem();

    [GeneratedRegex("<g class=\"trend-marker ")]
    private static partial Regex SvgMarker();
}
