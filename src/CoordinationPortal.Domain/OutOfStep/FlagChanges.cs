namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>What last happened to a flag, if it happened within <see cref="FlagChanges.Window"/>.</summary>
public enum FlagChangeKind
{
    /// <summary>Raised for the first time.</summary>
    New,

    /// <summary>Raised again after it had cleared.</summary>
    Returned,

    MoreSevere,
    LessSevere,
    Acknowledged,
    Resolved,
}

/// <summary>A recent change of a flag: what, when, and (for a change of severity) from which severity.</summary>
public sealed record FlagRecentChange(FlagChangeKind Kind, DateTimeOffset At, FlagSeverity? From = null);

/// <summary>The board's "what changed": a flag's latest change within the last week, read from its folded state.</summary>
public static class FlagChanges
{
    public static TimeSpan Window { get; } = TimeSpan.FromDays(7);

    /// <summary>The flag's latest change within the window before <paramref name="now"/>, or null when nothing changed in it.</summary>
    public static FlagRecentChange? Recent(Flag flag, DateTimeOffset now)
    {
        var since = now - Window;
        FlagRecentChange? latest = null;
        void Consider(FlagRecentChange candidate)
        {
            if (candidate.At >= since && candidate.At <= now && (latest is null || candidate.At >= latest.At))
            {
                latest = candidate;
            }
        }

        // In the order they can happen within an episode, so a tie goes to the later step.
        Consider(new FlagRecentChange(flag.Occurrence > 1 ? FlagChangeKind.Returned : FlagChangeKind.New, flag.RaisedAt));
        if (flag is { SeverityChangedAt: { } changed, PreviousSeverity: { } from } && from != flag.Severity)
        {
            Consider(new FlagRecentChange(flag.Severity > from ? FlagChangeKind.MoreSevere : FlagChangeKind.LessSevere, changed, from));
        }

        if (flag is { Status: FlagStatus.Acknowledged, AcknowledgedAt: { } acknowledged })
        {
            Consider(new FlagRecentChange(FlagChangeKind.Acknowledged, acknowledged));
        }

        if (flag is { Status: FlagStatus.Resolved, ResolvedAt: { } resolved })
        {
            Consider(new FlagRecentChange(FlagChangeKind.Resolved, resolved));
        }

        return latest;
    }
}
