using System.Globalization;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Spreadsheets;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.WorkingGroups;
using Marten;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Spreadsheets;

public sealed record ImportValuesDto(int? Level, int? TargetLevel, DateOnly? TargetDate, string EvidenceNote, string? EvidenceUrl);

public sealed record ImportChangeDto(int Row, string IndicatorId, ImportValuesDto Old, ImportValuesDto New);

public sealed record ImportConflictDto(int Row, string IndicatorId, ImportValuesDto Base, ImportValuesDto Current, ImportValuesDto File);

/// <summary>A problem with the file: sheet, row and column (Excel's letter), a stable code and its message.</summary>
public sealed record ImportProblemDto(string Sheet, int? Row, string? Column, string Code, string Message);

/// <summary>An import: what it would do or did, and how far a background apply has got (<see cref="Done"/> of <see cref="Total"/>).</summary>
public sealed record ImportDto(
    Guid? Id, Guid AgencyId, string Status, string? Sha256, long FileVersion, long CurrentVersion, int Unchanged,
    IReadOnlyList<ImportChangeDto> Changes, IReadOnlyList<ImportConflictDto> Conflicts, IReadOnlyList<ImportProblemDto> Errors,
    int Total, int Done, string? Failure, long? VersionAfter);

/// <summary>The form of <c>POST /api/v1/imports</c>, for the API description.</summary>
public sealed record ImportForm(IFormFile File, bool? DryRun);

/// <summary>
/// Spreadsheet routes: exports of the scorecard, the portfolio, the flags board and a group's action items (XLSX and CSV,
/// each readable by whoever may read the same data through the API), and scorecard imports (<c>imports:write</c>).
/// </summary>
public static class SpreadsheetApi
{
    public static IEndpointRouteBuilder MapSpreadsheetApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.View);
        foreach (var (extension, contentType) in new[] { ("xlsx", Workbooks.XlsxType), ("csv", Workbooks.CsvType) })
        {
            var xlsx = extension == "xlsx";
            api.MapGet($"/agencies/{{id:guid}}/scorecard.{extension}", async (Guid id, AgencyQueries queries, SpreadsheetExports exports,
                IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var card = await queries.ScorecardAsync(id, null, ct);
                if (card is null)
                {
                    return OutcomeResults.NotFound(text, "Agency.NotFound");
                }

                var tables = exports.Scorecard(card.Agency);
                var name = SpreadsheetExports.ScorecardFileName(card.Agency, extension);
                return new ExportFile(xlsx ? Workbooks.Xlsx(tables) : Workbooks.Csv(tables[0]), contentType, name).ToResult();
            })
                .WithTags("Agencies", "Spreadsheets")
                .WithSummary($"The agency's scorecard as {extension.ToUpperInvariant()}: the import template, carrying the scorecard's version")
                .Produces<Stream>(StatusCodes.Status200OK, contentType)
                .ProducesProblem(StatusCodes.Status404NotFound);

            api.MapGet($"/portfolio.{extension}", async (AgencyKind? kind, string? sector, string? jurisdiction, string? name,
                AgencyQueries queries, SpreadsheetExports exports, CancellationToken ct) =>
            {
                var rows = await queries.PortfolioAsync(new PortfolioFilter(kind, sector, jurisdiction, name), ct);
                var table = exports.Portfolio(rows);
                return new ExportFile(xlsx ? Workbooks.Xlsx(table) : Workbooks.Csv(table), contentType, $"portfolio.{extension}").ToResult();
            })
                .WithTags("Agencies", "Spreadsheets")
                .WithSummary($"The portfolio (every agency's layer scores and indices) as {extension.ToUpperInvariant()}, with the portfolio's filters")
                .Produces<Stream>(StatusCodes.Status200OK, contentType)
                .ProducesValidationProblem();

            api.MapGet($"/flags.{extension}", async (
                string? severity, string? rule, string? layer, string? sector, string? jurisdiction, Guid? agencyId, string? status, string? q,
                string? sort, FlagQueries queries, SpreadsheetExports exports, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var errors = new Dictionary<string, string[]>();
                var filter = new FlagFilter(
                    FlagApi.Parse<Domain.OutOfStep.FlagSeverity>(severity, nameof(severity), errors, text),
                    string.IsNullOrWhiteSpace(rule) ? null : rule.Trim(),
                    FlagApi.Parse<Domain.Layer>(layer, nameof(layer), errors, text),
                    string.IsNullOrWhiteSpace(sector) ? null : sector.Trim(),
                    string.IsNullOrWhiteSpace(jurisdiction) ? null : jurisdiction.Trim(),
                    agencyId,
                    FlagApi.Parse<FlagStatusFilter>(status, nameof(status), errors, text) ?? FlagStatusFilter.AllOpen,
                    q);
                var order = FlagApi.ParseOrder(sort, errors, text);
                if (errors.Count > 0)
                {
                    return Results.ValidationProblem(errors);
                }

                var table = exports.Flags((await queries.BoardAsync(filter, order, ct)).Rows);
                return new ExportFile(xlsx ? Workbooks.Xlsx(table) : Workbooks.Csv(table), contentType, $"flags.{extension}").ToResult();
            })
                .WithTags("Flags", "Spreadsheets")
                .WithSummary($"The flags board as {extension.ToUpperInvariant()}, with the board's filters and order")
                .Produces<Stream>(StatusCodes.Status200OK, contentType)
                .ProducesValidationProblem();

            api.MapGet($"/working-groups/{{id:guid}}/action-items.{extension}", async (Guid id, HttpContext http, GroupReaders readers,
                IQuerySession query, SpreadsheetExports exports, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            {
                var group = await query.LoadAsync<WorkingGroup>(id, ct);
                if (group is null)
                {
                    return OutcomeResults.NotFound(text, "WorkingGroup.NotFound");
                }

                if (!GroupAccess.For(group, await readers.ForAsync(http.User, ct)).ReadsAll)
                {
                    return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["Forbidden.Title"]);
                }

                var items = (await query.Query<ActionItem>().Where(i => i.GroupId == id).ToListAsync(ct))
                    .OrderBy(i => i.IsOpen ? 0 : 1).ThenBy(i => i.DueDate).ThenBy(i => i.RecordedAt).ToList();
                var agencyIds = items.Select(i => i.AgencyId).Distinct().ToList();
                var names = (await query.Query<AgencySummary>().Where(a => agencyIds.Contains(a.Id)).ToListAsync(ct)).ToDictionary(a => a.Id, a => a.Name);
                var table = exports.ActionItems(group, items, names);
                return new ExportFile(xlsx ? Workbooks.Xlsx(table) : Workbooks.Csv(table), contentType, $"action-items.{extension}").ToResult();
            })
                .WithTags("Working groups", "Spreadsheets")
                .WithSummary($"A working group's action items as {extension.ToUpperInvariant()}")
                .Produces<Stream>(StatusCodes.Status200OK, contentType)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        api.MapPost("/imports", ImportAsync)
            .DisableAntiforgery()
            .WithTags("Spreadsheets")
            .WithSummary("Import an edited scorecard (XLSX or CSV, as exported): a dry run lists every change, conflict and error; otherwise it is applied")
            .Accepts<ImportForm>("multipart/form-data")
            .Produces<ImportDto>(StatusCodes.Status200OK)
            .Produces<ImportDto>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/imports/{id:guid}", async (Guid id, HttpContext http, ScorecardImports imports, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var record = await imports.FindAsync(http.User, id, ct);
            return record is null ? OutcomeResults.NotFound(text, "Sheets.Import.NotFound") : Results.Ok(ToDto(record, Status(record.Status), record.Plan, text));
        })
            .WithTags("Spreadsheets")
            .WithSummary("An import: its plan, its status and the progress of a background apply")
            .Produces<ImportDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<IResult> ImportAsync(HttpContext http, ScorecardImports imports, SpreadsheetLimits limits,
        IStringLocalizer<SharedResource> text, CancellationToken ct)
    {
        var tooLarge = Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: text["Error.File.TooLarge",
            (limits.MaxUploadBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)]);
        if (http.Request.ContentLength > limits.MaxUploadBytes + FormSlack)
        {
            return tooLarge;
        }

        if (!http.Request.HasFormContentType)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [text["Sheets.Error.File.Missing"]] });
        }

        IFormCollection form;
        try
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limits.MaxUploadBytes + FormSlack;
            }

            http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions
            {
                MultipartBodyLengthLimit = limits.MaxUploadBytes + FormSlack,
                ValueCountLimit = 16,
            }));
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || e is InvalidDataException
                ? tooLarge
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [text["Sheets.Error.File.Missing"]] });
        }

        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [text["Sheets.Error.File.Missing"]] });
        }

        if (file.Length > limits.MaxUploadBytes)
        {
            return tooLarge;
        }

        var dryRunText = form["dryRun"].ToString();
        if (dryRunText.Length == 0)
        {
            dryRunText = http.Request.Query["dryRun"].ToString();
        }

        var dryRun = true;
        if (dryRunText.Length > 0 && !bool.TryParse(dryRunText, out dryRun))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["dryRun"] = [text["Sheets.Error.DryRun"]] });
        }

        byte[] content;
        using (var buffer = new MemoryStream())
        {
            await file.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
        }

        var result = await imports.UploadAsync(http.User, file.FileName, content, !dryRun, null, ct);
        return ToHttpResult(result, dryRun, text);
    }

    private const long FormSlack = 64 * 1024;

    public static IResult ToHttpResult(ImportResult result, bool dryRun, IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(text);
        var status = result.Kind switch
        {
            ImportResultKind.Planned => dryRun ? "dry-run" : "planned",
            _ => KindName(result.Kind),
        };
        var dto = result.Record is { } record
            ? ToDto(record, status, result.Plan, text)
            : ToDto(null, status, result.Plan, text);
        var extensions = new Dictionary<string, object?> { ["import"] = dto };
        return result.Kind switch
        {
            ImportResultKind.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["Sheets.Import.Forbidden"]),
            ImportResultKind.NotFound => OutcomeResults.NotFound(text, "Sheets.Import.NotFound"),
            ImportResultKind.Refused => Results.ValidationProblem(
                dto.Errors.GroupBy(e => Where(e)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: text["Sheets.Import.RefusedTitle"], extensions: extensions),
            ImportResultKind.Conflicted => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: text["Sheets.Import.ConflictTitle"],
                detail: text["Sheets.Import.ConflictDetail"], extensions: extensions),
            ImportResultKind.Stopped => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: text["Sheets.Import.StoppedTitle"],
                detail: dto.Failure is { } failure ? text[failure].Value : null, extensions: extensions),
            ImportResultKind.Queued => Results.Accepted($"/api/v1/imports/{dto.Id}", dto),
            _ => Results.Ok(dto),
        };
    }

    /// <summary>A problem's place as a spreadsheet names a cell: <c>Scorecard!E5</c>, <c>Scorecard!5</c> for a row, the sheet alone.</summary>
    public static string Where(ImportProblemDto problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Sheet + (problem.Row is null && problem.Column is null ? "" : "!" + problem.Column + problem.Row?.ToString(CultureInfo.InvariantCulture));
    }

    public static string Message(SheetProblem problem, IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(text);
        return problem.Code.StartsWith("Error.", StringComparison.Ordinal) ? text[problem.Code].Value : text["Error." + problem.Code, problem.Value ?? ""].Value;
    }

    private static ImportDto ToDto(SpreadsheetImport? record, string status, ImportPlan? plan, IStringLocalizer text) => new(
        record?.Id, plan?.AgencyId ?? record?.AgencyId ?? Guid.Empty, status, record?.Sha256, plan?.FileVersion ?? 0, plan?.CurrentVersion ?? 0,
        plan?.Unchanged ?? 0,
        [.. (plan?.Changes ?? []).Select(c => new ImportChangeDto(c.Row, c.IndicatorId, Values(c.Old), Values(c.New)))],
        [.. (plan?.Conflicts ?? []).Select(c => new ImportConflictDto(c.Row, c.IndicatorId, Values(c.Base), Values(c.Current), Values(c.File)))],
        [.. (plan?.Errors ?? []).Select(e => new ImportProblemDto(e.Sheet, e.Row, e.Column, e.Code, Message(e, text)))],
        record?.Total ?? plan?.Changes.Count ?? 0, record?.Done ?? 0, record?.Failure, record?.VersionAfter);

    private static ImportValuesDto Values(IndicatorValues v) => new(v.Level, v.TargetLevel, v.TargetDate, v.EvidenceNote, v.EvidenceUrl);

    private static string Status(ImportStatus status) => status switch
    {
        ImportStatus.AlreadyApplied => "already-applied",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string KindName(ImportResultKind kind) => kind switch
    {
        ImportResultKind.AlreadyApplied => "already-applied",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
