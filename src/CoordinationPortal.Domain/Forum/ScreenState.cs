namespace CoordinationPortal.Domain.Forum;

/// <summary>The panels the room screen can show.</summary>
public enum ScreenPanel
{
    /// <summary>Member agencies × five layers, a number in every cell.</summary>
    Heatmap,

    /// <summary>Open out-of-step flags of member agencies, by severity.</summary>
    Flags,

    /// <summary>Action items due or overdue.</summary>
    ActionItems,

    /// <summary>What changed since the session started.</summary>
    Changes,

    /// <summary>The agenda, with the countdown of the current item.</summary>
    Agenda,

    /// <summary>The poll the operator shows (question, join code, then results once revealed).</summary>
    Poll,
}

/// <summary>The language of the room screen: one, or both in turn.</summary>
public enum ScreenLanguage
{
    English,
    Hindi,
    Alternate,
}

/// <summary>A countdown for an agenda item: it ends at <see cref="EndsAt"/>; the screen counts down to it.</summary>
public sealed record Countdown(Guid AgendaItemId, string Title, DateTimeOffset StartedAt, DateTimeOffset EndsAt);

/// <summary>
/// What the room screen of one session shows, as the operator (the chair or secretary) set it. One document per
/// session, <see cref="Id"/> being the session's id; absent until the operator first changes something, and then
/// the screen shows <see cref="Default"/>. Rotation is computed from <see cref="RotationSince"/>, so every screen
/// and the operator's preview agree on the panel shown at any moment without talking to each other.
/// </summary>
public sealed record ScreenState
{
    public Guid Id { get; init; }

    /// <summary>The panel shown while rotation is off or paused.</summary>
    public ScreenPanel Shown { get; init; } = ScreenPanel.Heatmap;

    /// <summary>Whether the screen rotates through <see cref="RotationPanels"/>.</summary>
    public bool Rotating { get; init; }

    /// <summary>Rotation is on but held at <see cref="Shown"/>.</summary>
    public bool Paused { get; init; }

    public int RotationSeconds { get; init; } = 20;

    public IReadOnlyList<ScreenPanel> RotationPanels { get; init; } =
        [ScreenPanel.Heatmap, ScreenPanel.Flags, ScreenPanel.ActionItems, ScreenPanel.Changes];

    /// <summary>When the current rotation started: panel i shows from RotationSince + i × RotationSeconds, cyclically.</summary>
    public DateTimeOffset RotationSince { get; init; }

    public ScreenLanguage Language { get; init; } = ScreenLanguage.English;

    public Countdown? Countdown { get; init; }

    /// <summary>The poll the poll panel shows, if any.</summary>
    public Guid? PollId { get; init; }

    public string ChangedBy { get; init; } = "";

    public DateTimeOffset ChangedAt { get; init; }

    public static ScreenState Default(Guid sessionId) => new() { Id = sessionId };

    /// <summary>
    /// The panel on the screen at <paramref name="now"/>: <see cref="Shown"/> unless rotation runs, then panel i of
    /// <see cref="RotationPanels"/> from RotationSince + i × RotationSeconds, cyclically. The screen's script computes
    /// the same from the same fields, so screens and the operator's preview agree without talking to each other.
    /// </summary>
    public ScreenPanel PanelAt(DateTimeOffset now)
    {
        if (!Rotating || Paused || RotationPanels.Count == 0 || RotationSeconds <= 0)
        {
            return Shown;
        }

        var elapsed = Math.Max(0, (now - RotationSince).TotalSeconds);
        var step = (long)Math.Floor(elapsed / RotationSeconds);
        return RotationPanels[(int)(step % RotationPanels.Count)];
    }
}
