using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.Agencies;

/// <summary>
/// A lead's quarterly pass over a whole scorecard. "Unchanged since last quarter" is the existing assessment recorded
/// again — same level, same evidence link, the evidence note prefixed with a confirmation — so <see cref="AgencyDecider"/>
/// judges it by the same rules as any assessment and the history shows it as one. Pure.
/// </summary>
public static class ScorecardReview
{
    /// <summary>Whether <paramref name="assessment"/> was recorded in <paramref name="cycle"/> or later (dates in <paramref name="offset"/>).</summary>
    public static bool ReassessedIn(IndicatorAssessment? assessment, AssessmentCycle cycle, TimeSpan offset) =>
        assessment is not null && DateOnly.FromDateTime(assessment.AssessedAt.ToOffset(offset).DateTime) >= cycle.Start;

    /// <summary>Never assessed, returned by a reviewer, or not yet looked at in this cycle.</summary>
    public static bool NeedsAttention(IndicatorAssessment? assessment, AssessmentCycle cycle, TimeSpan offset) =>
        assessment is null || assessment.Status == ReviewStatus.Returned || !ReassessedIn(assessment, cycle, offset);

    /// <summary>
    /// A target still ahead of <paramref name="level"/>: higher, within the scale and due after <paramref name="today"/>.
    /// A target at or below the level has been reached, one whose date has come has lapsed; neither is carried forward.
    /// </summary>
    public static bool TargetAhead(int level, int? targetLevel, DateOnly? targetDate, DateOnly today) =>
        targetLevel is { } target && targetDate is { } date
        && target > level && target <= ReadinessFramework.MaxLevel && date > today;

    /// <summary>
    /// The command that confirms <paramref name="indicatorId"/> unchanged: its current level and evidence link, the note
    /// prefixed with <paramref name="marker"/> (e.g. "Confirmed unchanged in the 2026-Q4 review"), and its target only if
    /// still ahead. Null when the indicator was never assessed: there is nothing to confirm.
    /// </summary>
    public static AssessIndicator? ConfirmUnchanged(Agency agency, string indicatorId, string marker, DateOnly today, string by, DateTimeOffset at)
    {
        if (!agency.Indicators.TryGetValue(indicatorId, out var current))
        {
            return null;
        }

        var keepTarget = TargetAhead(current.Level, current.TargetLevel, current.TargetDate, today);
        return new AssessIndicator(
            agency.Id, indicatorId, current.Level, ConfirmedNote(marker, current.EvidenceNote), current.EvidenceUrl,
            keepTarget ? current.TargetLevel : null, keepTarget ? current.TargetDate : null, by, at);
    }

    /// <summary>
    /// "[marker] evidence". A note confirmed before starts with its own bracketed marker, which gives way to the new one,
    /// so confirming quarter after quarter never stacks markers; the result fits <see cref="AgencyDecider.MaxNoteLength"/>.
    /// </summary>
    public static string ConfirmedNote(string marker, string previousNote)
    {
        var body = (previousNote ?? "").Trim();
        if (body.StartsWith('[') && body.IndexOf(']', StringComparison.Ordinal) is > 0 and var end)
        {
            body = body[(end + 1)..].TrimStart();
        }

        var note = body.Length == 0 ? $"[{marker.Trim()}]" : $"[{marker.Trim()}] {body}";
        return note.Length <= AgencyDecider.MaxNoteLength ? note : note[..AgencyDecider.MaxNoteLength];
    }
}
