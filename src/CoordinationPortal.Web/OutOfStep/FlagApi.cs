using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.OutOfStep;

public sealed record AcknowledgementDto(string By, DateTimeOffset At, string Note);

public sealed record FlagEpisodeDto(int Occurrence, FlagSeverity Severity, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt);

public sealed record FlagDto(
    Guid Id, Guid AgencyId, string AgencyName, AgencyKind AgencyKind, string Sector, string Jurisdiction,
    string RuleId, LocalizedText? RuleTitle, string Kind, string Subject, FlagSeverity Severity, FlagStatus Status,
    IReadOnlyList<Layer> Layers, IReadOnlyList<Figure> Figures, LocalizedText Explanation, DateTimeOffset RaisedAt,
    int Occurrence, AcknowledgementDto? Acknowledgement, DateTimeOffset? ResolvedAt, ResolutionReason? ResolutionReason,
    IReadOnlyList<FlagEpisodeDto> Episodes, long Version);

public sealed record AgencyFlagsDto(Guid AgencyId, string AgencyName, IReadOnlyList<FlagDto> Open, IReadOnlyList<FlagDto> Resolved);

public sealed record AcknowledgementRequest(string? Note, long? ExpectedVersion);

public sealed record AcknowledgedDto(Guid Id, FlagStatus Status, long Version);

/// <summary>The flags API: the portfolio's flags with the board's filters, one agency's flags, and acknowledging one.</summary>
public static class FlagApi
{
    public static IEndpointRouteBuilder MapFlagApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/flags").RequireAuthorization(Policies.View).WithTags("Flags");

        api.MapGet("/", async (
            string? severity, string? rule, string? layer, string? sector, string? jurisdiction, Guid? agencyId,
            string? status, string? q, string? sort, FlagQueries queries, RuleTitles titles, IStringLocalizer<SharedResource> text,
            CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var filter = new FlagFilter(
                Parse<FlagSeverity>(severity, nameof(severity), errors, text),
                string.IsNullOrWhiteSpace(rule) ? null : rule.Trim(),
                Parse<Layer>(layer, nameof(layer), errors, text),
                string.IsNullOrWhiteSpace(sector) ? null : sector.Trim(),
                string.IsNullOrWhiteSpace(jurisdiction) ? null : jurisdiction.Trim(),
                agencyId,
                Parse<FlagStatusFilter>(status, nameof(status), errors, text) ?? FlagStatusFilter.AllOpen,
                q);
            var order = ParseOrder(sort, errors, text);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors);
            }

            var board = await queries.BoardAsync(filter, order, ct);
            return Results.Ok(board.Rows.Select(r => ToDto(r.Flag, r.Agency, titles)).ToList());
        })
            .WithSummary("Lists out-of-step flags with the board's filters and order.")
            .WithDescription("Filters: `severity`, `rule`, `layer`, `sector`, `jurisdiction`, `agencyId`, `status` (`all-open` by default, `open`, `acknowledged`, `resolved`, `all`) and `q`; `sort` is `urgency` (default), `severity`, `raised`, `agency` or `rule`, with `-asc` or `-desc`. An unknown value is a 400 naming the parameter.")
            .Produces<List<FlagDto>>(StatusCodes.Status200OK);

        api.MapGet("/{id:guid}", async (Guid id, FlagQueries queries, RuleTitles titles, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            await queries.FindAsync(id, ct) is { } row
                ? Results.Ok(ToDto(row.Flag, row.Agency, titles))
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Error.Flag.NotFound"]))
            .WithSummary("Reads one flag.")
            .Produces<FlagDto>(StatusCodes.Status200OK);

        api.MapPost("/{id:guid}/acknowledgements", async (
            Guid id, AcknowledgementRequest request, HttpContext http, FlagCommandHandler handler,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var outcome = await handler.AcknowledgeAsync(http.User, id, request.Note, request.ExpectedVersion, ct);
            // A flag says what happened to the flag, not to a scorecard.
            return outcome.ToHttpResult(
                text,
                "Error.Flag.NotFound",
                a => Results.Created($"/api/v1/flags/{id}", new AcknowledgedDto(id, FlagStatus.Acknowledged, a.Version)),
                conflictKey: "Flags.Conflict",
                forbiddenKey: "Flags.Forbidden");
        }).DisableAntiforgery()
            .WithSummary("Acknowledges a flag with a note.")
            .WithDescription("Admins, or leads of the flag's agency. `expectedVersion` is optional: when sent and the flag changed since, 409 with `currentVersion`. A resolved flag is a 400.")
            .Produces<AcknowledgedDto>(StatusCodes.Status201Created);

        app.MapGet("/api/v1/agencies/{id:guid}/flags", async (Guid id, FlagQueries queries, RuleTitles titles,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var flags = await queries.ForAgencyAsync(id, ct);
            return flags is null
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Error.Agency.NotFound"])
                : Results.Ok(new AgencyFlagsDto(flags.Agency.Id, flags.Agency.Name,
                    flags.Open.Select(f => ToDto(f, flags.Agency, titles)).ToList(),
                    flags.Resolved.Select(f => ToDto(f, flags.Agency, titles)).ToList()));
        }).RequireAuthorization(Policies.View).WithTags("Flags")
            .WithSummary("Lists one agency's open and resolved flags.")
            .Produces<AgencyFlagsDto>(StatusCodes.Status200OK);

        return app;
    }

    public static FlagDto ToDto(Flag f, FlagAgencyInfo agency, RuleTitles titles) => new(
        f.Id, f.AgencyId, agency.Name, agency.Kind, agency.Sector, agency.Jurisdiction,
        f.RuleId, titles.Localized(f.RuleId), f.Kind, f.Subject, f.Severity, f.Status,
        f.Layers, f.Figures, f.Explanation, f.RaisedAt, f.Occurrence,
        f.AcknowledgedBy is { } by && f.AcknowledgedAt is { } at ? new AcknowledgementDto(by, at, f.AcknowledgementNote ?? "") : null,
        f.ResolvedAt, f.ResolutionReason,
        f.Episodes.Select(e => new FlagEpisodeDto(e.Occurrence, e.Severity, e.RaisedAt, e.ResolvedAt)).ToList(),
        f.Version);

    internal static T? Parse<T>(string? value, string field, Dictionary<string, string[]> errors, IStringLocalizer<SharedResource> text)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (FlagQueryString.TryParse<T>(value, out var parsed))
        {
            return parsed;
        }

        errors[field] = [text["Flags.Api.UnknownValue", value, string.Join(", ", Enum.GetValues<T>().Select(FlagQueryString.Slug))]];
        return null;
    }

    /// <summary>"severity", "raised", "agency" or "rule", optionally with "-asc" or "-desc".</summary>
    internal static FlagOrder ParseOrder(string? sort, Dictionary<string, string[]> errors, IStringLocalizer<SharedResource> text)
    {
        if (string.IsNullOrWhiteSpace(sort))
        {
            return new FlagOrder();
        }

        if (FlagQueryString.TryParseOrder(sort, out var order))
        {
            return order;
        }

        errors["sort"] = [text["Flags.Api.UnknownValue", sort, "severity, raised, agency, rule (-asc, -desc)"]];
        return new FlagOrder();
    }
}
