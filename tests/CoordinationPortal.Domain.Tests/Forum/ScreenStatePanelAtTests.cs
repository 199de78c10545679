using CoordinationPortal.Domain.Forum;
using static CoordinationPortal.Domain.Tests.Forum.ScreenStateSpec;

namespace CoordinationPortal.Domain.Tests.Forum;

/// <summary>The panel on the screen at a moment: what every screen and the operator's preview compute alike.</summary>
public sealed class ScreenStatePanelAtTests
{
    private static readonly ScreenState Rotating = Default with
    {
        Rotating = true,
        RotationPanels = [ScreenPanel.Heatmap, ScreenPanel.Flags, ScreenPanel.Changes],
        RotationSeconds = 20,
        RotationSince = Now,
        Shown = ScreenPanel.Agenda,
    };

    [Fact]
    public void without_rotation_the_shown_panel_is_on_at_any_moment()
    {
        var state = Default with { Shown = ScreenPanel.Flags };
        Assert.Equal(ScreenPanel.Flags, state.PanelAt(Now));
        Assert.Equal(ScreenPanel.Flags, state.PanelAt(Now.AddHours(5)));
    }

    [Theory]
    [InlineData(0, ScreenPanel.Heatmap)]
    [InlineData(19.9, ScreenPanel.Heatmap)]
    [InlineData(20, ScreenPanel.Flags)]
    [InlineData(39, ScreenPanel.Flags)]
    [InlineData(40, ScreenPanel.Changes)]
    [InlineData(60, ScreenPanel.Heatmap)]
    [InlineData(3600 + 25, ScreenPanel.Flags)]
    public void a_rotation_shows_each_panel_for_its_interval_in_turn(double seconds, ScreenPanel expected) =>
        Assert.Equal(expected, Rotating.PanelAt(Now.AddSeconds(seconds)));

    [Fact]
    public void before_the_rotation_began_its_first_panel_shows() =>
        Assert.Equal(ScreenPanel.Heatmap, Rotating.PanelAt(Now.AddSeconds(-30)));

    [Fact]
    public void a_paused_rotation_shows_the_panel_it_holds() =>
        Assert.Equal(ScreenPanel.Agenda, (Rotating with { Paused = true }).PanelAt(Now.AddSeconds(25)));

    [Fact]
    public void pause_and_resume_through_the_decider_keep_the_screen_where_it_was()
    {
        var pausedAt = Now.AddSeconds(47);
        var paused = ScreenStateDecider.Decide(new PauseRotation(Chair, pausedAt), Rotating, Session).After!;
        Assert.Equal(ScreenPanel.Changes, paused.PanelAt(pausedAt));
        Assert.Equal(ScreenPanel.Changes, paused.PanelAt(pausedAt.AddMinutes(30)));

        var resumedAt = pausedAt.AddMinutes(30);
        var resumed = ScreenStateDecider.Decide(new ResumeRotation(Chair, resumedAt), paused, Session).After!;
        Assert.Equal(ScreenPanel.Changes, resumed.PanelAt(resumedAt));
        Assert.Equal(ScreenPanel.Heatmap, resumed.PanelAt(resumedAt.AddSeconds(20)));
    }

    [Fact]
    public void a_rotation_without_panels_or_interval_falls_back_to_the_shown_panel()
    {
        Assert.Equal(ScreenPanel.Agenda, (Rotating with { RotationPanels = [] }).PanelAt(Now.AddSeconds(30)));
        Assert.Equal(ScreenPanel.Agenda, (Rotating with { RotationSeconds = 0 }).PanelAt(Now.AddSeconds(30)));
    }
}
