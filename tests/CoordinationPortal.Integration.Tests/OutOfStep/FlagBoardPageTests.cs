using System.Net;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using static CoordinationPortal.Integration.Tests.OutOfStep.BoardFlags;

namespace CoordinationPortal.Integration.Tests.OutOfStep;

/// <summary>The out-of-step board as each role sees it, its filters, and acknowledging from it with a plain form post.</summary>
[Collection(PortalTests.Name)]
public sealed partial class FlagBoardPageTests(PortalFixture portal)
{
    [Fact]
    public async Task anonymous_visitors_are_sent_to_sign_in()
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync("/flags");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_viewer_sees_the_flags_with_severity_in_words_but_no_way_to_acknowledge()
    {
        var rule = NewRule("view");
        var id = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.High, [Layer.Compute, Layer.Data],
            english: "Compute is at level 4 but Data is at level 2: compute is scaling faster than data quality.");
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var html = await PageAsync(viewer, $"/flags?rule={rule}&group=none");
        Assert.Contains("href=\"/flags/rollups\"", html, StringComparison.Ordinal);

        Assert.Contains("<h1 class=\"mud-typography mud-typography-h4\">Out of step</h1>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/flags\"", html, StringComparison.Ordinal); // the navigation link
        var row = Row(html, id);
        Assert.Contains($"href=\"/agencies/{Demo.LedAgency}\"", row, StringComparison.Ordinal);
        Assert.Contains("Ministry of Health and Family Welfare", row, StringComparison.Ordinal);
        Assert.Contains("Compute, Data", row, StringComparison.Ordinal);
        Assert.Contains("compute is scaling faster than data quality", row, StringComparison.Ordinal);
        Assert.Contains("<span>High</span>", row, StringComparison.Ordinal); // the word, beside the icon
        Assert.Contains("<svg", row, StringComparison.Ordinal);
        Assert.Contains("Open", row, StringComparison.Ordinal);
        Assert.DoesNotContain("Acknowledge flag", html, StringComparison.Ordinal);
        Assert.DoesNotContain("_handler", row, StringComparison.Ordinal);
        Assert.Contains("Flags 1–1 of 1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"flag-pager\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_lead_is_offered_the_form_only_on_flags_of_agencies_they_lead_and_an_admin_on_every_one()
    {
        var rule = NewRule("offer");
        var mine = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.Medium, [Layer.Operations, Layer.Governance]);
        var theirs = await RaiseAsync(portal, Demo.OtherAgency, rule, FlagSeverity.Medium, [Layer.Operations, Layer.Governance]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        var asLead = await PageAsync(lead, $"/flags?rule={rule}");
        Assert.Contains($"value=\"{Handler(mine)}\"", Row(asLead, mine), StringComparison.Ordinal);
        Assert.Contains($"<label for=\"note-{mine:N}\">Note", Row(asLead, mine), StringComparison.Ordinal);
        Assert.Contains("name=\"Input.Note\"", Row(asLead, mine), StringComparison.Ordinal);
        Assert.DoesNotContain("_handler", Row(asLead, theirs), StringComparison.Ordinal);

        var asAdmin = await PageAsync(admin, $"/flags?rule={rule}");
        Assert.Contains($"value=\"{Handler(mine)}\"", Row(asAdmin, mine), StringComparison.Ordinal);
        Assert.Contains($"value=\"{Handler(theirs)}\"", Row(asAdmin, theirs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_filter_form_filters_and_the_counts_follow_the_other_filters()
    {
        var rule = NewRule("filter");
        var high = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.High, [Layer.Compute, Layer.Data]);
        var low = await RaiseAsync(portal, Demo.OtherAgency, rule, FlagSeverity.Low, [Layer.Skills, Layer.Operations]);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var both = await PageAsync(viewer, $"/flags?rule={rule}");
        Assert.Contains($"data-flag=\"{high}\"", both, StringComparison.Ordinal);
        Assert.Contains($"data-flag=\"{low}\"", both, StringComparison.Ordinal);
        Assert.True(both.IndexOf($"data-flag=\"{high}\"", StringComparison.Ordinal) < both.IndexOf($"data-flag=\"{low}\"", StringComparison.Ordinal),
            "worst first by default");

        var lows = await PageAsync(viewer, $"/flags?rule={rule}&severity=low");
        Assert.DoesNotContain($"data-flag=\"{high}\"", lows, StringComparison.Ordinal);
        Assert.Contains($"data-flag=\"{low}\"", lows, StringComparison.Ordinal);
        Assert.Contains("aria-pressed=\"true\" data-severity=\"low\"", lows, StringComparison.Ordinal); // the count button shows what is chosen
        Assert.Contains("aria-pressed=\"false\" data-severity=\"all\"", lows, StringComparison.Ordinal);
        Assert.Matches("data-severity=\"high\"[^>]*>\\s*<span class=\"stat-value\">1</span>", lows); // the other severities still counted

        var data = await PageAsync(viewer, $"/flags?rule={rule}&layer=data");
        Assert.Contains($"data-flag=\"{high}\"", data, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-flag=\"{low}\"", data, StringComparison.Ordinal);

        var finance = await PageAsync(viewer, $"/flags?rule={rule}&sector=finance");
        Assert.DoesNotContain($"data-flag=\"{high}\"", finance, StringComparison.Ordinal);
        Assert.Contains($"data-flag=\"{low}\"", finance, StringComparison.Ordinal);

        var raisedFirst = await PageAsync(viewer, $"/flags?rule={rule}&sort=agency-desc&group=none");
        Assert.True(raisedFirst.IndexOf($"data-flag=\"{low}\"", StringComparison.Ordinal) < raisedFirst.IndexOf($"data-flag=\"{high}\"", StringComparison.Ordinal),
            "Reserve Bank before Ministry when sorted by agency, descending");
        Assert.Contains("aria-sort=\"descending\"><a href=\"/flags?rule=", raisedFirst, StringComparison.Ordinal);

        await ResolveAsync(portal, low);
        var open = await PageAsync(viewer, $"/flags?rule={rule}&severity=low");
        Assert.Contains("No flags match these filters.", open, StringComparison.Ordinal);
        var resolved = await PageAsync(viewer, $"/flags?rule={rule}&status=resolved");
        Assert.Contains($"data-flag=\"{low}\"", resolved, StringComparison.Ordinal);
        Assert.Contains("Resolved", Row(resolved, low), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_lead_acknowledges_from_the_board_and_sees_the_note()
    {
        var rule = NewRule("post");
        var id = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.High, [Layer.Compute, Layer.Data]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        var posted = await PostAsync(lead, $"/flags?rule={rule}", id, "Data stewards hired; quality audit due in June.", 1);

        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Contains($"Acknowledged: {rule} — Ministry of Health and Family Welfare.", posted.Html, StringComparison.Ordinal);
        var row = Row(posted.Html, id);
        Assert.Contains("data-status=\"Acknowledged\"", row, StringComparison.Ordinal);
        Assert.Contains("Data stewards hired; quality audit due in June.", row, StringComparison.Ordinal);
        Assert.Contains($"by {Demo.Lead.Email}", row, StringComparison.Ordinal);
        Assert.Contains("Change the note", row, StringComparison.Ordinal);

        var stored = await LoadAsync(portal, id);
        Assert.Equal(FlagStatus.Acknowledged, stored!.Status);
        Assert.Equal("Data stewards hired; quality audit due in June.", stored.AcknowledgementNote);

        // A fresh load shows the same, and the status filter finds it among the acknowledged.
        var acknowledged = await PageAsync(lead, $"/flags?rule={rule}&status=acknowledged");
        Assert.Contains("Data stewards hired; quality audit due in June.", Row(acknowledged, id), StringComparison.Ordinal);
        var unacknowledged = await PageAsync(lead, $"/flags?rule={rule}&status=open");
        Assert.DoesNotContain($"data-flag=\"{id}\"", unacknowledged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_empty_note_is_reported_at_the_field_and_nothing_is_saved()
    {
        var rule = NewRule("blank");
        var id = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.Low, [Layer.Skills]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        var posted = await PostAsync(lead, $"/flags?rule={rule}", id, "  ", 1);

        Assert.Equal(HttpStatusCode.OK, posted.Status);
        var row = Row(posted.Html, id);
        Assert.Contains("Write a note saying what is being done about this flag.", row, StringComparison.Ordinal);
        Assert.Contains($"id=\"note-error-{id:N}\"", row, StringComparison.Ordinal);
        Assert.Matches("<textarea[^>]*aria-invalid=\"true\"", row);
        Assert.Contains($"aria-describedby=\"note-help-{id:N} note-error-{id:N}\"", row, StringComparison.Ordinal);
        Assert.Contains("<details class=\"acknowledge\" open", row, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"flag-message\"", posted.Html, StringComparison.Ordinal);
        Assert.Equal(FlagStatus.Open, (await LoadAsync(portal, id))!.Status);
    }

    [Fact]
    public async Task a_flag_that_changed_since_the_board_was_read_is_a_conflict_not_a_silent_overwrite()
    {
        var rule = NewRule("race");
        var id = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.Medium, [Layer.Data, Layer.Governance]);
        await UpdateAsync(portal, id, FlagSeverity.High, [Layer.Data, Layer.Governance]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        var posted = await PostAsync(lead, $"/flags?rule={rule}", id, "Based on what I saw first.", 1);

        Assert.Contains("This flag changed after you opened the board", Row(posted.Html, id), StringComparison.Ordinal);
        Assert.Contains("Based on what I saw first.", Row(posted.Html, id), StringComparison.Ordinal); // the note is kept
        Assert.Contains("name=\"Input.ExpectedVersion\" value=\"2\"", Row(posted.Html, id), StringComparison.Ordinal);
        Assert.Equal(FlagStatus.Open, (await LoadAsync(portal, id))!.Status);
    }

    [Fact]
    public async Task a_long_board_is_split_into_pages_that_keep_the_filters()
    {
        var rule = NewRule("pages");
        var ids = await RaiseManyAsync(portal, Demo.OtherAgency, rule, 105);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var first = await PageAsync(viewer, $"/flags?rule={rule}&sort=raised-asc");
        Assert.Equal(100, Regex.Count(first, "<tr data-flag="));
        Assert.Contains("Flags 1–100 of 105", first, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 2", first, StringComparison.Ordinal);
        Assert.Contains($"data-flag=\"{ids[0]}\"", first, StringComparison.Ordinal);
        var next = $"/flags?rule={rule}&sort=raised-asc&page=2";
        Assert.Contains($"href=\"{next}\" rel=\"next\"", first, StringComparison.Ordinal);

        var second = await PageAsync(viewer, next);
        Assert.Equal(5, Regex.Count(second, "<tr data-flag="));
        Assert.Contains("Flags 101–105 of 105", second, StringComparison.Ordinal);
        Assert.Contains($"data-flag=\"{ids[^1]}\"", second, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-flag=\"{ids[0]}\"", second, StringComparison.Ordinal);
        Assert.Contains("rel=\"prev\"", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_board_speaks_hindi_when_the_culture_is_chosen()
    {
        var rule = NewRule("hindi");
        var id = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.High, [Layer.Compute, Layer.Data]);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var switched = await lead.GetAsync($"/culture?culture=hi-IN&returnUrl=/flags");

        var html = await PageAsync(lead, $"/flags?rule={rule}");

        Assert.Contains("lang=\"hi\"", html, StringComparison.Ordinal);
        Assert.Contains("तालमेल से बाहर", html, StringComparison.Ordinal);
        var row = Row(html, id);
        Assert.Contains("कंप्यूट स्तर 4 पर है पर डेटा स्तर 2 पर है।", row, StringComparison.Ordinal);
        Assert.Contains("<span>उच्च</span>", row, StringComparison.Ordinal);
        Assert.Contains("फ़्लैग स्वीकार करें", row, StringComparison.Ordinal);
        Assert.DoesNotContain("Compute is at level 4", row, StringComparison.Ordinal);

        var posted = await PostAsync(lead, $"/flags?rule={rule}", id, "", 1);
        Assert.Contains("एक टिप्पणी लिखें कि इस फ़्लैग पर क्या किया जा रहा है।", Row(posted.Html, id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task flags_are_grouped_by_agency_with_counts_or_by_rule_and_groups_open_and_close_without_javascript()
    {
        var rule = NewRule("groups");
        var high = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.High, [Layer.Compute, Layer.Data]);
        var low = await RaiseAsync(portal, Demo.LedAgency, rule + "-b", FlagSeverity.Low, [Layer.Skills]);
        var medium = await RaiseAsync(portal, Demo.OtherAgency, rule, FlagSeverity.Medium, [Layer.Data]);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        // By agency (the default): each agency once, as a heading in a summary that says its counts.
        var byAgency = await PageAsync(viewer, $"/flags?q={rule}");
        var groups = GroupRegex().Matches(byAgency);
        Assert.Equal(2, groups.Count);
        var health = Group(byAgency, Demo.LedAgency.ToString());
        Assert.Contains("<h2 class=\"flag-group-title\">Ministry of Health and Family Welfare</h2>", health, StringComparison.Ordinal);
        Assert.Contains("2 flags: 1 High, 1 Low", health, StringComparison.Ordinal);
        Assert.Contains($"data-flag=\"{high}\"", health, StringComparison.Ordinal);
        Assert.Contains($"data-flag=\"{low}\"", health, StringComparison.Ordinal);
        Assert.Contains($"href=\"/agencies/{Demo.LedAgency}\"", health, StringComparison.Ordinal);
        Assert.Contains("1 flag: 1 Medium", Group(byAgency, Demo.OtherAgency.ToString()), StringComparison.Ordinal);
        Assert.All(groups, g => Assert.Contains(" open", g.Value, StringComparison.Ordinal)); // few groups: all open
        Assert.True(byAgency.IndexOf($"data-group-key=\"{Demo.LedAgency}\"", StringComparison.Ordinal)
            < byAgency.IndexOf($"data-group-key=\"{Demo.OtherAgency}\"", StringComparison.Ordinal), "the agency with the most urgent flag first");

        // Collapse all, expand all: links that keep the filters.
        Assert.Contains($"href=\"/flags?q={rule}&expand=none\"", byAgency, StringComparison.Ordinal);
        var collapsed = await PageAsync(viewer, $"/flags?q={rule}&expand=none");
        Assert.All(GroupRegex().Matches(collapsed), g => Assert.DoesNotContain(" open", g.Value, StringComparison.Ordinal));
        Assert.Contains($"data-flag=\"{high}\"", collapsed, StringComparison.Ordinal); // closed, not gone
        var expanded = await PageAsync(viewer, $"/flags?q={rule}&expand=all");
        Assert.All(GroupRegex().Matches(expanded), g => Assert.Contains(" open", g.Value, StringComparison.Ordinal));

        // By rule: the rule is the heading and the agency is back in each row.
        var byRule = await PageAsync(viewer, $"/flags?q={rule}&group=rule");
        var first = Group(byRule, rule);
        Assert.Contains("2 flags: 1 High, 1 Medium", first, StringComparison.Ordinal);
        Assert.Contains("Ministry of Health and Family Welfare", Row(byRule, high), StringComparison.Ordinal);
        Assert.Contains("1 flag: 1 Low", Group(byRule, rule + "-b"), StringComparison.Ordinal);
        Assert.Contains("aria-current=\"true\" data-group=\"rule\"", byRule, StringComparison.Ordinal);

        // No grouping: one table, no summaries.
        var flat = await PageAsync(viewer, $"/flags?q={rule}&group=none");
        Assert.Empty(GroupRegex().Matches(flat));
        Assert.Equal(3, Regex.Count(flat, "<tr data-flag="));
    }

    [Fact]
    public async Task the_default_order_is_urgency_so_a_medium_left_open_for_a_month_comes_before_a_high_raised_today()
    {
        var rule = NewRule("urgency");
        var fresh = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.High, [Layer.Compute, Layer.Data], at: DateTimeOffset.UtcNow.AddHours(-1));
        var neglected = await RaiseAsync(portal, Demo.OtherAgency, rule, FlagSeverity.Medium, [Layer.Data], at: DateTimeOffset.UtcNow.AddDays(-30));
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var html = await PageAsync(viewer, $"/flags?rule={rule}&group=none");
        Assert.True(html.IndexOf($"data-flag=\"{neglected}\"", StringComparison.Ordinal) < html.IndexOf($"data-flag=\"{fresh}\"", StringComparison.Ordinal),
            "the month-old Medium (2 × 5) before today's High (3 × 1)");
        Assert.Contains("data-urgency=\"10\"", Row(html, neglected), StringComparison.Ordinal);
        Assert.Contains("data-urgency=\"3\"", Row(html, fresh), StringComparison.Ordinal);
        Assert.Contains("open 4 weeks", Row(html, neglected), StringComparison.Ordinal);
        Assert.Contains("open less than a week", Row(html, fresh), StringComparison.Ordinal);
        Assert.Contains("Most urgent first", html, StringComparison.Ordinal);

        // The severity order is still one click away, and from there a link back to urgency.
        var bySeverity = await PageAsync(viewer, $"/flags?rule={rule}&group=none&sort=severity-desc");
        Assert.True(bySeverity.IndexOf($"data-flag=\"{fresh}\"", StringComparison.Ordinal) < bySeverity.IndexOf($"data-flag=\"{neglected}\"", StringComparison.Ordinal));
        Assert.Contains($"href=\"/flags?rule={rule}&group=none\">Order by urgency", bySeverity, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_board_says_what_changed_in_the_last_week_on_each_flag_and_in_total()
    {
        var rule = NewRule("changes");
        var escalated = await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.Medium, [Layer.Compute, Layer.Data], at: DateTimeOffset.UtcNow.AddDays(-20));
        await UpdateAsync(portal, escalated, FlagSeverity.High, [Layer.Compute, Layer.Data]);
        var fresh = await RaiseAsync(portal, Demo.OtherAgency, rule, FlagSeverity.Low, [Layer.Skills], at: DateTimeOffset.UtcNow.AddDays(-2));
        var quiet = await RaiseAsync(portal, Demo.LedAgency, rule + "-q", FlagSeverity.Low, [Layer.Skills], at: DateTimeOffset.UtcNow.AddDays(-40));
        var gone = await RaiseAsync(portal, Demo.OtherAgency, rule + "-r", FlagSeverity.Low, [Layer.Skills], at: DateTimeOffset.UtcNow.AddDays(-40));
        await ResolveAsync(portal, gone);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var html = await PageAsync(viewer, $"/flags?q={rule}");

        Assert.Contains("Up from Medium on", Row(html, escalated), StringComparison.Ordinal);
        Assert.Contains("New on", Row(html, fresh), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"flag-change\"", Row(html, quiet), StringComparison.Ordinal);
        Assert.DoesNotContain($"data-flag=\"{gone}\"", html, StringComparison.Ordinal); // open flags only...
        var changes = Regex.Match(html, "data-testid=\"flag-changes\">(.*?)</p>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("1 new", changes, StringComparison.Ordinal);
        Assert.Contains("1 more severe", changes, StringComparison.Ordinal);
        Assert.Contains("1 resolved", changes, StringComparison.Ordinal); // ...but the week's resolutions are counted

        using var switched = await viewer.GetAsync("/culture?culture=hi-IN&returnUrl=/flags");
        var hindi = await PageAsync(viewer, $"/flags?q={rule}");
        Assert.Contains("मध्यम से बढ़ा", Row(hindi, escalated), StringComparison.Ordinal);
        Assert.Contains("1 हल हुए", hindi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_count_buttons_filter_by_severity_and_keep_the_other_filters()
    {
        var rule = NewRule("chips");
        await RaiseAsync(portal, Demo.LedAgency, rule, FlagSeverity.High, [Layer.Compute, Layer.Data]);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var html = await PageAsync(viewer, $"/flags?rule={rule}&group=rule");
        var form = Regex.Match(html, "<form method=\"get\" action=\"/flags\" class=\"severity-filter\".*?</form>", RegexOptions.Singleline).Value;
        Assert.Contains("<legend>Show severity</legend>", form, StringComparison.Ordinal);
        Assert.Contains($"<input type=\"hidden\" name=\"rule\" value=\"{rule}\"", form, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"group\" value=\"rule\"", form, StringComparison.Ordinal);
        Assert.Matches("<button type=\"submit\" name=\"severity\" value=\"high\" class=\"filter-chip\" aria-pressed=\"false\" data-severity=\"high\">\\s*<span class=\"stat-value\">1</span>", form);
        Assert.Contains("aria-pressed=\"true\" data-severity=\"all\"", form, StringComparison.Ordinal);
    }

    private sealed record Posted(HttpStatusCode Status, string Html);

    /// <summary>One group of the board, from its details element to the next one (or the page's end).</summary>
    private static string Group(string html, string key)
    {
        var start = html.IndexOf($"data-group-key=\"{key}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No group {key}.");
        var end = html.IndexOf("</details>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    [GeneratedRegex("<details class=\"flag-group\"[^>]*>")]
    private static partial Regex GroupRegex();

    private static string Handler(Guid flagId) => $"[flag-{flagId:N}]acknowledge";

    private static async Task<string> PageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts one row's acknowledgement form as a browser would: the token from the page, then the form's fields.</summary>
    private static async Task<Posted> PostAsync(HttpClient client, string path, Guid flagId, string note, long expectedVersion)
    {
        var page = await client.GetStringAsync(path);
        Assert.Contains(Handler(flagId), WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = Handler(flagId),
            ["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(page),
            ["Input.Note"] = note,
            ["Input.ExpectedVersion"] = expectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var response = await client.PostAsync(path, content);
        return new Posted(response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The markup of one flag's row.</summary>
    private static string Row(string html, Guid flagId)
    {
        var start = html.IndexOf($"data-flag=\"{flagId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No row for flag {flagId}.");
        var end = html.IndexOf("</tr>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
