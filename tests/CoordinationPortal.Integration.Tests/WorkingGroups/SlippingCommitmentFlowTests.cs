using System.Security.Claims;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.WorkingGroups;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>
/// Action items into out-of-step evaluation, end to end on the real store: an overdue item on the agency's weakest
/// layer raises a slipping-commitment flag that cites it, and marking it done resolves the flag; an item on a strong
/// layer, or not yet due, raises nothing; a replay of the past sees the items that were open then.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class SlippingCommitmentFlowTests(PortalFixture portal)
{
    private const string RuleId = "slipping-commitment";

    private IServiceProvider Services => portal.Factory.Services;

    private ReadinessFramework Framework => Services.GetRequiredService<ReadinessFramework>();

    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "admin@portal.local"), new Claim(ClaimTypes.Role, Roles.Admin)], "test"));

    private async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = Services.CreateAsyncScope();
        return await act(scope.ServiceProvider);
    }

    /// <summary>A fresh agency with Data at level 1 and every other layer at 3: Data is its weakest layer.</summary>
    private async Task<Guid> AgencyWeakOnDataAsync()
    {
        var id = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await WithAsync(s => s.GetRequiredService<AgencyCommandHandler>().HandleAsSystemAsync(
            new RegisterAgency(id, "Slipping test " + id.ToString("N")[..6], AgencyKind.Ministry, "health", "national", "", DateTimeOffset.UtcNow), CancellationToken.None)));
        foreach (var layer in Layers.All)
        {
            foreach (var indicator in Framework.LayerOf(layer).Indicators)
            {
                var outcome = await WithAsync(s => s.GetRequiredService<AgencyCommandHandler>().HandleAsSystemAsync(new AssessIndicator(
                    id, indicator.Id, layer == Layer.Data ? 1 : 3, "Assessed in a test", "https://evidence.example.org/report", null, null, "", DateTimeOffset.UtcNow), CancellationToken.None));
                Assert.IsType<CommandOutcome.Accepted>(outcome);
            }
        }

        return id;
    }

    private async Task<Guid> GroupOfAsync(Guid agency)
    {
        var id = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await WithAsync(s => s.GetRequiredService<WorkingGroupHandler>().FormAsync(
            Admin, id, new LocalizedText("Slipping group", "फिसलन समूह"), new LocalizedText("Tests slipping", "फिसलन की जाँच"), ForumKind.Sector, [agency], CancellationToken.None)));
        return id;
    }

    private async Task<Guid> ItemAsync(Guid group, Guid agency, Layer layer, int dueInDays, string title)
    {
        var id = Guid.NewGuid();
        var today = Services.GetRequiredService<PortalClock>().Today;
        Assert.IsType<CommandOutcome.Accepted>(await WithAsync(s => s.GetRequiredService<WorkingGroupHandler>().RecordActionItemAsync(
            Admin, group, id, title, agency, null, layer, null, null, today.AddDays(dueInDays), null, CancellationToken.None)));
        return id;
    }

    private async Task<Flag?> SlippingFlagAsync(Guid agency, Guid item)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<Flag>(FlagIds.For(agency, RuleId, item.ToString("D")));
    }

    private async Task<Flag> FlagWhenAsync(Guid agency, Guid item, Func<Flag, bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await SlippingFlagAsync(agency, item) is { } flag && condition(flag))
            {
                return flag;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The slipping-commitment flag did not reach: {what}.");
            await Task.Delay(100);
        }
    }

    private Task<EvaluationSummary> EvaluateAsync(Guid agency) =>
        WithAsync(s => s.GetRequiredService<FlagEvaluator>().EvaluateAsync([agency], CancellationToken.None));

    [Fact]
    public async Task an_overdue_item_on_the_weakest_layer_raises_a_flag_that_cites_it_and_marking_it_done_resolves_it()
    {
        var agency = await AgencyWeakOnDataAsync();
        var group = await GroupOfAsync(agency);

        // Recorded after the meeting with its due date already 40 days past: the change evaluates the agency.
        var item = await ItemAsync(group, agency, Layer.Data, -40, "Publish the data-quality standard");
        var raised = await FlagWhenAsync(agency, item, f => f.Status == FlagStatus.Open, "raised");
        Assert.Equal(SlippingCommitmentRule.KindName, raised.Kind);
        Assert.Equal([Layer.Data], raised.Layers);
        Assert.Contains("Publish the data-quality standard", raised.Explanation.En, StringComparison.Ordinal);
        Assert.Contains("40", raised.Explanation.En, StringComparison.Ordinal);
        Assert.Contains("Publish the data-quality standard", raised.Explanation.Hi, StringComparison.Ordinal);
        Assert.Equal(40, raised.Figures.Single(f => f.Name == "daysOverdue").Value);

        // In progress is still a commitment not kept: the flag stays.
        Assert.IsType<CommandOutcome.Accepted>(await WithAsync(s => s.GetRequiredService<WorkingGroupHandler>().ActOnActionItemAsync(
            Admin, new ChangeActionStatus(item, ActionStatus.InProgress, null, "", default), null, CancellationToken.None)));
        await EvaluateAsync(agency);
        Assert.True((await SlippingFlagAsync(agency, item))!.IsOpen);

        Assert.IsType<CommandOutcome.Accepted>(await WithAsync(s => s.GetRequiredService<WorkingGroupHandler>().ActOnActionItemAsync(
            Admin, new ChangeActionStatus(item, ActionStatus.Done, "Standard published", "", default), null, CancellationToken.None)));
        var resolved = await FlagWhenAsync(agency, item, f => f.Status == FlagStatus.Resolved, "resolved after the item was done");
        Assert.Equal(ResolutionReason.ConditionCleared, resolved.ResolutionReason);
    }

    [Fact]
    public async Task an_item_on_a_strong_layer_or_not_yet_due_raises_nothing_and_dropping_an_overdue_one_resolves_its_flag()
    {
        var agency = await AgencyWeakOnDataAsync();
        var group = await GroupOfAsync(agency);
        var strong = await ItemAsync(group, agency, Layer.Compute, -10, "Procure more GPUs");
        var notDue = await ItemAsync(group, agency, Layer.Data, 0, "Catalogue the datasets");
        var overdue = await ItemAsync(group, agency, Layer.Data, -1, "Appoint a data steward");

        await FlagWhenAsync(agency, overdue, f => f.IsOpen, "raised for the item one day overdue");
        await EvaluateAsync(agency);
        Assert.Null(await SlippingFlagAsync(agency, strong));
        Assert.Null(await SlippingFlagAsync(agency, notDue));

        Assert.IsType<CommandOutcome.Accepted>(await WithAsync(s => s.GetRequiredService<WorkingGroupHandler>().ActOnActionItemAsync(
            Admin, new ChangeActionStatus(overdue, ActionStatus.Dropped, "Merged into the catalogue work", "", default), null, CancellationToken.None)));
        await FlagWhenAsync(agency, overdue, f => f.Status == FlagStatus.Resolved, "resolved after the item was dropped");
    }

    [Fact]
    public async Task the_commitment_source_answers_as_things_stood_at_a_past_moment()
    {
        var agency = await AgencyWeakOnDataAsync();
        var group = await GroupOfAsync(agency);
        var before = DateTimeOffset.UtcNow;
        var item = await ItemAsync(group, agency, Layer.Data, -5, "Clean the registry data");
        var recorded = DateTimeOffset.UtcNow;
        Assert.IsType<CommandOutcome.Accepted>(await WithAsync(s => s.GetRequiredService<WorkingGroupHandler>().ActOnActionItemAsync(
            Admin, new ChangeActionStatus(item, ActionStatus.Done, null, "", default), null, CancellationToken.None)));

        var source = Services.GetServices<ICommitmentSource>().OfType<ActionItemCommitments>().Single();
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        var then = await source.OpenCommitmentsAsync(session, [agency], recorded, CancellationToken.None);
        Assert.Equal(item, Assert.Single(then[agency]).ActionItemId);
        Assert.False((await source.OpenCommitmentsAsync(session, [agency], before, CancellationToken.None)).ContainsKey(agency));
        Assert.False((await source.OpenCommitmentsAsync(session, [agency], DateTimeOffset.UtcNow, CancellationToken.None)).ContainsKey(agency));
    }
}
