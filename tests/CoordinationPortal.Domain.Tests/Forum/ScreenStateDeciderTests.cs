using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.Forum.ScreenStateSpec;

namespace CoordinationPortal.Domain.Tests.Forum;

/// <summary>The operator's commands on the room screen: panels, rotation, language, countdowns, polls, and when the screen may be managed.</summary>
public sealed class ScreenStateDeciderTests
{
    private static readonly ScreenPanel[] Three = [ScreenPanel.Heatmap, ScreenPanel.Flags, ScreenPanel.ActionItems];

    /// <summary>Rotating through <see cref="Three"/> every 20 s since <see cref="ScreenStateSpec.Now"/>.</summary>
    private static ScreenState Rotating => Stamped(Default with
    {
        Rotating = true,
        RotationPanels = Three,
        RotationSeconds = 20,
        RotationSince = Now,
        Shown = ScreenPanel.Heatmap,
    }, Now);

    // Panels

    [Fact]
    public void showing_a_panel_puts_it_on_the_screen() =>
        GivenDefault()
            .When(new ShowPanel(ScreenPanel.Flags, Chair, Now))
            .Then(Stamped(Default with { Shown = ScreenPanel.Flags }, Now));

    [Fact]
    public void showing_the_panel_already_shown_changes_nothing() =>
        Given(Default with { Shown = ScreenPanel.Changes })
            .When(new ShowPanel(ScreenPanel.Changes, Chair, Now))
            .ThenUnchanged();

    [Fact]
    public void showing_a_panel_while_the_screen_rotates_pauses_the_rotation_on_it() =>
        Given(Rotating)
            .When(new ShowPanel(ScreenPanel.Agenda, Secretary, Now.AddSeconds(45)))
            .Then(Stamped(Rotating with { Shown = ScreenPanel.Agenda, Paused = true }, Now.AddSeconds(45), Secretary));

    [Fact]
    public void showing_the_panel_a_running_rotation_is_on_still_holds_it_there() =>
        Given(Rotating)
            .When(new ShowPanel(ScreenPanel.Heatmap, Chair, Now.AddSeconds(5)))
            .Then(Stamped(Rotating with { Paused = true }, Now.AddSeconds(5)));

    [Fact]
    public void an_unknown_panel_is_refused() =>
        GivenDefault().When(new ShowPanel((ScreenPanel)42, Chair, Now)).ThenRejectedWith("Screen.UnknownPanel");

    [Fact]
    public void the_poll_panel_without_a_poll_is_refused() =>
        GivenDefault().When(new ShowPanel(ScreenPanel.Poll, Chair, Now)).ThenRejectedWith("Screen.NoPoll");

    // Rotation

    [Fact]
    public void starting_a_rotation_starts_it_now_on_its_first_panel() =>
        GivenDefault()
            .When(new StartRotation([ScreenPanel.Flags, ScreenPanel.Changes], 30, Chair, Now))
            .Then(Stamped(Default with
            {
                Rotating = true,
                RotationPanels = [ScreenPanel.Flags, ScreenPanel.Changes],
                RotationSeconds = 30,
                RotationSince = Now,
                Shown = ScreenPanel.Flags,
            }, Now));

    [Fact]
    public void starting_a_rotation_again_while_paused_unpauses_and_restarts_it() =>
        Given(Rotating with { Paused = true, Shown = ScreenPanel.Agenda })
            .When(new StartRotation(Three, 20, Chair, Now.AddMinutes(3)))
            .Then(Stamped(Rotating with { RotationSince = Now.AddMinutes(3) }, Now.AddMinutes(3)));

    [Fact]
    public void starting_the_rotation_that_already_runs_changes_nothing() =>
        Given(Rotating).When(new StartRotation(Three, 20, Chair, Now.AddSeconds(50))).ThenUnchanged();

    [Theory]
    [InlineData(4)]
    [InlineData(601)]
    [InlineData(0)]
    [InlineData(-20)]
    public void an_interval_outside_5_to_600_seconds_is_refused(int seconds) =>
        GivenDefault().When(new StartRotation(Three, seconds, Chair, Now)).ThenRejectedWith("Screen.RotationSeconds");

    [Theory]
    [InlineData(5)]
    [InlineData(600)]
    public void intervals_of_5_and_600_seconds_are_allowed(int seconds) =>
        Assert.True(GivenDefault().When(new StartRotation(Three, seconds, Chair, Now)).Decision.After is { Rotating: true });

    [Fact]
    public void a_rotation_needs_a_panel() =>
        GivenDefault().When(new StartRotation([], 20, Chair, Now)).ThenRejectedWith("Screen.RotationPanelsRequired");

    [Fact]
    public void a_rotation_names_each_panel_once() =>
        GivenDefault().When(new StartRotation([ScreenPanel.Flags, ScreenPanel.Heatmap, ScreenPanel.Flags], 20, Chair, Now))
            .ThenRejectedWith("Screen.RotationPanelsRepeated");

    [Fact]
    public void every_mistake_in_a_rotation_is_reported_at_once() =>
        GivenDefault().When(new StartRotation([(ScreenPanel)9], 2, Chair, Now)).ThenRejectedWith("Screen.UnknownPanel", "Screen.RotationSeconds");

    [Fact]
    public void the_poll_panel_rotates_only_while_a_poll_is_on_the_screen()
    {
        GivenDefault().When(new StartRotation([ScreenPanel.Heatmap, ScreenPanel.Poll], 20, Chair, Now)).ThenRejectedWith("Screen.NoPoll");
        var withPoll = Default with { PollId = PollId, Shown = ScreenPanel.Poll };
        Assert.NotNull(Given(withPoll).When(new StartRotation([ScreenPanel.Heatmap, ScreenPanel.Poll], 20, Chair, Now)).Decision.After);
    }

    [Fact]
    public void pausing_holds_the_panel_the_rotation_shows_at_that_moment() =>
        Given(Rotating)
            .When(new PauseRotation(Chair, Now.AddSeconds(45)))
            .Then(Stamped(Rotating with { Paused = true, Shown = ScreenPanel.ActionItems }, Now.AddSeconds(45)));

    [Fact]
    public void pausing_a_paused_rotation_changes_nothing() =>
        Given(Rotating with { Paused = true }).When(new PauseRotation(Chair, Now.AddMinutes(1))).ThenUnchanged();

    [Fact]
    public void pausing_or_resuming_without_a_rotation_is_refused()
    {
        GivenDefault().When(new PauseRotation(Chair, Now)).ThenRejectedWith("Screen.NotRotating");
        GivenDefault().When(new ResumeRotation(Chair, Now)).ThenRejectedWith("Screen.NotRotating");
    }

    [Fact]
    public void resuming_gives_the_held_panel_a_full_interval_then_goes_on_in_order()
    {
        // Paused on the second panel (flags) at 0:25; resumed ten minutes later.
        var paused = Given(Rotating).When(new PauseRotation(Chair, Now.AddSeconds(25))).Then(
            Stamped(Rotating with { Paused = true, Shown = ScreenPanel.Flags }, Now.AddSeconds(25)));
        var resumedAt = Now.AddMinutes(10);
        var resumed = Given(paused).When(new ResumeRotation(Secretary, resumedAt)).Then(
            Stamped(paused with { Paused = false, RotationSince = resumedAt.AddSeconds(-20) }, resumedAt, Secretary));

        Assert.Equal(ScreenPanel.Flags, resumed.PanelAt(resumedAt));
        Assert.Equal(ScreenPanel.Flags, resumed.PanelAt(resumedAt.AddSeconds(19)));
        Assert.Equal(ScreenPanel.ActionItems, resumed.PanelAt(resumedAt.AddSeconds(20)));
        Assert.Equal(ScreenPanel.Heatmap, resumed.PanelAt(resumedAt.AddSeconds(40)));
    }

    [Fact]
    public void resuming_on_a_panel_outside_the_rotation_starts_it_from_its_first_panel() =>
        Given(Rotating with { Paused = true, Shown = ScreenPanel.Agenda })
            .When(new ResumeRotation(Chair, Now.AddMinutes(2)))
            .Then(Stamped(Rotating with { RotationSince = Now.AddMinutes(2), Shown = ScreenPanel.Heatmap }, Now.AddMinutes(2)));

    [Fact]
    public void resuming_a_running_rotation_changes_nothing() =>
        Given(Rotating).When(new ResumeRotation(Chair, Now.AddMinutes(2))).ThenUnchanged();

    [Fact]
    public void stopping_the_rotation_keeps_the_panel_it_was_on() =>
        Given(Rotating)
            .When(new StopRotation(Chair, Now.AddSeconds(85)))
            .Then(Stamped(Rotating with { Rotating = false, Shown = ScreenPanel.Flags }, Now.AddSeconds(85)));

    [Fact]
    public void stopping_without_a_rotation_changes_nothing() =>
        GivenDefault().When(new StopRotation(Chair, Now)).ThenUnchanged();

    // Language

    [Theory]
    [InlineData(ScreenLanguage.Hindi)]
    [InlineData(ScreenLanguage.Alternate)]
    public void the_language_is_set(ScreenLanguage language) =>
        GivenDefault().When(new SetLanguage(language, Chair, Now)).Then(Stamped(Default with { Language = language }, Now));

    [Fact]
    public void the_same_language_again_changes_nothing_and_an_unknown_one_is_refused()
    {
        GivenDefault().When(new SetLanguage(ScreenLanguage.English, Chair, Now)).ThenUnchanged();
        GivenDefault().When(new SetLanguage((ScreenLanguage)7, Chair, Now)).ThenRejectedWith("Screen.UnknownLanguage");
    }

    // Countdown

    [Fact]
    public void a_countdown_runs_for_the_agenda_items_duration_by_default() =>
        GivenDefault()
            .When(new StartCountdown(Capacity.Id, null, Chair, Now))
            .Then(Stamped(Default with { Countdown = new Countdown(Capacity.Id, "GPU capacity report", Now, Now.AddMinutes(20)) }, Now));

    [Fact]
    public void a_countdown_may_be_given_its_own_minutes_and_replaces_the_one_running()
    {
        var running = Default with { Countdown = new Countdown(Capacity.Id, Capacity.Title, Now.AddMinutes(-5), Now.AddMinutes(15)) };
        Given(running)
            .When(new StartCountdown(Budget.Id, 3, Chair, Now))
            .Then(Stamped(running with { Countdown = new Countdown(Budget.Id, "Budget", Now, Now.AddMinutes(3)) }, Now));
    }

    [Fact]
    public void a_countdown_is_for_an_agenda_item_of_the_session() =>
        GivenDefault().When(new StartCountdown(Stranger, 10, Chair, Now)).ThenRejectedWith("Screen.AgendaItemNotInSession");

    [Theory]
    [InlineData(0)]
    [InlineData(241)]
    [InlineData(-1)]
    public void a_countdown_lasts_1_to_240_minutes(int minutes) =>
        GivenDefault().When(new StartCountdown(Capacity.Id, minutes, Chair, Now)).ThenRejectedWith("Screen.CountdownMinutes");

    [Fact]
    public void an_agenda_item_longer_than_240_minutes_needs_minutes_of_its_own()
    {
        var marathon = new AgendaItem(Guid.NewGuid(), "Workshop", 300, null);
        var session = Session with { Agenda = [marathon] };
        Given(Default, session).When(new StartCountdown(marathon.Id, null, Chair, Now)).ThenRejectedWith("Screen.CountdownMinutes");
        Assert.NotNull(Given(Default, session).When(new StartCountdown(marathon.Id, 90, Chair, Now)).Decision.After);
    }

    [Fact]
    public void extending_adds_minutes_to_the_running_countdown()
    {
        var running = Default with { Countdown = new Countdown(Capacity.Id, Capacity.Title, Now, Now.AddMinutes(20)) };
        Given(running)
            .When(new ExtendCountdown(1, Chair, Now.AddMinutes(19)))
            .Then(Stamped(running with { Countdown = running.Countdown! with { EndsAt = Now.AddMinutes(21) } }, Now.AddMinutes(19)));
    }

    [Fact]
    public void extending_a_countdown_that_ran_out_counts_from_now()
    {
        var over = Default with { Countdown = new Countdown(Capacity.Id, Capacity.Title, Now, Now.AddMinutes(20)) };
        var at = Now.AddMinutes(23);
        Given(over)
            .When(new ExtendCountdown(2, Chair, at))
            .Then(Stamped(over with { Countdown = over.Countdown! with { EndsAt = at.AddMinutes(2) } }, at));
    }

    [Fact]
    public void extending_needs_a_countdown_and_stays_within_240_minutes()
    {
        GivenDefault().When(new ExtendCountdown(1, Chair, Now)).ThenRejectedWith("Screen.NoCountdown");
        var long_ = Default with { Countdown = new Countdown(Capacity.Id, Capacity.Title, Now, Now.AddMinutes(239)) };
        Given(long_).When(new ExtendCountdown(2, Chair, Now)).ThenRejectedWith("Screen.CountdownTooLong");
        Given(long_).When(new ExtendCountdown(0, Chair, Now)).ThenRejectedWith("Screen.CountdownMinutes");
    }

    [Fact]
    public void stopping_the_countdown_removes_it_and_stopping_none_changes_nothing()
    {
        var running = Default with { Countdown = new Countdown(Capacity.Id, Capacity.Title, Now, Now.AddMinutes(20)) };
        Given(running).When(new StopCountdown(Chair, Now.AddMinutes(4))).Then(Stamped(Default, Now.AddMinutes(4)));
        GivenDefault().When(new StopCountdown(Chair, Now)).ThenUnchanged();
    }

    // Polls

    [Fact]
    public void showing_a_poll_puts_it_on_the_poll_panel_and_shows_that_panel() =>
        GivenDefault()
            .When(new ShowPoll(PollId, Chair, Now))
            .Then(Stamped(Default with { PollId = PollId, Shown = ScreenPanel.Poll }, Now));

    [Fact]
    public void showing_a_poll_while_rotating_pauses_the_rotation_on_it() =>
        Given(Rotating)
            .When(new ShowPoll(PollId, Chair, Now.AddSeconds(10)))
            .Then(Stamped(Rotating with { PollId = PollId, Shown = ScreenPanel.Poll, Paused = true }, Now.AddSeconds(10)));

    [Fact]
    public void showing_another_poll_while_the_poll_panel_is_held_swaps_the_poll()
    {
        var shown = Default with { PollId = PollId, Shown = ScreenPanel.Poll };
        Given(shown).When(new ShowPoll(OtherPollId, Chair, Now)).Then(Stamped(shown with { PollId = OtherPollId }, Now));
        Given(shown).When(new ShowPoll(PollId, Chair, Now)).ThenUnchanged();
        GivenDefault().When(new ShowPoll(Guid.Empty, Chair, Now)).ThenRejectedWith("Screen.PollRequired");
    }

    [Fact]
    public void hiding_the_poll_lets_a_rotation_paused_for_it_go_on()
    {
        var held = Rotating with { PollId = PollId, Shown = ScreenPanel.Poll, Paused = true };
        Given(held)
            .When(new HidePoll(Chair, Now.AddMinutes(5)))
            .Then(Stamped(Rotating with { RotationSince = Now.AddMinutes(5) }, Now.AddMinutes(5)));
    }

    [Fact]
    public void hiding_a_poll_shown_without_rotation_shows_the_first_panel_again() =>
        Given(Default with { PollId = PollId, Shown = ScreenPanel.Poll })
            .When(new HidePoll(Chair, Now))
            .Then(Stamped(Default with { Shown = ScreenPanel.Heatmap }, Now));

    [Fact]
    public void hiding_the_poll_takes_it_out_of_the_rotation()
    {
        var withPoll = Rotating with { PollId = PollId, RotationPanels = [ScreenPanel.Heatmap, ScreenPanel.Poll], Shown = ScreenPanel.Heatmap };
        Given(withPoll)
            .When(new HidePoll(Chair, Now.AddSeconds(30)))
            .Then(Stamped(Rotating with { RotationPanels = [ScreenPanel.Heatmap], RotationSince = Now.AddSeconds(30) }, Now.AddSeconds(30)));

        var onlyPoll = Rotating with { PollId = PollId, RotationPanels = [ScreenPanel.Poll], Shown = ScreenPanel.Poll };
        var after = Given(onlyPoll).When(new HidePoll(Chair, Now)).Decision.After!;
        Assert.False(after.Rotating);
        Assert.Null(after.PollId);
        Assert.DoesNotContain(ScreenPanel.Poll, after.RotationPanels);
        Assert.NotEqual(ScreenPanel.Poll, after.PanelAt(Now));
    }

    [Fact]
    public void hiding_no_poll_changes_nothing() =>
        GivenDefault().When(new HidePoll(Chair, Now)).ThenUnchanged();

    // When the screen may be managed

    [Fact]
    public void a_planned_session_is_managed_before_it_starts() =>
        GivenDefault(SessionState.Planned).When(new SetLanguage(ScreenLanguage.Hindi, Chair, Now)).Then(Stamped(Default with { Language = ScreenLanguage.Hindi }, Now));

    [Theory]
    [InlineData(SessionState.MinutesDrafted)]
    [InlineData(SessionState.MinutesApproved)]
    public void once_minutes_are_drafted_the_screen_is_read_only(SessionState state)
    {
        GivenDefault(state).When(new ShowPanel(ScreenPanel.Flags, Chair, Now)).ThenRejectedWith("Screen.SessionClosed");
        GivenDefault(state).When(new StopCountdown(Chair, Now)).ThenRejectedWith("Screen.SessionClosed");
    }

    [Fact]
    public void a_cancelled_session_has_no_screen_to_manage() =>
        GivenDefault(SessionState.Cancelled).When(new ShowPanel(ScreenPanel.Flags, Chair, Now)).ThenRejectedWith("Screen.SessionCancelled");

    // Several at once

    [Fact]
    public void several_commands_are_decided_in_turn_as_one_change() =>
        GivenDefault()
            .WhenAll(new SetLanguage(ScreenLanguage.Alternate, Chair, Now), new StartCountdown(Budget.Id, null, Chair, Now), new ShowPanel(ScreenPanel.Agenda, Chair, Now))
            .Then(Stamped(Default with
            {
                Language = ScreenLanguage.Alternate,
                Countdown = new Countdown(Budget.Id, "Budget", Now, Now.AddMinutes(15)),
                Shown = ScreenPanel.Agenda,
            }, Now));

    [Fact]
    public void one_refused_command_refuses_them_all_and_each_refusal_is_reported() =>
        GivenDefault()
            .WhenAll(new SetLanguage(ScreenLanguage.Hindi, Chair, Now), new ExtendCountdown(1, Chair, Now), new StartRotation([], 3, Chair, Now))
            .ThenRejectedWith("Screen.NoCountdown", "Screen.RotationPanelsRequired", "Screen.RotationSeconds");

    [Fact]
    public void commands_that_change_nothing_together_change_nothing() =>
        GivenDefault().WhenAll(new SetLanguage(ScreenLanguage.English, Chair, Now), new StopRotation(Chair, Now)).ThenUnchanged();

    [Fact]
    public void a_change_keeps_the_sessions_id_and_says_who_made_it_and_when()
    {
        var after = GivenDefault().When(new ShowPanel(ScreenPanel.Changes, Secretary, Now)).Decision.After!;
        Assert.Equal(SessionId, after.Id);
        Assert.Equal(Secretary, after.ChangedBy);
        Assert.Equal(Now, after.ChangedAt);
    }
}
