using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.OutOfStep;
using static CoordinationPortal.Integration.Tests.OutOfStep.RollupTestData;

namespace CoordinationPortal.Integration.Tests.OutOfStep;

/// <summary>The roll-ups page: a sentence and the numbers per sector and jurisdiction, and the portfolio's flag trend.</summary>
[Collection(PortalTests.Name)]
public sealed partial class RollupPageTests(PortalFixture portal)
{
    private static readonly TimeSpan India = TimeSpan.FromHours(5.5);

    private static Dictionary<string, int> Profile(int compute, int data) => new()
    {
        ["compute.capacity"] = compute,
        ["data.quality-management"] = data,
        ["governance.risk-assessment"] = 3,
        ["skills.training-coverage"] = 3,
        ["operations.monitoring-slos"] = 3,
    };

    private async Task<string> PageAsync(string language = "en")
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        if (language != "en")
        {
            using var switched = await client.GetAsync($"/culture?culture={language}&returnUrl=/");
        }

        return WebUtility.HtmlDecode(await client.GetStringAsync("/flags/rollups"));
    }

    private static string Row(string html, string group)
    {
        var start = html.IndexOf($"<tr data-group=\"{group}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No row for {group}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static List<string> Numbers(string row) => NumberCell().Matches(row).Select(m => m.Groups[1].Value).ToList();

    /// <summary>
    /// Three agencies in a sector of their own: Compute − Data is 2, 1 and 0 levels (mean 1.0); two carry open flags
    /// (one high and one low, one medium), the third only a resolved one. Two of them share a jurisdiction of their own.
    /// </summary>
    private async Task<(string Sector, string Jurisdiction)> SeedGroupAsync()
    {
        var sector = UniqueCode("rollup");
        var jurisdiction = UniqueCode("IN-T");
        var a = await AgencyAsync(portal, "Roll-up agency A", sector, jurisdiction, Profile(compute: 4, data: 2));
        var b = await AgencyAsync(portal, "Roll-up agency B", sector, jurisdiction, Profile(compute: 3, data: 2));
        var c = await AgencyAsync(portal, "Roll-up agency C", sector, "national", Profile(compute: 2, data: 2));
        await OpenFlagAsync(portal, a, "compute-leads-data", FlagSeverity.High);
        await OpenFlagAsync(portal, a, "staleness", FlagSeverity.Low);
        await OpenFlagAsync(portal, b, "compute-leads-data", FlagSeverity.Medium);
        await ResolvedFlagAsync(portal, c, "spread", FlagSeverity.High);
        return (sector, jurisdiction);
    }

    [Fact]
    public async Task a_sector_reads_as_a_sentence_with_its_lead_gap_and_flagged_agencies_and_repeats_the_numbers()
    {
        var (sector, jurisdiction) = await SeedGroupAsync();

        var html = await PageAsync();

        var row = Row(Part(html, "rollup-sector"), sector);
        Assert.Contains($"In {sector}, Data lags Compute by 1.0 levels on average; 2 of 3 agencies flagged.", row, StringComparison.Ordinal);
        var numbers = Numbers(row);
        Assert.Equal(["3", "2", "1", "1", "1", "Compute ahead of Data by 1.0"], numbers.Take(6).ToList());
        Assert.Contains($"href=\"/flags?sector={sector}\"", row, StringComparison.Ordinal);

        // The balanced index beside the mean, with the penalty: averages over the three complete profiles.
        var indices = new[] { Scores.Index([75, 25, 50, 50, 50]), Scores.Index([50, 25, 50, 50, 50]), Scores.Index([25, 25, 50, 50, 50]) };
        Assert.Equal(
            new[]
            {
                Score(indices.Average(i => i.Mean)), Score(indices.Average(i => i.Geometric)),
                Score(indices.Average(i => i.Balanced)), Score(indices.Average(i => i.ImbalancePenalty)),
            },
            numbers.Skip(6));
        Assert.NotEqual("0", numbers[^1]); // an unbalanced group pays a visible penalty

        var jurisdictionRow = Row(Part(html, "rollup-jurisdiction"), jurisdiction);
        Assert.Contains($"In {jurisdiction}, Data lags Compute by 1.5 levels on average; 2 of 2 agencies flagged.", jurisdictionRow, StringComparison.Ordinal);
        Assert.Contains($"href=\"/flags?jurisdiction={jurisdiction}\"", jurisdictionRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_sentence_is_in_hindi_when_hindi_is_chosen()
    {
        var (sector, _) = await SeedGroupAsync();

        var html = await PageAsync("hi-IN");

        var row = Row(html, sector);
        Assert.Contains($"{sector} में डेटा, कंप्यूट से औसतन 1.0 स्तर पीछे है; 3 में से 2 एजेंसियों पर फ़्लैग है।", row, StringComparison.Ordinal);
        Assert.Contains("तालमेल से बाहर: समेकित सारांश", html, StringComparison.Ordinal);
        Assert.Contains("असंतुलन दंड", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_group_where_no_lead_layer_is_ahead_says_so()
    {
        var sector = UniqueCode("rollup");
        await AgencyAsync(portal, "Balanced agency", sector, "national", Profile(compute: 3, data: 3));

        var row = Row(await PageAsync(), sector);

        Assert.Contains($"In {sector}, no layer lags the one it should keep pace with on average; 0 of 1 agencies flagged.", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_flag_trend_counts_each_flag_at_the_month_ends_it_was_open()
    {
        var before = TrendRows(await PageAsync());
        var agency = await AgencyAsync(portal, "Trend agency", UniqueCode("rollup"), "national", Profile(4, 2));
        var now = DateTimeOffset.UtcNow;
        var raised = Raised(agency, "spread", FlagSeverity.High, now.AddDays(-100));
        await FlagAsync(portal, raised, new FlagResolved(raised.FlagId, ResolutionReason.ConditionCleared, now.AddDays(-40)));
        await FlagAsync(portal, Raised(agency, "staleness", FlagSeverity.Medium, now.AddDays(-70)));

        var html = await PageAsync();
        var after = TrendRows(html);

        Assert.Equal(FlagRollups.TrendMonths, after.Count);
        Assert.Equal(before.Count, after.Count);
        var today = LocalDate(now);
        var monthEnds = FlagRollups.MonthEnds(today, FlagRollups.TrendMonths);
        // The last point is today: a flag the evaluator raises or resolves meanwhile (in the background, after another
        // test's change) counts there, never at a month end already past, so the past points must differ by exactly ours.
        for (var i = 0; i < after.Count - 1; i++)
        {
            var end = monthEnds[i];
            var high = LocalDate(now.AddDays(-100)) <= end && LocalDate(now.AddDays(-40)) > end ? 1 : 0;
            var medium = LocalDate(now.AddDays(-70)) <= end ? 1 : 0;
            Assert.Equal((before[i].High + high, before[i].Medium + medium, before[i].Low, before[i].Total + high + medium), after[i]);
        }

        Assert.True(after.SkipLast(1).Where((r, i) => r != before[i]).Any(), "the window covers the new flags");
        Assert.Equal(4, SeriesLine().Count(Part(html, "flag-trend")));
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("member")]
    [InlineData("lead")]
    [InlineData("admin")]
    public async Task every_role_may_read_the_roll_ups(string role)
    {
        var account = role switch
        {
            "viewer" => Demo.Viewer,
            "member" => Demo.Member,
            "lead" => Demo.Lead,
            _ => Demo.Admin,
        };
        using var client = await portal.SignedInClientAsync(account.Email, account.Password);
        using var response = await client.GetAsync("/flags/rollups");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Out-of-step roll-ups", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task anonymous_visitors_are_sent_to_sign_in()
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync("/flags/rollups");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_portfolio_shows_the_imbalance_penalty_beside_the_three_indices()
    {
        var sector = UniqueCode("rollup");
        var agency = await AgencyAsync(portal, "Penalty agency", sector, "national", Profile(compute: 5, data: 1));
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/?sector={sector}"));

        var index = Scores.Index([100, 0, 50, 50, 50]);
        var row = html[html.IndexOf($"data-agency=\"{agency}\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains($"data-index=\"balanced\">{Score(index.Balanced)}<", row, StringComparison.Ordinal);
        Assert.Contains($"data-index=\"penalty\">{Score(index.ImbalancePenalty)}<", row, StringComparison.Ordinal);
        Assert.True(index.ImbalancePenalty >= 1);
        Assert.Contains("Imbalance penalty", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_methodology_page_works_an_example_through_every_rule_and_index()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/framework"));
        var rules = RuleSetParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-data", "out-of-step-rules.json")));

        Assert.Contains("id=\"out-of-step\"", html, StringComparison.Ordinal); // the agency page's flags link here
        Assert.Equal(rules.Active.Count(), ExampleArticle().Count(html));
        foreach (var rule in rules.Active)
        {
            var start = html.IndexOf($"data-rule=\"{rule.Id}\" data-testid=\"rule-example\"", StringComparison.Ordinal);
            Assert.True(start >= 0, $"No worked example for {rule.Id}");
            var article = html[start..html.IndexOf("</article>", start, StringComparison.Ordinal)];
            Assert.Contains(rule.Title.En, article, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"worked-finding\"", article, StringComparison.Ordinal);
            Assert.DoesNotContain("worked-no-finding", article, StringComparison.Ordinal);
        }

        // The lead rule's example, as the rule itself explains it (computed, not typed: see the rule's tests).
        Assert.Contains("Compute is at level 4.0 but Data is at level 2.0: compute is scaling faster than data quality improves (2.0 levels apart, more than the margin of 1.0).", html, StringComparison.Ordinal);
        Assert.Contains("example-llm was available 97.02% of the time", html, StringComparison.Ordinal);

        // The indices, step by step, for the profile 75, 25, 50, 50, 50.
        var index = Scores.Index([75, 25, 50, 50, 50]);
        Assert.Contains($"The sum (75 + 25 + 50 + 50 + 50) ÷ 5 = {index.Mean.ToString("0.0", CultureInfo.InvariantCulture)}", html, StringComparison.Ordinal);
        Assert.Contains($"= {index.Geometric.ToString("0.0", CultureInfo.InvariantCulture)}", html, StringComparison.Ordinal);
        Assert.Contains($"index M − S × cv = {index.Balanced.ToString("0.0", CultureInfo.InvariantCulture)}.", html, StringComparison.Ordinal);
        Assert.Contains($"= {index.ImbalancePenalty.ToString("0.0", CultureInfo.InvariantCulture)}: what being out of step costs", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_methodology_reads_in_hindi_when_hindi_is_chosen()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var switched = await client.GetAsync("/culture?culture=hi-IN&returnUrl=/framework");
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/framework"));

        Assert.Contains("तालमेल से बाहर के फ़्लैग कैसे उठाए जाते हैं", html, StringComparison.Ordinal);
        Assert.Contains("कंप्यूट स्तर 4.0 पर है, लेकिन डेटा स्तर 2.0 पर है", html, StringComparison.Ordinal);
        Assert.Contains("कंप्यूट डेटा से आगे", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en-IN", "minimum spread 1.5 levels", "leading layer Compute")]
    [InlineData("hi-IN", "न्यूनतम अंतर 1.5 स्तर", "आगे रहने वाली परत कंप्यूट")]
    public async Task the_methodology_states_rule_settings_in_words_never_as_keys(string culture, string spread, string lead)
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var switched = await client.GetAsync($"/culture?culture={culture}&returnUrl=/framework");
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/framework"));
        var rules = RuleSetParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-data", "out-of-step-rules.json")));

        Assert.Contains(spread, html, StringComparison.Ordinal);
        Assert.Contains(lead, html, StringComparison.Ordinal);
        // The camel-case keys (minLevels, highAtLevels…); "lead", "lag" and "layers" are also ordinary words.
        var keys = rules.Active.SelectMany(r => r.Settings.Keys).Where(k => k.Any(char.IsUpper)).Distinct(StringComparer.Ordinal).ToList();
        Assert.Contains("highAtLevels", keys);
        Assert.All(keys, key => Assert.DoesNotContain(key, html, StringComparison.Ordinal));
    }

    private static string Score(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(India).DateTime);

    private static string Part(string html, string testId)
    {
        var start = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No {testId} on the page");
        var end = html.IndexOf("</table>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    private static List<(int High, int Medium, int Low, int Total)> TrendRows(string html) =>
        TrendRow().Matches(Part(html, "flag-trend-data"))
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))
            .ToList();

    [GeneratedRegex("<article class=\"rule-example\"")]
    private static partial Regex ExampleArticle();

    [GeneratedRegex("<td class=\"number\">([^<]*)</td>")]
    private static partial Regex NumberCell();

    [GeneratedRegex(@"<tr>\s*<th scope=""row"">[^<]+</th>\s*<td class=""number"">(\d+)</td>\s*<td class=""number"">(\d+)</td>\s*<td class=""number"">(\d+)</td>\s*<td class=""number"">(\d+)</td>")]
    private static partial Regex TrendRow();

    [GeneratedRegex("<polyline points=\"[^\"]*\" class=\"series series-flags-")]
    private static partial Regex SeriesLine();
}
