namespace CoordinationPortal.Domain.Forum;

/// <summary>
/// What the operator (the session's chair or secretary, or an admin) asks of the room screen. Each carries who asks and
/// when (<see cref="By"/>, <see cref="At"/>): the decider reads no clock, so rotation and countdowns start from
/// <see cref="At"/>.
/// </summary>
public abstract record ScreenCommand(string By, DateTimeOffset At);

/// <summary>Show one panel; a running rotation pauses on it.</summary>
public sealed record ShowPanel(ScreenPanel Panel, string By, DateTimeOffset At) : ScreenCommand(By, At);

/// <summary>Rotate through <paramref name="Panels"/> (at least one, each once), each for <paramref name="Seconds"/> seconds.</summary>
public sealed record StartRotation(IReadOnlyList<ScreenPanel> Panels, int Seconds, string By, DateTimeOffset At) : ScreenCommand(By, At);

/// <summary>Hold the rotation on the panel shown now.</summary>
public sealed record PauseRotation(string By, DateTimeOffset At) : ScreenCommand(By, At);

/// <summary>Let a paused rotation go on: the panel held gets a full interval, then the next one follows.</summary>
public sealed record ResumeRotation(string By, DateTimeOffset At) : ScreenCommand(By, At);

/// <summary>End the rotation; the panel shown now stays.</summary>
public sealed record StopRotation(string By, DateTimeOffset At) : ScreenCommand(By, At);

public sealed record SetLanguage(ScreenLanguage Language, string By, DateTimeOffset At) : ScreenCommand(By, At);

/// <summary>Count down an agenda item of the session: <paramref name="Minutes"/>, or the item's own duration when null.</summary>
public sealed record StartCountdown(Guid AgendaItemId, int? Minutes, string By, DateTimeOffset At) : ScreenCommand(By, At);

/// <summary>Give the running countdown <paramref name="Minutes"/> more (counted from now when it has already run out).</summary>
public sealed record ExtendCountdown(int Minutes, string By, DateTimeOffset At) : ScreenCommand(By, At);

public sealed record StopCountdown(string By, DateTimeOffset At) : ScreenCommand(By, At);

/// <summary>Put a poll on the poll panel and show that panel (a running rotation pauses on it).</summary>
public sealed record ShowPoll(Guid PollId, string By, DateTimeOffset At) : ScreenCommand(By, At);

/// <summary>Take the poll off the screen: the poll panel leaves the rotation, and a rotation paused for the poll goes on.</summary>
public sealed record HidePoll(string By, DateTimeOffset At) : ScreenCommand(By, At);
