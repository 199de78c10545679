using System.Net;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.OutOfStep;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.OutOfStep.RollupTestData;

namespace CoordinationPortal.Integration.Tests.OutOfStep;

/// <summary>
/// The slipping-commitment rule in the portal, short of a real commitment source (the working-groups feature supplies
/// it, and its own tests go end to end): an action-item change evaluates the owner agency, the rule's worked example,
/// and its flags linked to their action items on the board and the agency page.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class SlippingCommitmentTests(PortalFixture portal)
{
    private IServiceProvider Services => portal.Factory.Services;

    private static readonly Dictionary<string, int> ComputeFarAheadOfData = new()
    {
        ["compute.capacity"] = 5,
        ["data.quality-management"] = 1,
    };

    [Fact]
    public async Task an_action_item_change_evaluates_its_owner_agency()
    {
        // Written straight to the store: no change notice, so nothing has evaluated the agency yet.
        var agency = await AgencyAsync(portal, "Action item agency", UniqueCode("slip"), "national", ComputeFarAheadOfData);
        Assert.Empty(await FlagsAsync(agency));

        await Services.GetRequiredService<ChangeFeed>().PublishAsync(
            new PortalChange(ChangeKinds.ActionItem, Guid.NewGuid(), agency), CancellationToken.None);

        // Heard by this process's trigger and evaluated in the background; the flags show that it was.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (!(await FlagsAsync(agency)).Any(f => f.RuleId == "compute-leads-data" && f.IsOpen))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The agency was not evaluated after its action item changed.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public void the_worked_example_flags_the_overdue_item_on_the_weakest_layer_and_not_the_one_not_yet_due()
    {
        var rule = Services.GetRequiredService<RuleSet>().Rules.Single(r => r.Kind == SlippingCommitmentRule.KindName);

        var example = WorkedExamples.For(rule, Services.GetRequiredService<ReadinessFramework>());

        Assert.NotNull(example);
        Assert.Equal(2, example.Facts.Commitments.Count);
        var finding = Assert.Single(example.Findings);
        Assert.Equal(WorkedExamples.ExampleActionItem.ToString("D"), finding.Subject);
        Assert.Equal(FlagSeverity.Medium, finding.Severity); // 30 days overdue: the rule's mediumAfterDays
        Assert.Equal([Layer.Data], finding.Layers);
        Assert.Contains(new Figure("daysOverdue", 30), finding.Figures);
        Assert.Contains(new Figure("dueDate", 20251216), finding.Figures);
        Assert.Contains("was due on 2025-12-16 and is 30 days overdue. It serves Data, the agency's weakest layer at level 2.0", finding.Explanation.En, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_methodology_page_explains_the_kind_and_shows_the_example_with_its_action_items()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/framework"));

        var kind = Section(html, $"data-kind=\"{SlippingCommitmentRule.KindName}\"", "</section>");
        Assert.Contains("Slipping commitments: overdue action items on lagging layers", kind, StringComparison.Ordinal);
        Assert.Contains("Open action item on Data: \"Publish the data-sharing policy / डेटा-साझाकरण नीति प्रकाशित करें\", due 16 Dec 2025.", kind, StringComparison.Ordinal);
        Assert.Contains("is 30 days overdue. It serves Data, the agency's weakest layer at level 2.0", kind, StringComparison.Ordinal);

        using var switched = await client.GetAsync("/culture?culture=hi-IN&returnUrl=/");
        var hindi = Section(WebUtility.HtmlDecode(await client.GetStringAsync("/framework")), $"data-kind=\"{SlippingCommitmentRule.KindName}\"", "</section>");
        Assert.Contains("पिछड़ती प्रतिबद्धताएँ", hindi, StringComparison.Ordinal);
        Assert.Contains("डेटा पर खुला कार्य-बिंदु", hindi, StringComparison.Ordinal);
        Assert.DoesNotContain("Slipping commitments", hindi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_board_links_a_slipping_commitment_flag_to_its_action_item_and_other_flags_to_none()
    {
        var item = Guid.NewGuid();
        var ruleId = "test-slip-" + Guid.NewGuid().ToString("N")[..8];
        var slipping = await FlagAsync(portal, SlippingRaised(Demo.LedAgency, ruleId, item));
        var other = await FlagAsync(portal, Raised(Demo.LedAgency, ruleId, FlagSeverity.Low, DateTimeOffset.UtcNow.AddDays(-1)));
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var html = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/flags?rule={ruleId}"));

        var row = Section(html, $"data-flag=\"{slipping}\"", "</tr>");
        Assert.Contains($"href=\"/action-items/{item:D}\"", row, StringComparison.Ordinal);
        Assert.Contains("Action item", row, StringComparison.Ordinal);
        Assert.Contains("Ministry of Health and Family Welfare</span>", row, StringComparison.Ordinal); // the link's name for screen readers
        Assert.DoesNotContain("action-item-link", Section(html, $"data-flag=\"{other}\"", "</tr>"), StringComparison.Ordinal);

        using var switched = await viewer.GetAsync("/culture?culture=hi-IN&returnUrl=/");
        var hindi = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/flags?rule={ruleId}"));
        Assert.Contains("कार्य-बिंदु", Section(hindi, $"data-flag=\"{slipping}\"", "</tr>"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_agency_page_links_its_slipping_commitment_flag_to_the_action_item()
    {
        var agency = await AgencyAsync(portal, "Action item page agency", UniqueCode("slippage"), "national", ComputeFarAheadOfData);
        var item = Guid.NewGuid();
        var flag = await FlagAsync(portal, SlippingRaised(agency, "slipping-commitment", item));
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var html = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/agencies/{agency}"));

        var row = Section(html, $"data-flag=\"{flag}\"", "</tr>");
        Assert.Contains($"href=\"/action-items/{item:D}\"", row, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Commitment slipping</th>", row, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("")]
    [InlineData("../admin")]
    public void a_subject_that_is_not_an_action_item_id_links_nowhere(string subject)
    {
        var flag = Flag.Evolve(null, SlippingRaised(Guid.NewGuid(), "slipping-commitment", Guid.NewGuid()) with { Subject = subject })!;

        Assert.Null(Web.OutOfStep.Pages.ActionItemLink.Href(flag));
    }

    /// <summary>A slipping-commitment flag as the evaluation raises it: the subject is the action item's id.</summary>
    private static FlagRaised SlippingRaised(Guid agencyId, string ruleId, Guid actionItem)
    {
        var subject = actionItem.ToString("D");
        return new FlagRaised(
            FlagIds.For(agencyId, ruleId, subject), agencyId, ruleId, SlippingCommitmentRule.KindName, subject, FlagSeverity.Medium, [Layer.Data],
            [new Figure("daysOverdue", 45), new Figure("dueDate", 20260115)],
            new LocalizedText(
                "The action item \"Publish the data-sharing policy\" was due on 2026-01-15 and is 45 days overdue.",
                "कार्य-बिंदु \"Publish the data-sharing policy\" की नियत तिथि 2026-01-15 थी और यह 45 दिन अतिदेय है।"),
            1, DateTimeOffset.UtcNow.AddDays(-2));
    }

    private async Task<List<Flag>> FlagsAsync(Guid agencyId)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. await session.Query<Flag>().Where(f => f.AgencyId == agencyId).ToListAsync()];
    }

    /// <summary>The markup from the element carrying <paramref name="marker"/> to the next <paramref name="end"/>.</summary>
    private static string Section(string html, string marker, string end)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"Nothing marked {marker} on the page.");
        var stop = html.IndexOf(end, start, StringComparison.Ordinal);
        return stop < 0 ? html[start..] : html[start..stop];
    }
}
