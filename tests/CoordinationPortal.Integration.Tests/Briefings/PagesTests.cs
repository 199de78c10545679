using System.Net;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Briefings.Pages;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupPageData;

namespace CoordinationPortal.Integration.Tests.Briefings;

/// <summary>
/// The briefing links on the portfolio, roll-ups, agency and working-group pages, the Briefings page's address and the
/// print stylesheet, over HTTP as the real host renders them. What the Briefings page shows of a briefing's state is in
/// <see cref="PagesStateTests"/>: it needs the feature's <c>BriefingService</c>.
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class PagesTests(PortalFixture portal)
{
    private static string PageLink(string scope, string subject, string language) =>
        $"href=\"/briefings?scope={scope}&subject={subject}&lang={language}\"";

    /// <summary>Both links of one briefing, each worded in its own language, named with what they cover.</summary>
    private static void AssertBothLinks(string html, string scope, string subject, string about)
    {
        foreach (var (language, text) in new[] { ("en", "Briefing (PDF, English)"), ("hi", "ब्रीफ़िंग (PDF, हिन्दी)") })
        {
            var link = LinkTo(html, PageLink(scope, subject, language));
            Assert.Contains($"lang=\"{language}\"", link, StringComparison.Ordinal);
            Assert.Contains(text, link, StringComparison.Ordinal);
            Assert.Contains($" — briefing: {about}", link, StringComparison.Ordinal);
        }
    }

    /// <summary>The whole &lt;a&gt; element whose attributes contain <paramref name="href"/>.</summary>
    private static string LinkTo(string html, string href)
    {
        var at = html.IndexOf(href, StringComparison.Ordinal);
        Assert.True(at >= 0, $"No link {href}");
        var start = html.LastIndexOf("<a ", at, StringComparison.Ordinal);
        return html[start..(html.IndexOf("</a>", at, StringComparison.Ordinal) + 4)];
    }

    private static int Count(string html, string text) => Regex.Count(html, Regex.Escape(text));

    [Fact]
    public async Task the_briefings_page_sends_a_visitor_who_is_not_signed_in_to_sign_in()
    {
        using var anonymous = portal.AnonymousClient();
        using var response = await anonymous.GetAsync(new Uri("/briefings?scope=national&subject=all&lang=hi", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_navigation_links_to_the_briefings_page()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var html = await PageAsync(viewer, "/framework");
        Assert.Contains("<a href=\"/briefings\" class=\"nav-link\">Briefings</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_portfolio_offers_the_national_briefing_and_that_of_the_sector_or_jurisdiction_it_is_filtered_by()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var all = await PageAsync(viewer, "/");
        AssertBothLinks(all, "national", "all", "national, the whole portfolio");
        Assert.DoesNotContain("scope=sector", all, StringComparison.Ordinal);
        Assert.DoesNotContain("scope=jurisdiction", all, StringComparison.Ordinal);

        var health = await PageAsync(viewer, "/?sector=health");
        AssertBothLinks(health, "national", "all", "national, the whole portfolio");
        AssertBothLinks(health, "sector", "health", "sector Health");

        var both = await PageAsync(viewer, "/?sector=finance&jurisdiction=IN-MH");
        AssertBothLinks(both, "sector", "finance", "sector Finance");
        AssertBothLinks(both, "jurisdiction", "IN-MH", "jurisdiction Maharashtra");

        // A code that is no sector offers no briefing of it (and the page still renders).
        var unknown = await PageAsync(viewer, "/?sector=no-such-sector");
        Assert.DoesNotContain("scope=sector", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_portfolio_words_its_links_in_hindi_for_a_hindi_reader_and_keeps_each_link_in_its_language()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using (await viewer.GetAsync(new Uri("/culture?culture=hi-IN&returnUrl=/", UriKind.Relative)))
        {
        }

        var html = await PageAsync(viewer, "/?sector=health");
        var english = LinkTo(html, PageLink("sector", "health", "en"));
        Assert.Contains("Briefing (PDF, English)", english, StringComparison.Ordinal);
        Assert.Contains(" — ब्रीफ़िंग: क्षेत्र स्वास्थ्य", english, StringComparison.Ordinal);
        Assert.Contains("ब्रीफ़िंग (PDF, हिन्दी)", LinkTo(html, PageLink("sector", "health", "hi")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_roll_ups_offer_a_compact_briefing_per_sector_row_and_per_jurisdiction_row()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var html = await PageAsync(viewer, "/flags/rollups");

        var sectors = Part(html, "rollup-sector", "table");
        var sectorRows = Count(sectors, "<tr data-group=");
        Assert.True(sectorRows > 0, "The demo has sectors");
        Assert.Equal(sectorRows, Count(sectors, "data-testid=\"briefing-sector\""));
        Assert.Equal(2 * sectorRows, Count(sectors, "class=\"briefing-link\""));
        var health = LinkTo(sectors, PageLink("sector", "health", "hi"));
        Assert.Contains("PDF, हिन्दी", health, StringComparison.Ordinal);
        Assert.Contains(" — briefing: sector Health", health, StringComparison.Ordinal);

        var jurisdictions = Part(html, "rollup-jurisdiction", "table");
        var jurisdictionRows = Count(jurisdictions, "<tr data-group=");
        Assert.True(jurisdictionRows > 0, "The demo has jurisdictions");
        Assert.Equal(jurisdictionRows, Count(jurisdictions, "data-testid=\"briefing-jurisdiction\""));
        Assert.Contains(" — briefing: jurisdiction Maharashtra", LinkTo(jurisdictions, PageLink("jurisdiction", "IN-MH", "en")), StringComparison.Ordinal);
        Assert.DoesNotContain("scope=sector", jurisdictions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_agency_page_offers_the_agencys_briefing()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var html = await PageAsync(viewer, $"/agencies/{Demo.OtherAgency}");
        var name = Regex.Match(html, "<h1[^>]*>([^<]+)</h1>").Groups[1].Value;
        Assert.False(string.IsNullOrWhiteSpace(name));
        AssertBothLinks(Part(html, "agency-briefings", "div"), "agency", Demo.OtherAgency.ToString(), $"agency {name}");
    }

    [Fact]
    public async Task the_group_page_offers_the_groups_briefing_only_to_those_who_read_the_whole_group()
    {
        var name = $"Briefing group {Guid.NewGuid():N}"[..24];
        var group = await GroupAsync(portal, name);

        using var member = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);
        var chair = await PageAsync(member, $"/working-groups/{group}");
        AssertBothLinks(Part(chair, "group-briefings", "div"), "working-group", group.ToString(), $"working group {name}");

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var outsider = await PageAsync(viewer, $"/working-groups/{group}");
        Assert.Contains(name, outsider, StringComparison.Ordinal);
        Assert.DoesNotContain("group-briefings", outsider, StringComparison.Ordinal);
        Assert.DoesNotContain("scope=working-group", outsider, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_print_stylesheet_is_linked_for_print_and_served()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var html = await PageAsync(viewer, "/");
        var link = PrintStylesheet().Match(html);
        Assert.True(link.Success, "The portfolio links a print stylesheet");
        using var css = await viewer.GetAsync(new Uri(link.Groups[1].Value, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        var text = await css.Content.ReadAsStringAsync();
        Assert.Contains("print-color-adjust: exact", text, StringComparison.Ordinal);
        Assert.Contains("thead { display: table-header-group; }", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("national", "all", "hi", BriefingScope.National, "all", "hi")]
    [InlineData("sector", "health", null, BriefingScope.Sector, "health", "en")]
    [InlineData("agency", "C56A4180-65AA-42EC-A945-5FD21DEC0538", "en", BriefingScope.Agency, "c56a4180-65aa-42ec-a945-5fd21dec0538", "en")]
    public void the_short_address_names_the_briefing(string scope, string subject, string? language, BriefingScope expectedScope, string expectedSubject, string expectedLanguage)
    {
        var asked = Assert.IsType<BriefingRequest.Asked>(BriefingChoice.FromQuery(scope, subject, language, "finance", "IN-MH", null, null, "en"));
        Assert.False(asked.FromForm);
        Assert.Equal(new BriefingTarget(expectedScope, expectedSubject, expectedLanguage), asked.Target);
    }

    [Fact]
    public void the_forms_address_takes_the_chosen_scopes_drop_down_and_the_pages_language_when_none_is_chosen()
    {
        var group = Guid.NewGuid();
        var asked = Assert.IsType<BriefingRequest.Asked>(BriefingChoice.FromQuery("working-group", null, null, "health", "IN-MH", Guid.NewGuid().ToString(), group.ToString(), "hi"));
        Assert.True(asked.FromForm);
        Assert.Equal(new BriefingTarget(BriefingScope.WorkingGroup, group.ToString(), "hi"), asked.Target);

        var national = Assert.IsType<BriefingRequest.Asked>(BriefingChoice.FromQuery("national", "", "en", "health", "IN-MH", null, null, "hi"));
        Assert.Equal(new BriefingTarget(BriefingScope.National, "all", "en"), national.Target);

        Assert.IsType<BriefingRequest.None>(BriefingChoice.FromQuery(null, null, "hi", null, null, null, null, "en"));
    }

    [Theory]
    [InlineData("planet", "all", "en")]
    [InlineData("national", "everything", "en")]
    [InlineData("sector", "health", "fr")]
    [InlineData("sector", "<script>", "en")]
    [InlineData("agency", "not-a-guid", "en")]
    [InlineData("agency", "00000000-0000-0000-0000-000000000000", "en")]
    [InlineData(null, "health", "en")]
    public void an_address_no_briefing_has_is_invalid(string? scope, string subject, string language) =>
        Assert.IsType<BriefingRequest.Invalid>(BriefingChoice.FromQuery(scope, subject, language, null, null, null, null, "en"));

    [Fact]
    public void a_form_that_chose_a_scope_without_its_subject_is_invalid() =>
        Assert.IsType<BriefingRequest.Invalid>(BriefingChoice.FromQuery("agency", null, "en", "health", null, null, null, "en"));

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(/?print[^\"]*\\.css)\" media=\"print\"")]
    private static partial Regex PrintStylesheet();
}
