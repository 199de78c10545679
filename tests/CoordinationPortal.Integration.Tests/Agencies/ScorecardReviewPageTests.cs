using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;

namespace CoordinationPortal.Integration.Tests.Agencies;

/// <summary>The scorecard review page answers on the server: the agency's lead sees it, others get a worded 403, an unknown agency a 404.</summary>
[Collection(PortalTests.Name)]
public sealed class ScorecardReviewPageTests(PortalFixture portal)
{
    [Fact]
    public async Task the_lead_gets_every_indicator_of_the_agency_with_the_quarters_progress()
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var response = await client.GetAsync($"/agencies/{Demo.LedAgency}/review");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"review-progress\"", html, StringComparison.Ordinal);
        var progress = System.Text.RegularExpressions.Regex.Match(html, @"(\d+) of (\d+) reviewed this quarter \(\d{4}-Q\d\)");
        Assert.True(progress.Success, "The progress line should say how many of the indicators are reviewed this quarter.");
        var total = int.Parse(progress.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total >= 20, $"The framework has {total} indicators.");
        Assert.Equal(total, System.Text.RegularExpressions.Regex.Count(html, "<article class=\"review-item\""));
    }

    [Fact]
    public async Task a_viewer_gets_a_worded_403()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var response = await client.GetAsync($"/agencies/{Demo.LedAgency}/review");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Only the leads of this agency and administrators can review its scorecard.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("review-item", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unknown_agency_is_a_404()
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var response = await client.GetAsync($"/agencies/{Guid.NewGuid()}/review");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
