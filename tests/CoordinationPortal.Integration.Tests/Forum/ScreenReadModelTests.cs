using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Forum.Screen;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupPageData;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>
/// The room screen's read model on the real store: the heatmap's numbers, the member agencies' open flags by severity,
/// the group's items due or overdue, and what changed since the session started, read from the event history.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ScreenReadModelTests(PortalFixture portal)
{
    [Fact]
    public async Task the_heatmap_shows_each_member_agency_with_a_number_per_layer_and_nothing_of_other_agencies()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync();
        await bed.AssessAsync(bed.Assessed, bed.ComputeIndicator, 4);
        await bed.AssessAsync(bed.Outside, bed.ComputeIndicator, 5);

        var view = await bed.ViewAsync();

        Assert.Equal(new[] { bed.Assessed, bed.Flagged }.Order(), view.Heatmap.Select(r => r.AgencyId).Order());
        var assessed = view.Heatmap.Single(r => r.AgencyId == bed.Assessed);
        Assert.Equal(75, assessed.Scores[(int)Layer.Compute]); // one indicator at level 4: (4 − 1) / 4 × 100
        Assert.All(assessed.Scores.Skip(1), Assert.Null);
        Assert.All(view.Heatmap.Single(r => r.AgencyId == bed.Flagged).Scores, Assert.Null);
        Assert.Equal(0, view.HeatmapMore);
        Assert.Equal(ScreenPanel.Heatmap, view.State.PanelAt(view.AsOf)); // no operator yet: the default state
    }

    [Fact]
    public async Task open_flags_of_member_agencies_come_high_first_with_their_explanation_and_outsiders_are_left_out()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync();
        var low = await bed.RaiseAsync(bed.Flagged, FlagSeverity.Low, "Skills lag data by two levels.");
        var high = await bed.RaiseAsync(bed.Flagged, FlagSeverity.High, "Compute is at level 4 but data is at level 2.");
        var medium = await bed.RaiseAsync(bed.Assessed, FlagSeverity.Medium, "Governance trails operations.");
        var outside = await bed.RaiseAsync(bed.Outside, FlagSeverity.High, "Not a member.");

        var view = await bed.ViewAsync();

        Assert.Equal([high, medium, low], view.Flags.Select(f => f.FlagId));
        Assert.DoesNotContain(view.Flags, f => f.FlagId == outside);
        Assert.Equal("Compute is at level 4 but data is at level 2.", view.Flags[0].Explanation.En);
        Assert.Equal("हिंदी: Compute is at level 4 but data is at level 2.", view.Flags[0].Explanation.Hi);
        Assert.Equal(0, view.FlagsMore);
    }

    [Fact]
    public async Task action_items_due_within_a_week_or_overdue_are_listed_overdue_first_and_the_rest_are_not()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync();
        var soon = await ItemAsync(portal, bed.Group, "Due in three days", bed.Assessed, bed.Today.AddDays(3));
        var overdue = await ItemAsync(portal, bed.Group, "Three days overdue", bed.Flagged, bed.Today.AddDays(-3));
        var later = await ItemAsync(portal, bed.Group, "Due next month", bed.Assessed, bed.Today.AddDays(30));
        var done = await ItemAsync(portal, bed.Group, "Done already", bed.Assessed, bed.Today.AddDays(-1));
        Assert.IsType<CommandOutcome.Accepted>(await StatusAsync(portal, Chair, done, ActionStatus.Done));

        var view = await bed.ViewAsync();

        Assert.Equal([overdue, soon], view.ActionItems.Select(i => i.ActionItemId));
        Assert.Equal(3, view.ActionItems[0].DaysOverdue);
        Assert.Equal(0, view.ActionItems[1].DaysOverdue);
        Assert.DoesNotContain(view.ActionItems, i => i.ActionItemId == later || i.ActionItemId == done);
    }

    [Fact]
    public async Task what_changed_since_the_session_started_comes_from_the_events_newest_first_with_old_and_new_levels()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync(start: false);
        await bed.AssessAsync(bed.Assessed, bed.ComputeIndicator, 2); // before the start: not news
        var item = await ItemAsync(portal, bed.Group, "Publish the GPU plan", bed.Assessed, bed.Today.AddDays(5));
        await bed.StartAsync();

        await bed.AssessAsync(bed.Assessed, bed.ComputeIndicator, 4);
        var flag = await bed.RaiseAsync(bed.Flagged, FlagSeverity.High, "Raised during the session.");
        Assert.IsType<CommandOutcome.Accepted>(await StatusAsync(portal, Chair, item, ActionStatus.Done));
        await bed.AssessAsync(bed.Outside, bed.ComputeIndicator, 5); // not a member

        var view = await bed.ViewAsync();

        Assert.NotNull(view.StartedAt);
        Assert.Equal([ScreenChangeKind.ActionItemDone, ScreenChangeKind.FlagRaised, ScreenChangeKind.Assessed], view.Changes.Select(c => c.Kind));
        var assessed = view.Changes[2];
        Assert.Equal((bed.Assessed, Layer.Compute, 2, 4), (assessed.AgencyId, assessed.Layer!.Value, assessed.FromLevel!.Value, assessed.ToLevel!.Value));
        Assert.Equal("Raised during the session.", view.Changes[1].Subject.En);
        Assert.Equal("Publish the GPU plan", view.Changes[0].Subject.En);
        Assert.DoesNotContain(view.Changes, c => c.AgencyId == bed.Outside);
        Assert.All(view.Changes, c => Assert.Equal(view.AsOf.Offset, c.At.Offset)); // the room's clock, not UTC
        Assert.Contains(view.Flags, f => f.FlagId == flag);
    }

    [Fact]
    public async Task a_session_not_started_counts_changes_from_its_planned_start_and_an_unknown_session_has_no_screen()
    {
        var bed = await new ScreenTestBed(portal).CreateAsync(start: false);
        await bed.AssessAsync(bed.Assessed, bed.ComputeIndicator, 3);

        var view = await bed.ViewAsync();

        Assert.Null(view.StartedAt);
        var change = Assert.Single(view.Changes);
        Assert.Equal((ScreenChangeKind.Assessed, (int?)null, (int?)3), (change.Kind, change.FromLevel, change.ToLevel));

        await using var scope = portal.Factory.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<ForumScreenQueries>().LoadAsync(Guid.NewGuid(), default));
    }
}
