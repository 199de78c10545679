using System.Globalization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Agencies;

public sealed record LayerScoresDto(double? Compute, double? Data, double? Governance, double? Skills, double? Operations);

public sealed record IndicesDto(double Mean, double Geometric, double Balanced, double ImbalancePenalty);

public sealed record AgencyListItemDto(
    Guid Id, string Name, AgencyKind Kind, string Sector, string Jurisdiction, LayerScoresDto Layers, IndicesDto? Indices,
    DateTimeOffset? LastAssessed, bool Stale, long Version);

public sealed record IndicatorDto(
    string Id, Layer Layer, int Level, string EvidenceNote, string? EvidenceUrl, int? TargetLevel, DateOnly? TargetDate,
    string AssessedBy, DateTimeOffset AssessedAt, ReviewStatus Status, string? ReviewNote);

public sealed record ScorecardDto(
    Guid Id, string Name, AgencyKind Kind, string Sector, string Jurisdiction, long Version, DateOnly? AsOf,
    LayerScoresDto Layers, IndicesDto? Indices, DateTimeOffset? LastAssessed, string? StaleForCycle, IReadOnlyList<IndicatorDto> Indicators);

public sealed record AssessmentRequest(
    string? IndicatorId, int? Level, string? EvidenceNote, string? EvidenceUrl, int? TargetLevel, DateOnly? TargetDate, long? ExpectedVersion);

public sealed record AssessmentCreatedDto(Guid AgencyId, string IndicatorId, long Version);

public static class AgencyEndpoints
{
    public static IEndpointRouteBuilder MapAgencyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/agencies").RequireAuthorization(Policies.View).WithTags("Agencies");

        api.MapGet("/", async (AgencyQueries queries, AgencyKind? kind, string? sector, string? jurisdiction, CancellationToken ct) =>
        {
            var rows = await queries.PortfolioAsync(new PortfolioFilter(kind, sector, jurisdiction), ct);
            return TypedResults.Ok(rows.Select(ToListItem).ToList());
        })
            .WithSummary("Lists the portfolio: every agency with its layer scores, indices, last assessment and version.")
            .WithDescription("Optional filters: `kind`, `sector` (e.g. `health`) and `jurisdiction` (e.g. `national`, `IN-MH`), with the codes of `seed-data/reference.json`.")
            .Produces<List<AgencyListItemDto>>(StatusCodes.Status200OK);

        api.MapGet("/{id:guid}/scorecard", async (
            Guid id, string? asOf, AgencyQueries queries, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            DateOnly? date = null;
            if (!string.IsNullOrEmpty(asOf))
            {
                if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["asOf"] = [text["AsOf.Invalid"]] });
                }

                if (parsed < AgencyQueries.EarliestAsOf || parsed > AgencyQueries.LatestAsOf)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["asOf"] = [text["Errors.Input.AsOfRange", AgencyQueries.EarliestAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), AgencyQueries.LatestAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]],
                    });
                }

                date = parsed;
            }

            var card = await queries.ScorecardAsync(id, date, ct);
            return card is null
                ? OutcomeResults.NotFound(text, date is null ? "Agency.NotFound" : "Agency.NotFoundAsOf")
                : Results.Ok(ToDto(card));
        })
            .WithSummary("Reads one agency's scorecard with every indicator's level, evidence, target and review status.")
            .WithDescription("`asOf` (`YYYY-MM-DD`, optional) gives the scorecard at the end of that day; 404 when the agency was not registered yet then. Its `version` (fetched without `asOf`) is the `expectedVersion` of an assessment.")
            .Produces<ScorecardDto>(StatusCodes.Status200OK);

        api.MapPost("/{id:guid}/assessments", async (
            Guid id, AssessmentRequest request, HttpContext http, AgencyCommandHandler handler,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var missing = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(request.IndicatorId)) missing["indicatorId"] = [text["Error.Indicator.Unknown"]];
            if (request.Level is null) missing["level"] = [text["Error.Level.OutOfRange"]];
            if (request.ExpectedVersion is null) missing["expectedVersion"] = [text["Error.ExpectedVersion.Required"]];
            if (missing.Count > 0)
            {
                return Results.ValidationProblem(missing);
            }

            var command = new AssessIndicator(id, request.IndicatorId!, request.Level!.Value, request.EvidenceNote ?? "",
                request.EvidenceUrl, request.TargetLevel, request.TargetDate, "", default);
            var outcome = await handler.HandleAsync(http.User, command, request.ExpectedVersion, ct);
            return outcome.ToHttpResult(text, "Agency.NotFound", a => Results.Created(
                $"/api/v1/agencies/{id}/scorecard", new AssessmentCreatedDto(id, request.IndicatorId!, a.Version)));
        }).DisableAntiforgery()
            .WithSummary("Records an assessment of one of the agency's indicators.")
            .WithDescription("Admins, or leads of that agency. `expectedVersion` is the scorecard's `version`: 409 with `currentVersion` when it changed since. `Location` points at the scorecard.")
            .Produces<AssessmentCreatedDto>(StatusCodes.Status201Created);

        return app;
    }

    public static AgencyListItemDto ToListItem(AgencySummary a) => new(
        a.Id, a.Name, a.Kind, a.Sector, a.Jurisdiction,
        new LayerScoresDto(a.Compute, a.Data, a.Governance, a.Skills, a.Operations),
        a.MeanIndex is { } mean ? new IndicesDto(mean, a.GeometricIndex!.Value, a.BalancedIndex!.Value, mean - a.BalancedIndex.Value) : null,
        a.LastAssessedAt, a.StaleForCycle is not null, a.Version);

    public static ScorecardDto ToDto(Scorecard card) => new(
        card.Agency.Id, card.Agency.Name, card.Agency.Kind, card.Agency.Sector, card.Agency.Jurisdiction, card.Agency.Version, card.AsOf,
        new LayerScoresDto(card.Scores.Compute, card.Scores.Data, card.Scores.Governance, card.Scores.Skills, card.Scores.Operations),
        card.Index is { } i ? new IndicesDto(i.Mean, i.Geometric, i.Balanced, i.ImbalancePenalty) : null,
        card.Agency.LastAssessedAt, card.Agency.StaleForCycle,
        card.Agency.Indicators.Values.Select(a => new IndicatorDto(
            a.IndicatorId, a.Layer, a.Level, a.EvidenceNote, a.EvidenceUrl, a.TargetLevel, a.TargetDate,
            a.AssessedBy, a.AssessedAt, a.Status, a.ReviewNote)).ToList());
}
