using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>The board's order and its "what changed": urgency from severity and weeks open, and a flag's latest change in the last week.</summary>
public sealed class FlagUrgencyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.FromHours(5.5));
    private static readonly Guid Id = Guid.Parse("7b0c6a52-1d7e-4c3b-9a55-7f6f4f0a9e01");

    private static FlagRaised Raised(FlagSeverity severity, DateTimeOffset at, int occurrence = 1) =>
        new(Id, Guid.Empty, "rule", "kind", "", severity, [Layer.Compute, Layer.Data], [], new LocalizedText("en", "hi"), occurrence, at);

    private static FlagUpdated Updated(FlagSeverity severity, DateTimeOffset at) =>
        new(Id, severity, [Layer.Compute, Layer.Data], [], new LocalizedText("en", "hi"), at);

    private static Flag Fold(params object[] events) => Flag.Fold(events)!;

    [Theory]
    [InlineData(FlagSeverity.High, 0, 3)]
    [InlineData(FlagSeverity.High, 6, 3)] // six days is not yet a week
    [InlineData(FlagSeverity.High, 7, 6)]
    [InlineData(FlagSeverity.Medium, 30, 10)] // four whole weeks: 2 × 5
    [InlineData(FlagSeverity.Low, 13 * 7, 14)]
    [InlineData(FlagSeverity.Low, 400, 14)] // beyond a quarter the weeks stop counting
    public void urgency_is_the_severity_weight_times_one_more_than_the_weeks_open(FlagSeverity severity, int daysOpen, int expected)
    {
        var flag = Fold(Raised(severity, Now.AddDays(-daysOpen)));
        Assert.Equal(expected, FlagUrgency.Score(flag, Now));
    }

    [Fact]
    public void a_medium_left_open_for_a_month_outranks_a_high_raised_today_but_a_resolved_flag_has_no_urgency()
    {
        var high = Fold(Raised(FlagSeverity.High, Now.AddHours(-2)));
        var medium = Fold(Raised(FlagSeverity.Medium, Now.AddDays(-29)));
        Assert.True(FlagUrgency.Score(medium, Now) > FlagUrgency.Score(high, Now));

        var resolved = Fold(Raised(FlagSeverity.High, Now.AddDays(-40)), new FlagResolved(Id, ResolutionReason.ConditionCleared, Now.AddDays(-1)));
        Assert.Equal(0, FlagUrgency.Score(resolved, Now));
        Assert.Equal(0, FlagUrgency.WeeksOpen(Now.AddDays(1), Now)); // a clock a little behind never gives negative weeks
    }

    [Fact]
    public void a_flag_raised_this_week_is_new_and_one_raised_again_says_so()
    {
        Assert.Equal(FlagChangeKind.New, FlagChanges.Recent(Fold(Raised(FlagSeverity.Low, Now.AddDays(-3))), Now)?.Kind);
        Assert.Null(FlagChanges.Recent(Fold(Raised(FlagSeverity.Low, Now.AddDays(-8))), Now));

        var again = Fold(
            Raised(FlagSeverity.Low, Now.AddDays(-60)),
            new FlagResolved(Id, ResolutionReason.ConditionCleared, Now.AddDays(-30)),
            Raised(FlagSeverity.Medium, Now.AddDays(-2), occurrence: 2));
        Assert.Equal(new FlagRecentChange(FlagChangeKind.Returned, Now.AddDays(-2)), FlagChanges.Recent(again, Now));
    }

    [Fact]
    public void a_change_of_severity_names_the_severity_it_came_from_and_only_a_real_change_counts()
    {
        var raised = Raised(FlagSeverity.Medium, Now.AddDays(-20));
        var up = Fold(raised, Updated(FlagSeverity.High, Now.AddDays(-1)));
        Assert.Equal(new FlagRecentChange(FlagChangeKind.MoreSevere, Now.AddDays(-1), FlagSeverity.Medium), FlagChanges.Recent(up, Now));

        var down = Fold(raised, Updated(FlagSeverity.Low, Now.AddDays(-1)));
        Assert.Equal(new FlagRecentChange(FlagChangeKind.LessSevere, Now.AddDays(-1), FlagSeverity.Medium), FlagChanges.Recent(down, Now));

        // New figures at the same severity change nothing a reader of the board needs told, and keep the earlier change.
        var sameSeverity = Fold(raised, Updated(FlagSeverity.High, Now.AddDays(-10)), Updated(FlagSeverity.High, Now.AddDays(-1)));
        Assert.Null(FlagChanges.Recent(sameSeverity, Now));
        Assert.Equal(FlagSeverity.Medium, sameSeverity.PreviousSeverity);
        Assert.Equal(Now.AddDays(-10), sameSeverity.SeverityChangedAt);

        // A new raising starts a new episode: the old episode's change of severity no longer applies.
        var back = Fold(raised, Updated(FlagSeverity.High, Now.AddDays(-10)), new FlagResolved(Id, ResolutionReason.ConditionCleared, Now.AddDays(-9)),
            Raised(FlagSeverity.Low, Now.AddDays(-8), occurrence: 2));
        Assert.Null(back.PreviousSeverity);
    }

    [Fact]
    public void the_latest_change_in_the_week_wins()
    {
        var flag = Fold(
            Raised(FlagSeverity.Medium, Now.AddDays(-5)),
            Updated(FlagSeverity.High, Now.AddDays(-4)),
            new FlagAcknowledged(Id, "On it.", "lead@portal.local", Now.AddDays(-2)));
        Assert.Equal(FlagChangeKind.Acknowledged, FlagChanges.Recent(flag, Now)?.Kind);

        var resolved = Fold(Raised(FlagSeverity.Medium, Now.AddDays(-50)), new FlagResolved(Id, ResolutionReason.ConditionCleared, Now.AddDays(-1)));
        Assert.Equal(FlagChangeKind.Resolved, FlagChanges.Recent(resolved, Now)?.Kind);
    }
}
