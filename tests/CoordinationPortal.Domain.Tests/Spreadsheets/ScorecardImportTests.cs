using System.Globalization;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Spreadsheets;
using CoordinationPortal.Domain.Tests.Agencies;
using CoordinationPortal.Domain.Tests.Framework;

namespace CoordinationPortal.Domain.Tests.Spreadsheets;

/// <summary>Reading an uploaded scorecard and comparing it with the scorecard now and at the file's version.</summary>
public sealed class ScorecardImportTests
{
    private static readonly DateTimeOffset Now = Some.At(2026, 5, 1);

    private static Agency Exported => Agency.Fold([
        Some.Registered(), Some.LeadAssigned(),
        Some.Assessed("compute.access", 2, Some.At(2026, 1, 5)),
        Some.Assessed("data.quality", 3, Some.At(2026, 1, 6)),
    ])!;

    private static Agency Fold(params object[] more) => Agency.Fold([
        Some.Registered(), Some.LeadAssigned(),
        Some.Assessed("compute.access", 2, Some.At(2026, 1, 5)),
        Some.Assessed("data.quality", 3, Some.At(2026, 1, 6)),
        .. more,
    ])!;

    /// <summary>The export of <paramref name="agency"/>, as text cells the way a reader hands them back, rows numbered from 2.</summary>
    private static (IReadOnlyList<string?> Header, List<RawRow> Rows) Export(Agency agency)
    {
        var rows = ScorecardSheet.Rows(agency, SmallFramework.Instance, t => t)
            .Select((r, i) => new RawRow(i + 2, [.. r.Select(c => c is null ? null : Convert.ToString(c, CultureInfo.InvariantCulture))]))
            .ToList();
        return ([.. ScorecardSheet.Columns], rows);
    }

    private static RawRow Edit(RawRow row, string column, string? value)
    {
        var cells = row.Cells.ToList();
        cells[ScorecardSheet.IndexOf(column)] = value;
        return row with { Cells = cells };
    }

    private static RawRow RowOf(List<RawRow> rows, string indicator) =>
        rows.Single(r => r.Cells[0] == indicator);

    private static ImportPlan Plan(IReadOnlyList<string?> header, IEnumerable<RawRow> rows, Agency current, Agency? atFile)
    {
        var file = ScorecardSheet.Parse(ScorecardSheet.SheetName, header, rows, SmallFramework.Instance);
        return ScorecardImport.Plan(file, current, atFile, SmallFramework.Instance, Some.Lead, Now);
    }

    [Fact]
    public void an_export_imported_unchanged_is_a_plan_with_nothing_to_do()
    {
        var (header, rows) = Export(Exported);

        var plan = Plan(header, rows, Exported, Exported);

        Assert.Empty(plan.Changes);
        Assert.Empty(plan.Conflicts);
        Assert.Empty(plan.Errors);
        Assert.Equal(SmallFramework.AllIndicatorIds.Count(), plan.Unchanged);
    }

    [Fact]
    public void an_edited_row_is_a_change_from_the_old_values_to_the_new_and_neutralised_text_comes_back_as_typed()
    {
        var (header, rows) = Export(Exported);
        var edited = rows.Select(r => r.Cells[0] == "compute.access"
            ? Edit(Edit(r, ScorecardSheet.Level, "3.0"), ScorecardSheet.EvidenceNote, "'=not a formula")
            : r).ToList();

        var plan = Plan(header, edited, Exported, Exported);

        var change = Assert.Single(plan.Changes);
        Assert.Equal("compute.access", change.IndicatorId);
        Assert.Equal(2, change.Old.Level);
        Assert.Equal(3, change.New.Level);
        Assert.Equal("=not a formula", change.New.EvidenceNote);
        Assert.True(plan.CanApply);
    }

    [Fact]
    public void a_row_someone_else_changed_since_the_export_is_a_conflict_only_if_the_file_changes_it_too()
    {
        var (header, rows) = Export(Exported);
        var current = Fold(Some.Assessed("compute.access", 4, Some.At(2026, 4, 1), by: Some.Admin), Some.Assessed("data.quality", 4, Some.At(2026, 4, 2), by: Some.Admin));
        var edited = rows.Select(r => r.Cells[0] == "compute.access" ? Edit(r, ScorecardSheet.Level, "3") : r).ToList();

        var plan = Plan(header, edited, current, Exported);

        var conflict = Assert.Single(plan.Conflicts);
        Assert.Equal(("compute.access", 2, 4, 3), (conflict.IndicatorId, conflict.Base.Level, conflict.Current.Level, conflict.File.Level));
        Assert.Equal(RowOf(edited, "compute.access").Number, conflict.Row);
        // data.quality moved in the portal but the file leaves it as exported: neither a conflict nor a change back.
        Assert.Empty(plan.Changes);
        Assert.Equal(SmallFramework.AllIndicatorIds.Count() - 1, plan.Unchanged);
        Assert.False(plan.CanApply);
    }

    [Fact]
    public void every_error_is_named_by_sheet_row_and_column_at_once()
    {
        var (header, rows) = Export(Exported);
        var edited = rows.ToList();
        edited[0] = Edit(edited[0], ScorecardSheet.Level, "6");
        edited[1] = Edit(edited[1], ScorecardSheet.TargetDate, "31/12/2027");
        edited[2] = Edit(edited[2], ScorecardSheet.IndicatorCode, "compute.nothing");
        edited[3] = Edit(edited[3], ScorecardSheet.IndicatorCode, edited[4].Cells[0]);
        edited[5] = Edit(Edit(edited[5], ScorecardSheet.Level, "4"), ScorecardSheet.EvidenceNote, "Lineage tracked");

        var plan = Plan(header, edited, Exported, Exported);

        Assert.Contains(new SheetProblem("Scorecard", 2, "E", "Sheet.LevelInvalid", "6"), plan.Errors);
        Assert.Contains(new SheetProblem("Scorecard", 3, "G", "Sheet.TargetDateInvalid", "31/12/2027"), plan.Errors);
        Assert.Contains(new SheetProblem("Scorecard", 4, "A", "Sheet.IndicatorUnknown", "compute.nothing"), plan.Errors);
        Assert.Contains(plan.Errors, e => e is { Row: 6, Column: "A", Code: "Sheet.IndicatorRepeated" });
        Assert.False(plan.CanApply);
    }

    [Fact]
    public void a_change_is_held_to_the_assess_forms_rules()
    {
        var (header, rows) = Export(Exported);
        var lineage = RowOf(rows, SmallFramework.EvidenceRequiredIndicator);
        var edited = rows.Select(r => r == lineage ? Edit(Edit(r, ScorecardSheet.Level, "4"), ScorecardSheet.EvidenceNote, "Tracked") : r).ToList();

        var plan = Plan(header, edited, Exported, Exported);

        var error = Assert.Single(plan.Errors);
        Assert.Equal((lineage.Number, "I", "Error.EvidenceUrl.Required"), (error.Row!.Value, error.Column!, error.Code));
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void an_assessment_is_never_removed_by_a_blank_level()
    {
        var (header, rows) = Export(Exported);
        var edited = rows.Select(r => r.Cells[0] == "data.quality" ? Edit(r, ScorecardSheet.Level, "") : r).ToList();

        var plan = Plan(header, edited, Exported, Exported);

        Assert.Equal("Sheet.LevelRequired", Assert.Single(plan.Errors).Code);
    }

    [Fact]
    public void missing_unknown_and_repeated_columns_are_reported_before_any_row()
    {
        var header = new List<string?> { "\uFEFFindicator_code", "level", "level", "colour" };

        var file = ScorecardSheet.Parse("Scorecard", header, [new RawRow(2, ["compute.access", "3", "3", "red"])], SmallFramework.Instance);

        Assert.Contains(new SheetProblem("Scorecard", 1, "C", "Column.Repeated", "level"), file.Problems);
        Assert.Contains(new SheetProblem("Scorecard", 1, "D", "Column.Unknown", "colour"), file.Problems);
        Assert.Contains(file.Problems, p => p is { Code: "Column.Missing", Value: ScorecardSheet.Version });
        Assert.DoesNotContain(file.Problems, p => p is { Code: "Column.Unknown", Value: "\uFEFFindicator_code" });
        Assert.Empty(file.Rows);
    }

    [Fact]
    public void a_file_of_another_agency_or_of_a_version_the_stream_never_had_is_refused()
    {
        var (header, rows) = Export(Exported);
        var other = rows.Select(r => Edit(r, ScorecardSheet.AgencyId, Guid.NewGuid().ToString())).ToList();
        var ahead = rows.Select(r => Edit(r, ScorecardSheet.Version, "999")).ToList();

        Assert.Contains(Plan(header, other, Exported, Exported).Errors, e => e.Code is "Sheet.OtherAgency" or "Sheet.AgencyMixed");
        Assert.Contains(Plan(header, ahead, Exported, null).Errors, e => e.Code == "Sheet.VersionUnknown");
    }
}
