using System.Security.Claims;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.WorkingGroups;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>
/// "When its target indicator reaches the target level, or the flag it answers resolves, the portal proposes it as
/// done; it never closes silently": against the real store, the change feed and the Hangfire server of the test portal.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ProposedDoneTests(PortalFixture portal)
{
    private IServiceProvider Services => portal.Factory.Services;

    private ReadinessFramework Framework => Services.GetRequiredService<ReadinessFramework>();

    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "admin@portal.local"), new Claim(ClaimTypes.Role, Roles.Admin)], "test"));

    private async Task<T> WithHandlerAsync<T>(Func<WorkingGroupHandler, Task<T>> act)
    {
        await using var scope = Services.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<WorkingGroupHandler>());
    }

    private async Task<CommandOutcome> AgencyAsync(AgencyCommand command)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>().HandleAsSystemAsync(command, CancellationToken.None);
    }

    private async Task<Guid> NewAgencyAsync()
    {
        var id = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await AgencyAsync(
            new RegisterAgency(id, "Proposal test " + id.ToString("N")[..6], AgencyKind.Ministry, "health", "national", "", DateTimeOffset.UtcNow)));
        return id;
    }

    private Task<CommandOutcome> AssessAsync(Guid agencyId, string indicatorId, int level) =>
        AgencyAsync(new AssessIndicator(agencyId, indicatorId, level, "Assessed in a test", "https://evidence.example.org/report", null, null, "", DateTimeOffset.UtcNow));

    private async Task<Guid> NewGroupAsync(params Guid[] agencies)
    {
        var id = Guid.NewGuid();
        var outcome = await WithHandlerAsync(h => h.FormAsync(
            Admin, id, new LocalizedText("Proposal group", "प्रस्ताव समूह"), new LocalizedText("Tests proposals", "प्रस्तावों की जाँच"), ForumKind.Sector, agencies, CancellationToken.None));
        Assert.IsType<CommandOutcome.Accepted>(outcome);
        return id;
    }

    private async Task<ActionItem> ItemAsync(Guid id)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<ActionItem>(id) ?? throw new InvalidOperationException("No such action item.");
    }

    /// <summary>The item once <paramref name="condition"/> holds: the check runs as a background job after the change commits.</summary>
    private async Task<ActionItem> ItemWhenAsync(Guid id, Func<ActionItem, bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var item = await ItemAsync(id);
            if (condition(item))
            {
                return item;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The action item did not reach: {what}. Proposal: {item.Proposal?.ToString() ?? "none"}, status {item.Status}.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task reaching_the_target_level_proposes_the_item_as_done_without_closing_it_and_a_dismissal_holds_until_a_newer_assessment()
    {
        var agency = await NewAgencyAsync();
        var indicator = Framework.LayerOf(Layer.Data).Indicators[0].Id;
        Assert.IsType<CommandOutcome.Accepted>(await AssessAsync(agency, indicator, 2));
        var group = await NewGroupAsync(agency);
        var itemId = Guid.NewGuid();
        var recorded = await WithHandlerAsync(h => h.RecordActionItemAsync(
            Admin, group, itemId, "Publish the data catalogue", agency, null, Layer.Data, null, new ActionTarget(indicator, 3),
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30), null, CancellationToken.None));
        Assert.IsType<CommandOutcome.Accepted>(recorded);

        // Below the target: recording it checks it, and nothing is proposed.
        await Task.Delay(1500);
        Assert.Null((await ItemAsync(itemId)).Proposal);

        Assert.IsType<CommandOutcome.Accepted>(await AssessAsync(agency, indicator, 3));
        var proposed = await ItemWhenAsync(itemId, i => i.Proposal is not null, "proposed after the target was reached");
        Assert.Equal(ProposalReason.TargetReached, proposed.Proposal);
        Assert.Equal(ActionStatus.Open, proposed.Status);

        // Dismissed: the same fact (the same assessment) does not bring it back, even when checked again.
        var dismissed = await WithHandlerAsync(h => h.ActOnActionItemAsync(Admin, new DismissProposal(itemId, "Not yet published", "", default), null, CancellationToken.None));
        Assert.IsType<CommandOutcome.Accepted>(dismissed);
        await using (var scope = Services.CreateAsyncScope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<ActionItemProposalJob>().ForAgencyAsync(agency, CancellationToken.None));
        }

        Assert.Null((await ItemAsync(itemId)).Proposal);

        // A newer assessment at the target level is a newer fact: proposed again. Confirming it is a person's status change.
        Assert.IsType<CommandOutcome.Accepted>(await AssessAsync(agency, indicator, 4));
        await ItemWhenAsync(itemId, i => i.Proposal == ProposalReason.TargetReached, "proposed again after a newer assessment");
        var done = await WithHandlerAsync(h => h.ActOnActionItemAsync(Admin, new ChangeActionStatus(itemId, ActionStatus.Done, "Confirmed", "", default), null, CancellationToken.None));
        Assert.IsType<CommandOutcome.Accepted>(done);
        var closed = await ItemAsync(itemId);
        Assert.Equal(ActionStatus.Done, closed.Status);
        Assert.Null(closed.Proposal);
    }

    [Fact]
    public async Task the_resolution_of_the_flag_an_item_answers_proposes_it_as_done()
    {
        var agency = await NewAgencyAsync();
        foreach (var layer in Layers.All)
        {
            foreach (var indicator in Framework.LayerOf(layer).Indicators)
            {
                Assert.IsType<CommandOutcome.Accepted>(await AssessAsync(agency, indicator.Id, layer == Layer.Data ? 1 : 4));
            }
        }

        // Data far below the rest: the evaluation after those assessments raises flags on Data.
        var flag = await FlagWhenAsync(agency, f => f.IsOpen && f.Layers.Contains(Layer.Data));
        var group = await NewGroupAsync(agency);
        var itemId = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await WithHandlerAsync(h => h.RecordActionItemAsync(
            Admin, group, itemId, "Close the data gap", agency, "cdo@example.gov.in", Layer.Data, flag.Id, null,
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3), null, CancellationToken.None)));
        Assert.Null((await ItemAsync(itemId)).Proposal);

        foreach (var indicator in Framework.LayerOf(Layer.Data).Indicators)
        {
            Assert.IsType<CommandOutcome.Accepted>(await AssessAsync(agency, indicator.Id, 4));
        }

        var proposed = await ItemWhenAsync(itemId, i => i.Proposal is not null, "proposed after its flag resolved");
        Assert.Equal(ProposalReason.FlagResolved, proposed.Proposal);
        Assert.True(proposed.IsOpen);
    }

    [Fact]
    public async Task an_item_without_a_target_or_a_flag_is_never_proposed()
    {
        var agency = await NewAgencyAsync();
        var group = await NewGroupAsync(agency);
        var itemId = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await WithHandlerAsync(h => h.RecordActionItemAsync(
            Admin, group, itemId, "Hold a skills workshop", agency, null, Layer.Skills, null, null, DateOnly.FromDateTime(DateTime.UtcNow), null, CancellationToken.None)));
        foreach (var indicator in Framework.LayerOf(Layer.Skills).Indicators)
        {
            Assert.IsType<CommandOutcome.Accepted>(await AssessAsync(agency, indicator.Id, 5));
        }

        await using var scope = Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<ActionItemProposalJob>().ForAgencyAsync(agency, CancellationToken.None));
        Assert.Null((await ItemAsync(itemId)).Proposal);
    }

    private async Task<Flag> FlagWhenAsync(Guid agencyId, Func<Flag, bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (true)
        {
            await using (var session = Services.GetRequiredService<IDocumentStore>().QuerySession())
            {
                var flag = (await session.Query<Flag>().Where(f => f.AgencyId == agencyId).ToListAsync()).FirstOrDefault(condition);
                if (flag is not null)
                {
                    return flag;
                }
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "No flag on the agency reached the expected state.");
            await Task.Delay(100);
        }
    }
}
