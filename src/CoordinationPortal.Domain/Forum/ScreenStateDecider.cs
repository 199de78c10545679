using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Domain.Forum;

/// <summary>
/// Decides what an operator's command means for the room screen of a session. The screen is managed while the session
/// is planned or in progress; once its minutes are drafted the screen is read-only, and a cancelled session has none.
/// Showing a panel (or a poll) while the screen rotates pauses the rotation on it; resuming gives the held panel a full
/// interval; a countdown belongs to an agenda item of the session. Asking for what already is changes nothing. Pure:
/// the time is the command's.
/// </summary>
public static class ScreenStateDecider
{
    public const int MinRotationSeconds = 5;
    public const int MaxRotationSeconds = 600;
    public const int MinCountdownMinutes = 1;
    public const int MaxCountdownMinutes = 240;

    /// <summary>Decides one command on <paramref name="state"/> (use <see cref="ScreenState.Default"/> when none is stored).</summary>
    public static ScreenStateDecision Decide(ScreenCommand command, ScreenState state, GroupSession session)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(session);
        if (session.State == SessionState.Cancelled)
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.SessionCancelled", "session"));
        }

        if (session.State is not (SessionState.Planned or SessionState.InProgress))
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.SessionClosed", "session"));
        }

        var decision = command switch
        {
            ShowPanel c => Show(c, state),
            StartRotation c => Rotate(c, state),
            PauseRotation c => Pause(c, state),
            ResumeRotation c => Resume(c, state),
            StopRotation c => Stop(c, state),
            SetLanguage c => Language(c, state),
            StartCountdown c => StartCountdown(c, state, session),
            ExtendCountdown c => Extend(c, state),
            StopCountdown => state.Countdown is null ? ScreenStateDecision.Unchanged : ScreenStateDecision.Change(state with { Countdown = null }),
            ShowPoll c => ShowPoll(c, state),
            HidePoll c => HidePoll(c, state),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Not a screen command."),
        };
        return decision.After is { } after
            ? ScreenStateDecision.Change(after with { Id = state.Id, ChangedBy = command.By, ChangedAt = command.At })
            : decision;
    }

    /// <summary>
    /// Decides several commands as one change, each on what the ones before it made: all of them, or none when any is
    /// refused (then every refusal is reported). Nothing changed when none changes anything.
    /// </summary>
    public static ScreenStateDecision DecideAll(IEnumerable<ScreenCommand> commands, ScreenState state, GroupSession session)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var current = state;
        var changed = false;
        var errors = new List<DomainError>();
        foreach (var command in commands)
        {
            var decision = Decide(command, current, session);
            errors.AddRange(decision.Errors);
            if (decision.After is { } after)
            {
                current = after;
                changed = true;
            }
        }

        return errors.Count > 0 ? new ScreenStateDecision(null, errors.Distinct().ToList())
            : changed ? ScreenStateDecision.Change(current)
            : ScreenStateDecision.Unchanged;
    }

    private static ScreenStateDecision Show(ShowPanel c, ScreenState state)
    {
        if (!Enum.IsDefined(c.Panel))
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.UnknownPanel", "panel"));
        }

        if (c.Panel == ScreenPanel.Poll && state.PollId is null)
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.NoPoll", "panel"));
        }

        return Held(state, c.Panel);
    }

    /// <summary><paramref name="panel"/> shown and held: a running rotation pauses on it.</summary>
    private static ScreenStateDecision Held(ScreenState state, ScreenPanel panel)
    {
        var rotationRuns = state.Rotating && !state.Paused;
        return state.Shown == panel && !rotationRuns
            ? ScreenStateDecision.Unchanged
            : ScreenStateDecision.Change(state with { Shown = panel, Paused = state.Rotating });
    }

    private static ScreenStateDecision Rotate(StartRotation c, ScreenState state)
    {
        var errors = new List<DomainError>();
        var panels = c.Panels ?? [];
        if (panels.Count == 0)
        {
            errors.Add(new DomainError("Screen.RotationPanelsRequired", "panels"));
        }
        else if (!panels.All(p => Enum.IsDefined(p)))
        {
            errors.Add(new DomainError("Screen.UnknownPanel", "panels"));
        }
        else if (panels.Distinct().Count() != panels.Count)
        {
            errors.Add(new DomainError("Screen.RotationPanelsRepeated", "panels"));
        }
        else if (panels.Contains(ScreenPanel.Poll) && state.PollId is null)
        {
            errors.Add(new DomainError("Screen.NoPoll", "panels"));
        }

        if (c.Seconds is < MinRotationSeconds or > MaxRotationSeconds)
        {
            errors.Add(new DomainError("Screen.RotationSeconds", "seconds"));
        }

        if (errors.Count > 0)
        {
            return ScreenStateDecision.Reject([.. errors]);
        }

        // The same rotation already running goes on undisturbed (a second click does not restart it).
        if (state.Rotating && !state.Paused && state.RotationSeconds == c.Seconds && state.RotationPanels.SequenceEqual(panels))
        {
            return ScreenStateDecision.Unchanged;
        }

        return ScreenStateDecision.Change(state with
        {
            Rotating = true,
            Paused = false,
            RotationPanels = [.. panels],
            RotationSeconds = c.Seconds,
            RotationSince = c.At,
            Shown = panels[0],
        });
    }

    private static ScreenStateDecision Pause(PauseRotation c, ScreenState state) =>
        !state.Rotating ? ScreenStateDecision.Reject(new DomainError("Screen.NotRotating", "rotation"))
        : state.Paused ? ScreenStateDecision.Unchanged
        : ScreenStateDecision.Change(state with { Shown = state.PanelAt(c.At), Paused = true });

    /// <summary>
    /// The held panel continues: RotationSince moves back by its place in the rotation, so it shows for a full interval
    /// from now and the rotation then goes on in order. A held panel outside the rotation starts it from the first.
    /// </summary>
    private static ScreenStateDecision Resume(ResumeRotation c, ScreenState state)
    {
        if (!state.Rotating)
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.NotRotating", "rotation"));
        }

        if (!state.Paused)
        {
            return ScreenStateDecision.Unchanged;
        }

        var index = IndexOf(state.RotationPanels, state.Shown);
        return ScreenStateDecision.Change(state with
        {
            Paused = false,
            Shown = index < 0 ? state.RotationPanels[0] : state.Shown,
            RotationSince = c.At.AddSeconds(-(double)Math.Max(index, 0) * state.RotationSeconds),
        });
    }

    private static ScreenStateDecision Stop(StopRotation c, ScreenState state) =>
        !state.Rotating
            ? ScreenStateDecision.Unchanged
            : ScreenStateDecision.Change(state with { Shown = state.PanelAt(c.At), Rotating = false, Paused = false });

    private static ScreenStateDecision Language(SetLanguage c, ScreenState state) =>
        !Enum.IsDefined(c.Language) ? ScreenStateDecision.Reject(new DomainError("Screen.UnknownLanguage", "language"))
        : state.Language == c.Language ? ScreenStateDecision.Unchanged
        : ScreenStateDecision.Change(state with { Language = c.Language });

    private static ScreenStateDecision StartCountdown(StartCountdown c, ScreenState state, GroupSession session)
    {
        var item = session.Agenda.FirstOrDefault(a => a.Id == c.AgendaItemId);
        if (item is null)
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.AgendaItemNotInSession", "agendaItemId"));
        }

        var minutes = c.Minutes ?? item.DurationMinutes;
        if (minutes is < MinCountdownMinutes or > MaxCountdownMinutes)
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.CountdownMinutes", "minutes"));
        }

        return ScreenStateDecision.Change(state with { Countdown = new Countdown(item.Id, item.Title, c.At, c.At.AddMinutes(minutes)) });
    }

    private static ScreenStateDecision Extend(ExtendCountdown c, ScreenState state)
    {
        if (state.Countdown is not { } countdown)
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.NoCountdown", "countdown"));
        }

        if (c.Minutes is < MinCountdownMinutes or > MaxCountdownMinutes)
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.CountdownMinutes", "minutes"));
        }

        var from = countdown.EndsAt > c.At ? countdown.EndsAt : c.At;
        var endsAt = from.AddMinutes(c.Minutes);
        return endsAt - c.At > TimeSpan.FromMinutes(MaxCountdownMinutes)
            ? ScreenStateDecision.Reject(new DomainError("Screen.CountdownTooLong", "minutes"))
            : ScreenStateDecision.Change(state with { Countdown = countdown with { EndsAt = endsAt } });
    }

    private static ScreenStateDecision ShowPoll(ShowPoll c, ScreenState state)
    {
        if (c.PollId == Guid.Empty)
        {
            return ScreenStateDecision.Reject(new DomainError("Screen.PollRequired", "pollId"));
        }

        if (state.PollId == c.PollId)
        {
            return Held(state, ScreenPanel.Poll);
        }

        var held = Held(state with { PollId = c.PollId }, ScreenPanel.Poll);
        return held.After is null ? ScreenStateDecision.Change(state with { PollId = c.PollId }) : held;
    }

    /// <summary>
    /// The poll leaves the screen and the rotation. A rotation held on the poll goes on (from its first panel); a poll
    /// shown without rotation gives way to the first panel the rotation would show.
    /// </summary>
    private static ScreenStateDecision HidePoll(HidePoll c, ScreenState state)
    {
        if (state.PollId is null)
        {
            return ScreenStateDecision.Unchanged;
        }

        var panels = state.RotationPanels.Where(p => p != ScreenPanel.Poll).ToList();
        var next = state with { PollId = null, RotationPanels = panels.Count > 0 ? panels : ScreenState.Default(state.Id).RotationPanels };
        if (state.Rotating && panels.Count == 0)
        {
            next = next with { Rotating = false, Paused = false };
        }

        if (state.Shown == ScreenPanel.Poll)
        {
            next = next with { Shown = next.RotationPanels[0] };
            if (next.Rotating && next.Paused)
            {
                next = next with { Paused = false, RotationSince = c.At };
            }
        }
        else if (next.Rotating && !next.Paused && !panels.SequenceEqual(state.RotationPanels))
        {
            // The rotation loses a panel while it runs: start it again, so the remaining panels keep their turns.
            next = next with { RotationSince = c.At };
        }

        return ScreenStateDecision.Change(next);
    }

    private static int IndexOf(IReadOnlyList<ScreenPanel> panels, ScreenPanel panel)
    {
        for (var i = 0; i < panels.Count; i++)
        {
            if (panels[i] == panel)
            {
                return i;
            }
        }

        return -1;
    }
}
