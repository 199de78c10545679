namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// How pressing an open flag is, so that a board where half the flags are High still has an order worth reading:
/// the severity's weight (High 3, Medium 2, Low 1) times one more than the whole weeks the flag has been open, with
/// the weeks counted up to a quarter (13). A High raised today scores 3, a Medium left open for a month 10, a Low
/// nobody acted on for a quarter 14: age lifts a neglected flag above a fresh one, but never without limit.
/// </summary>
public static class FlagUrgency
{
    /// <summary>Weeks beyond a quarter add nothing: by then the flag is as overdue as it gets.</summary>
    public const int MaxWeeksCounted = 13;

    public static int Weight(FlagSeverity severity) => severity switch
    {
        FlagSeverity.High => 3,
        FlagSeverity.Medium => 2,
        _ => 1,
    };

    /// <summary>Whole weeks from the current raising to <paramref name="now"/> (never negative).</summary>
    public static int WeeksOpen(DateTimeOffset raisedAt, DateTimeOffset now) =>
        now <= raisedAt ? 0 : (int)Math.Floor((now - raisedAt).TotalDays / 7);

    /// <summary>The flag's urgency; a resolved flag has none.</summary>
    public static int Score(Flag flag, DateTimeOffset now) =>
        flag.IsOpen ? Weight(flag.Severity) * (1 + Math.Min(MaxWeeksCounted, WeeksOpen(flag.RaisedAt, now))) : 0;
}
