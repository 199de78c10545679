using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Tests.Framework;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Agencies;

/// <summary>A batch of assessments decided as one (a spreadsheet import): in order, whole or not at all.</summary>
public sealed class DecideAllTests
{
    private static readonly DateTimeOffset Now = At(2026, 5, 17);

    private static Agency Registered() => Agency.Fold([Some.Registered()])!;

    private static AssessIndicator Assess(string indicatorId, int level, string? url = null) =>
        new(AgencyId, indicatorId, level, Note, url, null, null, Lead, Now);

    [Fact]
    public void every_command_in_the_batch_is_recorded_in_order()
    {
        var decision = AgencyDecider.DecideAll([Assess("data.quality", 2), Assess("compute.capacity", 4)], Registered(), SmallFramework.Instance);

        Assert.True(decision.IsAccepted);
        Assert.Equal(
            [("data.quality", 2), ("compute.capacity", 4)],
            decision.Events.Cast<IndicatorAssessed>().Select(e => (e.IndicatorId, e.Level)).ToArray());
    }

    [Fact]
    public void one_refused_command_refuses_the_whole_batch_with_its_reason_and_no_events()
    {
        var decision = AgencyDecider.DecideAll(
            [Assess("data.quality", 2), Assess("compute.capacity", 9), Assess("skills.training", 3)], Registered(), SmallFramework.Instance);

        Assert.False(decision.IsAccepted);
        Assert.Empty(decision.Events);
        Assert.Equal("Level.OutOfRange", Assert.Single(decision.Errors).Code);
    }

    [Fact]
    public void each_command_is_decided_on_the_state_the_ones_before_it_leave()
    {
        // The second assessment of the same indicator is decided after the first: both are recorded, the last one counts.
        var decision = AgencyDecider.DecideAll([Assess("data.quality", 2), Assess("data.quality", 3)], Registered(), SmallFramework.Instance);

        Assert.True(decision.IsAccepted);
        var after = decision.Events.Aggregate((Agency?)Registered(), Agency.Evolve)!;
        Assert.Equal(3, after.Levels["data.quality"]);
    }

    [Fact]
    public void an_empty_batch_is_accepted_with_nothing_to_record()
    {
        var decision = AgencyDecider.DecideAll([], Registered(), SmallFramework.Instance);

        Assert.True(decision.IsAccepted);
        Assert.Empty(decision.Events);
    }
}
