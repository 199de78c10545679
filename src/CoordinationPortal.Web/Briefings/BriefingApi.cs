using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Web.Briefings.Content;
using CoordinationPortal.Web.Components.Common;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace CoordinationPortal.Web.Briefings;

/// <summary>A briefing's state as the API reports it.</summary>
public sealed record BriefingStatusDto(
    string State,
    string Scope,
    string Subject,
    string Language,
    string? DataVersion,
    string? DownloadUrl,
    string StatusUrl,
    DateTimeOffset? Since,
    DateTimeOffset? GeneratedAt,
    long? Bytes,
    int? Pages,
    string? ETag);

/// <summary>
/// <c>/api/v1/briefings/{scope}/{subject}?lang=en|hi</c>: the PDF (200 with an ETag; 304 when <c>If-None-Match</c>
/// names it) when the current data's briefing is ready, else 202 with <c>Retry-After</c> and the status address while
/// it is generated. <c>…/status</c> says where it stands (and queues it too); <c>…/annex.csv</c> is the long table of
/// every agency of the scope. Any signed-in reader; a working group's briefing for readers of the whole group.
/// </summary>
public static class BriefingApi
{
    public const int RetryAfterSeconds = 2;

    public static IEndpointRouteBuilder MapBriefingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/briefings").RequireAuthorization(Policies.View).WithTags("Briefings");

        api.MapGet("/{scope}/{subject}", async (string scope, string subject, string? lang, long? after, HttpContext http, BriefingService briefings,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            if (!BriefingTarget.TryParse(scope, subject, lang, out var target))
            {
                return Malformed(text);
            }

            var state = await briefings.RequestAsync(target, http.User, ct, after);
            if (state is not BriefingState.Ready ready)
            {
                return Answer(state, target, text, http);
            }

            var file = ready.File;
            http.Response.Headers.CacheControl = "private, no-cache";
            http.Response.Headers["X-Data-Version"] = file.Version.Tag;
            if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags
                && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(file.ETag), useStrongComparison: false)))
            {
                http.Response.Headers.ETag = file.ETag;
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            var pdf = await briefings.PdfAsync(target, file, ct);
            if (pdf is null)
            {
                // Purged between the two reads: ask again.
                return Answer(new BriefingState.Pending(DateTimeOffset.UtcNow), target, text, http);
            }

            return Results.File(pdf, "application/pdf", file.FileName, lastModified: file.GeneratedAt, entityTag: new EntityTagHeaderValue(file.ETag));
        })
            .WithSummary("Downloads the briefing of the current data as a PDF.")
            .WithDescription("`scope` is `national` (subject `all`), `sector`, `jurisdiction`, `agency` or `working-group`; `lang` is `en` (default) or `hi`. 200 with `ETag` and `X-Data-Version`; 304 for a matching `If-None-Match`; 202 with `Retry-After` and a `Location` to ask again (carrying `after`) while it is generated; 503 with `Retry-After` when generating failed, or saying what to install without Chromium. A working group's briefing is for the readers of the whole group.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf")
            .Produces<BriefingStatusDto>(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/{scope}/{subject}/status", async (string scope, string subject, string? lang, long? after, HttpContext http, BriefingService briefings,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            if (!BriefingTarget.TryParse(scope, subject, lang, out var target))
            {
                return Malformed(text);
            }

            var state = await briefings.RequestAsync(target, http.User, ct, after);
            return state switch
            {
                BriefingState.Ready or BriefingState.Pending or BriefingState.Failed => Results.Ok(Status(state, target)),
                _ => Answer(state, target, text, http),
            };
        })
            .WithSummary("Reports where a briefing stands (pending, ready or failed), asking for it as the download does.")
            .WithDescription("When ready: `dataVersion`, `downloadUrl`, `bytes`, `pages` and `eTag`. 503 without Chromium.")
            .Produces<BriefingStatusDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/{scope}/{subject}/annex.csv", async (string scope, string subject, string? lang, HttpContext http, BriefingService briefings,
            BriefingQueries queries, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            if (!BriefingTarget.TryParse(scope, subject, lang, out var target))
            {
                return Malformed(text);
            }

            if (await briefings.RefusalAsync(target, http.User, ct) is { } refused)
            {
                return Answer(refused, target, text, http);
            }

            var model = await queries.LoadAsync(target, ct);
            if (model is null)
            {
                return Answer(new BriefingState.NotFound(), target, text, http);
            }

            http.Response.Headers["X-Data-Version"] = model.Version.Tag;
            return Results.File(BriefingAnnex.Csv(model), "text/csv; charset=utf-8",
                $"briefing-{target.ScopeSlug}-{target.Subject}-{target.Language}-{model.Version.Tag}.csv");
        })
            .WithSummary("Downloads the briefing's annex: every agency of the scope with its layer scores, indices and open flags, as CSV.")
            .WithDescription("UTF-8 with a byte-order mark; cells beginning with `=`, `+`, `-` or `@` are neutralised.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");

        api.MapGet("/", async (HttpContext http, BriefingService briefings, CancellationToken ct) =>
            Results.Ok((await briefings.RecentAsync(http.User, 50, ct)).Select(f => Status(new BriefingState.Ready(f), f.Target))))
            .WithSummary("Lists the most recently generated briefings you may read.")
            .Produces<List<BriefingStatusDto>>(StatusCodes.Status200OK);

        return app;
    }

    private static BriefingStatusDto Status(BriefingState state, BriefingTarget target)
    {
        var statusUrl = StatusUrl(target);
        var (scope, subject, lang) = (target.ScopeSlug, target.Subject, target.Language);
        return state switch
        {
            BriefingState.Ready { File: var f } => new("ready", scope, subject, lang, f.Version.Tag, BriefingLinks.Download(target), statusUrl, null,
                f.GeneratedAt, f.Bytes, f.Pages, f.ETag),
            BriefingState.Pending p => new("pending", scope, subject, lang, null, BriefingLinks.After(BriefingLinks.Download(target), p.Sequence),
                BriefingLinks.After(statusUrl, p.Sequence), p.Since, null, null, null, null),
            BriefingState.Failed f => new("failed", scope, subject, lang, null, null, statusUrl, f.At, null, null, null, null),
            _ => new("unavailable", scope, subject, lang, null, null, statusUrl, null, null, null, null, null),
        };
    }

    private static string StatusUrl(BriefingTarget target) =>
        $"/api/v1/briefings/{target.ScopeSlug}/{Uri.EscapeDataString(target.Subject)}/status?lang={target.Language}";

    private static IResult Answer(BriefingState state, BriefingTarget target, IStringLocalizer text, HttpContext http)
    {
        switch (state)
        {
            case BriefingState.Pending pending:
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                // Asking again at this address is served by the briefing printed for this request, even if the data moves on.
                http.Response.Headers.Location = BriefingLinks.After(BriefingLinks.Download(target), pending.Sequence);
                return Results.Json(Status(state, target), statusCode: StatusCodes.Status202Accepted, contentType: "application/json");
            case BriefingState.Failed:
                http.Response.Headers.RetryAfter = ((int)BriefingService.FailedFor.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: text["BriefingApi.Failed"],
                    extensions: new Dictionary<string, object?> { ["statusUrl"] = StatusUrl(target) });
            case BriefingState.Unavailable:
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: text["BriefingApi.Unavailable"],
                    detail: text["BriefingApi.Install", BriefingAvailability.InstallCommand]);
            case BriefingState.Forbidden:
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["BriefingApi.Forbidden"]);
            default:
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["BriefingApi.NotFound"]);
        }
    }

    private static IResult Malformed(IStringLocalizer text) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: text["BriefingApi.Malformed"], detail: text["BriefingApi.MalformedDetail"]);
}
