using System.Net;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Overview;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.OutOfStep.RollupTestData;

namespace CoordinationPortal.Integration.Tests.Overview;

/// <summary>A lead's work list (My agencies) and the portfolio's search by agency name, against the real store.</summary>
[Collection(PortalTests.Name)]
public sealed class LeadWorkTests(PortalFixture portal)
{
    [Fact]
    public async Task my_agencies_lists_what_is_draft_returned_stale_and_flagged_in_each_agency_a_person_leads()
    {
        var lead = $"lead-{Guid.NewGuid():N}@portal.local";
        var id = Guid.NewGuid();
        var old = DateTimeOffset.UtcNow.AddDays(-200);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        await using (var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Events.StartStream<Agency>(id,
                new AgencyRegistered(id, "Lead work agency", AgencyKind.Ministry, "health", "national", "admin@portal.local", old),
                new AgencyLeadAssigned(id, lead, "admin@portal.local", old),
                new IndicatorAssessed(id, "compute.capacity", Layer.Compute, 3, "Old", null, null, null, lead, old),
                new AssessmentsSubmittedForReview(id, ["compute.capacity"], lead, old.AddMinutes(1)),
                new AssessmentApproved(id, "compute.capacity", null, "admin@portal.local", old.AddMinutes(2)),
                new IndicatorAssessed(id, "data.quality-management", Layer.Data, 2, "Drafted", null, null, null, lead, now),
                new IndicatorAssessed(id, "skills.training-coverage", Layer.Skills, 2, "Sent", null, null, null, lead, now),
                new AssessmentsSubmittedForReview(id, ["skills.training-coverage"], lead, now),
                new AssessmentReturned(id, "skills.training-coverage", "Needs evidence", "admin@portal.local", now));
            await session.SaveChangesAsync();
        }

        await OpenFlagAsync(portal, id, "compute-leads-data", FlagSeverity.High);

        using var scope = portal.Factory.Services.CreateScope();
        var queries = ActivatorUtilities.CreateInstance<MyAgenciesQueries>(scope.ServiceProvider);

        var mine = Assert.Single(await queries.ForLeadAsync(lead.ToUpperInvariant(), CancellationToken.None));
        Assert.Equal(id, mine.Agency.Id);
        Assert.Equal(["data.quality-management"], mine.Draft.Select(i => i.IndicatorId));
        Assert.Equal(["skills.training-coverage"], mine.Returned.Select(i => i.IndicatorId));
        Assert.Equal(["compute.capacity"], mine.Stale.Select(i => i.IndicatorId));
        Assert.Equal(["compute-leads-data"], mine.OpenFlags.Select(f => f.RuleId));
        Assert.Empty(await queries.ForLeadAsync("nobody@portal.local", CancellationToken.None));
    }

    [Fact]
    public async Task the_portfolio_search_matches_part_of_the_english_or_the_hindi_name_ignoring_case()
    {
        using var scope = portal.Factory.Services.CreateScope();
        var agencies = scope.ServiceProvider.GetRequiredService<AgencyQueries>();

        var english = await agencies.PortfolioAsync(new PortfolioFilter(Name: "  health AND family "), CancellationToken.None);
        Assert.Contains(english, a => a.Name == "Ministry of Health and Family Welfare");
        Assert.DoesNotContain(english, a => a.Name == "Ministry of Finance");

        var hindi = await agencies.PortfolioAsync(new PortfolioFilter(Name: "वित्त मंत्रालय"), CancellationToken.None);
        Assert.Equal(["Ministry of Finance"], hindi.Select(a => a.Name));

        var combined = await agencies.PortfolioAsync(new PortfolioFilter(Sector: "finance", Name: "health"), CancellationToken.None);
        Assert.Empty(combined);
    }

    [Fact]
    public async Task the_portfolio_page_searches_by_name_and_says_when_no_agency_matches()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var found = WebUtility.HtmlDecode(await client.GetStringAsync("/?q=" + Uri.EscapeDataString("वित्त मंत्रालय")));
        Assert.Contains(">Ministry of Finance</a>", found, StringComparison.Ordinal);
        Assert.DoesNotContain(">Ministry of Health and Family Welfare</a>", found, StringComparison.Ordinal);

        var none = WebUtility.HtmlDecode(await client.GetStringAsync("/?q=no-such-agency-anywhere&sector=health"));
        Assert.Contains("No agency matches these filters.", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task someone_who_leads_no_agency_is_told_so_on_my_agencies()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/my-agencies"));

        Assert.Contains("You lead no agency.", html, StringComparison.Ordinal);
    }
}
