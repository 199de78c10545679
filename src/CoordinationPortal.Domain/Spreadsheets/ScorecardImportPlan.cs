using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.Spreadsheets;

/// <summary>An indicator the file changes: what the scorecard says now and what the file says.</summary>
public sealed record ImportChange(int Row, string IndicatorId, IndicatorValues Old, IndicatorValues New);

/// <summary>
/// An indicator changed both in the portal since the export and in the file: the version the file was exported at
/// (<see cref="Base"/>), what the scorecard says now (<see cref="Current"/>) and what the file says.
/// </summary>
public sealed record ImportConflict(int Row, string IndicatorId, IndicatorValues Base, IndicatorValues Current, IndicatorValues File);

/// <summary>
/// What importing a scorecard file would do: every change, every conflict and every error at once. It may be applied
/// only when it has no error and no conflict; unchanged rows are left alone.
/// </summary>
public sealed record ImportPlan(
    Guid AgencyId,
    long FileVersion,
    long CurrentVersion,
    IReadOnlyList<ImportChange> Changes,
    IReadOnlyList<ImportConflict> Conflicts,
    IReadOnlyList<SheetProblem> Errors,
    int Unchanged)
{
    public bool CanApply => Errors.Count == 0 && Conflicts.Count == 0;

    public static ImportPlan Refused(Guid agencyId, IReadOnlyList<SheetProblem> errors) => new(agencyId, 0, 0, [], [], errors, 0);
}

/// <summary>
/// Compares an uploaded scorecard with the agency's scorecard now and as it was at the file's version — a three-way
/// comparison, so an indicator someone else changed since the export is a conflict only when the file changes it too —
/// and checks every change with <see cref="AgencyDecider"/>, the same rules as the assess form. Pure.
/// </summary>
public static class ScorecardImport
{
    /// <param name="current">The agency now.</param>
    /// <param name="atFileVersion">The agency replayed up to the file's version (null when the file claims a version the stream never had).</param>
    /// <param name="by">Who imports.</param>
    /// <param name="now">When, in the portal's time zone (target dates must lie after it).</param>
    public static ImportPlan Plan(ScorecardFile file, Agency current, Agency? atFileVersion, ReadinessFramework framework, string by, DateTimeOffset now, string sheet = ScorecardSheet.SheetName)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(framework);
        // Rows that could not be read are already among the file's problems; the others are still compared and checked,
        // so that one upload names every error at once.
        if (file.AgencyId is null || file.Version is null)
        {
            return ImportPlan.Refused(current.Id, file.Problems);
        }

        var fileVersion = file.Version.Value;
        var errors = new List<SheetProblem>();
        if (file.AgencyId != current.Id)
        {
            errors.Add(new SheetProblem(sheet, FirstRow(file), file.LetterOf(ScorecardSheet.AgencyId), "Sheet.OtherAgency"));
        }

        if (atFileVersion is null || fileVersion > current.Version)
        {
            errors.Add(new SheetProblem(sheet, FirstRow(file), file.LetterOf(ScorecardSheet.Version), "Sheet.VersionUnknown"));
        }

        if (errors.Count > 0)
        {
            return ImportPlan.Refused(current.Id, [.. file.Problems, .. errors]);
        }

        errors.AddRange(file.Problems);

        var changes = new List<ImportChange>();
        var conflicts = new List<ImportConflict>();
        var unchanged = 0;
        foreach (var row in file.Rows)
        {
            current.Indicators.TryGetValue(row.IndicatorId, out var nowAssessment);
            var currentValues = IndicatorValues.Of(nowAssessment);
            if (row.Values.SameAs(currentValues))
            {
                unchanged++;
                continue;
            }

            atFileVersion!.Indicators.TryGetValue(row.IndicatorId, out var then);
            var baseValues = IndicatorValues.Of(then);
            if (row.Values.SameAs(baseValues))
            {
                // The file leaves the row as it was exported; whatever the portal says now stands.
                unchanged++;
                continue;
            }

            if (fileVersion != current.Version && !baseValues.SameAs(currentValues))
            {
                conflicts.Add(new ImportConflict(row.Row, row.IndicatorId, baseValues, currentValues, row.Values));
                continue;
            }

            if (row.Values.Level is not { } level)
            {
                // A blank level where the scorecard has one: an assessment is never removed, only replaced.
                errors.Add(new SheetProblem(sheet, row.Row, file.LetterOf(ScorecardSheet.Level), "Sheet.LevelRequired"));
                continue;
            }

            var decision = AgencyDecider.Decide(Command(current.Id, row, level, by, now), current, framework);
            if (!decision.IsAccepted)
            {
                errors.AddRange(decision.Errors.Select(e => new SheetProblem(sheet, row.Row, file.LetterOf(ColumnOf(e.Field)), "Error." + e.Code)));
                continue;
            }

            changes.Add(new ImportChange(row.Row, row.IndicatorId, currentValues, row.Values));
        }

        return new ImportPlan(current.Id, fileVersion, current.Version, changes, conflicts,
            [.. errors.OrderBy(e => e.Row ?? 0).ThenBy(e => e.Column?.Length ?? 0).ThenBy(e => e.Column, StringComparer.Ordinal)], unchanged);
    }

    /// <summary>The assess command a change becomes; the handler fills in who and when again as it runs it.</summary>
    public static AssessIndicator Command(Guid agencyId, ImportChange change, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new AssessIndicator(agencyId, change.IndicatorId, change.New.Level ?? 0, change.New.EvidenceNote, change.New.EvidenceUrl,
            change.New.TargetLevel, change.New.TargetDate, by, now);
    }

    private static AssessIndicator Command(Guid agencyId, ScorecardFileRow row, int level, string by, DateTimeOffset now) =>
        new(agencyId, row.IndicatorId, level, row.Values.EvidenceNote, row.Values.EvidenceUrl, row.Values.TargetLevel, row.Values.TargetDate, by, now);

    private static int? FirstRow(ScorecardFile file) => file.Rows.Count > 0 ? file.Rows[0].Row : null;

    private static string ColumnOf(string? field) => field switch
    {
        nameof(AssessIndicator.IndicatorId) => ScorecardSheet.IndicatorCode,
        nameof(AssessIndicator.EvidenceNote) => ScorecardSheet.EvidenceNote,
        nameof(AssessIndicator.EvidenceUrl) => ScorecardSheet.EvidenceLink,
        nameof(AssessIndicator.TargetLevel) => ScorecardSheet.TargetLevel,
        nameof(AssessIndicator.TargetDate) => ScorecardSheet.TargetDate,
        _ => ScorecardSheet.Level,
    };

}
