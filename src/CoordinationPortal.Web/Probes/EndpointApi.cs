using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.Outbound;
using CoordinationPortal.Web.Probes.Storage;
using Marten;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Probes;

public sealed record EndpointDto(
    Guid Id, Guid AgencyId, string AgencyName, string Name, string BaseUrl, ServerKind Kind, string Model, int IntervalSeconds,
    SloTargets Slo, string? MetricsUrl, bool HasApiKey, bool Paused, long Version, EndpointHealth Health, string? Reason,
    DateTimeOffset? HealthSince, DateTimeOffset? LastProbeAt, double? LastTtftMs, double? LastTokensPerSecond,
    IReadOnlyList<MaintenanceWindow> Maintenance, IReadOnlyList<string> BreachedSlos, SloReport Last24Hours);

public sealed record EndpointRequest(
    Guid? AgencyId, string? Name, string? BaseUrl, ServerKind? Kind, string? Model, int? IntervalSeconds,
    double? AvailabilityPercent, int? P95TtftMs, double? MinOutputTokensPerSecond, string? MetricsUrl,
    string? ApiKey, bool? RemoveApiKey, long? ExpectedVersion);

public sealed record MaintenanceRequest(DateTimeOffset? Start, DateTimeOffset? End, string? Note);

public sealed record SampleDto(
    DateTimeOffset At, ProbeState State, string Reason, bool InMaintenance, bool Cold, double? TtftMs, double? EndToEndMs,
    int? OutputTokens, bool? TokensFromUsage, double? TokensPerSecond, double? TpotMs, double? ItlP50Ms, double? ItlP95Ms,
    double? ConnectMs);

public sealed record AllowlistRequest(string? Cidr, string? Note);

/// <summary>The answer to a change of an endpoint (or, for a maintenance window, the window's id) and the registry's new version.</summary>
public sealed record EndpointChangedDto(Guid Id, long Version);

/// <summary>Measured evidence for an agency: its endpoints, each one's 7-day SLO report by endpoint id, and how many met every SLO.</summary>
public sealed record AgencyEndpointsDto(IReadOnlyList<EndpointDto> Endpoints, IReadOnlyDictionary<Guid, SloReport> Last7Days, int MeetingSlo);

/// <summary>The probes API: the registry (admins and the agency's leads change it), live status, SLOs and samples.</summary>
public static class EndpointApi
{
    public static IEndpointRouteBuilder MapEndpointApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/endpoints").RequireAuthorization(Policies.View).WithTags("Endpoints");

        api.MapGet("/", async (Guid? agencyId, HttpContext http, ProbeQueries queries, ProbeReasonText reasons, ReasonAudience audience, CancellationToken ct) =>
        {
            var rows = await queries.BoardAsync(agencyId, ct);
            var excerpts = await audience.ForAsync(http.User, rows.Select(r => r.Endpoint.AgencyId), ct);
            return TypedResults.Ok(rows.Select(r => ToDto(r, reasons, excerpts(r.Endpoint.AgencyId))).ToList());
        })
            .WithSummary("Lists the probed endpoints (or one agency's) with their settings, health, last probe and SLO report.")
            .WithDescription("Never an endpoint's API key: `hasApiKey` says whether one is stored. `agencyId` (optional) narrows to one agency.")
            .Produces<List<EndpointDto>>(StatusCodes.Status200OK);

        api.MapGet("/{id:guid}", async (Guid id, HttpContext http, ProbeQueries queries, ProbeReasonText reasons, ReasonAudience audience,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var row = await queries.RowAsync(id, ct);
            if (row is null)
            {
                return NotFound(text);
            }

            var excerpts = await audience.ForAsync(http.User, [row.Endpoint.AgencyId], ct);
            return Results.Ok(ToDto(row, reasons, excerpts(row.Endpoint.AgencyId)));
        })
            .WithSummary("Reads one endpoint with its settings, health, last probe and SLO report.")
            .Produces<EndpointDto>(StatusCodes.Status200OK);

        api.MapGet("/{id:guid}/slo", async (Guid id, IQuerySession session, ProbeQueries queries, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            await session.LoadAsync<InferenceEndpoint>(id, ct) is { } endpoint
                ? Results.Ok(await queries.SloAsync(endpoint, ct))
                : NotFound(text))
            .WithSummary("Reads an endpoint's SLO reports for the last hour, day, week and month.")
            .Produces<IReadOnlyList<SloReport>>(StatusCodes.Status200OK);

        api.MapGet("/{id:guid}/samples", async (Guid id, int? hours, bool? failuresOnly, HttpContext http, IQuerySession session, ProbeStore probes,
            TimeProvider time, ProbeReasonText reasons, ReasonAudience audience, CancellationToken ct) =>
        {
            var since = time.GetUtcNow().AddHours(-Math.Clamp(hours ?? 1, 1, 24 * 30));
            var samples = await probes.SamplesAsync(id, since, 5000, failuresOnly ?? false, ct);
            var agencyId = (await session.LoadAsync<InferenceEndpoint>(id, ct))?.AgencyId;
            var withExcerpt = agencyId is { } agency && (await audience.ForAsync(http.User, [agency], ct))(agency);
            return TypedResults.Ok(samples.Select(s => new SampleDto(s.At, s.State, reasons.Describe(s.Reason, withExcerpt), s.InMaintenance, s.Cold,
                s.TtftMs, s.EndToEndMs, s.OutputTokens, s.TokensFromUsage, s.TokensPerSecond, s.TpotMs, s.ItlP50Ms, s.ItlP95Ms, s.ConnectMs)).ToList());
        })
            .WithSummary("Lists an endpoint's raw probe samples.")
            .WithDescription("`hours` back (1 by default, 1 to 720, within the raw retention); `failuresOnly=true` for the failed probes only.")
            .Produces<List<SampleDto>>(StatusCodes.Status200OK);

        api.MapPost("/", async (EndpointRequest request, HttpContext http, EndpointCommandHandler handler,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            if (request.AgencyId is not { } agencyId)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["agencyId"] = [text["Error.Agency.NotFound"]] });
            }

            var id = Guid.NewGuid();
            var command = new RegisterEndpoint(id, agencyId, ToSettings(request), false, "", default);
            var outcome = await handler.HandleAsync(http.User, command, null, KeyChange(request), ct);
            return ToResult(outcome, text, _ => Results.Created($"/api/v1/endpoints/{id}", new EndpointChangedDto(id, 1)));
        }).DisableAntiforgery()
            .WithSummary("Registers an inference endpoint to probe.")
            .WithDescription("Admins, or leads of the agency. `apiKey` is visible ASCII only. 400 on `agencyId` when the agency has its maximum of endpoints already.")
            .Produces<EndpointChangedDto>(StatusCodes.Status201Created);

        api.MapPut("/{id:guid}", async (Guid id, EndpointRequest request, HttpContext http, EndpointCommandHandler handler,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            if (request.ExpectedVersion is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["expectedVersion"] = [text["Error.ExpectedVersion.Required"]] });
            }

            var outcome = await handler.HandleAsync(http.User, new ChangeEndpointSettings(id, ToSettings(request), "", default),
                request.ExpectedVersion, KeyChange(request), ct);
            return ToResult(outcome, text, a => Results.Ok(new EndpointChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .WithSummary("Changes an endpoint's settings.")
            .WithDescription("Admins, or leads of the agency. `expectedVersion` is required: 409 with `currentVersion` when it changed meanwhile. An `apiKey` replaces the stored key, `removeApiKey: true` removes it, neither keeps it.")
            .Produces<EndpointChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/{id:guid}/pause", (Guid id, HttpContext http, EndpointCommandHandler handler, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            Run(handler, http.User, new PauseEndpoint(id, "", default), text, ct)).DisableAntiforgery()
            .WithSummary("Pauses probing an endpoint.")
            .WithDescription("Admins, or leads of the agency.")
            .Produces<EndpointChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/{id:guid}/resume", (Guid id, HttpContext http, EndpointCommandHandler handler, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            Run(handler, http.User, new ResumeEndpoint(id, "", default), text, ct)).DisableAntiforgery()
            .WithSummary("Resumes probing a paused endpoint.")
            .WithDescription("Admins, or leads of the agency.")
            .Produces<EndpointChangedDto>(StatusCodes.Status200OK);

        api.MapDelete("/{id:guid}", (Guid id, HttpContext http, EndpointCommandHandler handler, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            Run(handler, http.User, new RetireEndpoint(id, "", default), text, ct)).DisableAntiforgery()
            .WithSummary("Retires an endpoint: its history stays, its key is deleted.")
            .WithDescription("Admins, or leads of the agency.")
            .Produces<EndpointChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/{id:guid}/maintenance", async (Guid id, MaintenanceRequest request, HttpContext http, EndpointCommandHandler handler,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            if (request.Start is not { } start || request.End is not { } end)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["end"] = [text["Error.Maintenance.EndBeforeStart"]] });
            }

            var windowId = Guid.NewGuid();
            var outcome = await handler.HandleAsync(http.User, new ScheduleMaintenance(id, windowId, start, end, request.Note ?? "", "", default), null, null, ct);
            return ToResult(outcome, text, a => Results.Created($"/api/v1/endpoints/{id}", new EndpointChangedDto(windowId, a.Version)));
        }).DisableAntiforgery()
            .WithSummary("Schedules a maintenance window for an endpoint.")
            .WithDescription("Admins, or leads of the agency. `start` and `end`, at most 31 days apart, and a `note`. The answer's `id` is the window's.")
            .Produces<EndpointChangedDto>(StatusCodes.Status201Created);

        api.MapDelete("/{id:guid}/maintenance/{windowId:guid}", (Guid id, Guid windowId, HttpContext http, EndpointCommandHandler handler,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            Run(handler, http.User, new CancelMaintenance(id, windowId, "", default), text, ct)).DisableAntiforgery()
            .WithSummary("Cancels a maintenance window of an endpoint.")
            .WithDescription("Admins, or leads of the agency.")
            .Produces<EndpointChangedDto>(StatusCodes.Status200OK);

        // "Probe now": runs one probe at once (within the probe timeouts) and answers with what it found; recorded like any probe.
        // Rationed per endpoint and per person (ProbeNowLimiter): past the limit, 429 with Retry-After.
        api.MapPost("/{id:guid}/probe", async (Guid id, HttpContext http, IQuerySession session, EndpointCommandHandler handler,
            ProbeRunner runner, ProbeNowLimiter limiter, ProbeReasonText reasons, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var endpoint = await session.LoadAsync<InferenceEndpoint>(id, ct);
            if (endpoint is null || endpoint.Retired)
            {
                return NotFound(text);
            }

            if (!await handler.MayChangeAsync(http.User, endpoint.AgencyId, ct))
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["Forbidden.Title"]);
            }

            if (limiter.TryStart(id, http.User.Identity?.Name ?? "") is { } wait)
            {
                var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: text["Endpoints.ProbeNow.TooMany.Title"],
                    detail: text["Endpoints.ProbeNow.TooMany", seconds]);
            }

            var r = await runner.ProbeAsync(id, ct);
            return r is null
                ? NotFound(text)
                : Results.Ok(new SampleDto(r.At, r.Verdict.State, reasons.Describe(r.Verdict.Reason, withExcerpt: true), endpoint.InMaintenance(r.At), r.Cold,
                    r.Stream?.TtftMs, r.Stream?.EndToEndMs, r.Stream?.OutputTokens, r.Stream?.TokensFromUsage, r.Stream?.OutputTokensPerSecond,
                    r.Stream?.TpotMs, r.Stream?.ItlP50Ms, r.Stream?.ItlP95Ms, r.ConnectMs));
        }).DisableAntiforgery()
            .WithSummary("Probes an endpoint now and answers with the sample, recorded like any probe.")
            .WithDescription("Admins, or leads of the agency. Rationed per endpoint and per person each minute: beyond, 429 with `Retry-After` (seconds).")
            .Produces<SampleDto>(StatusCodes.Status200OK);

        app.MapGet("/api/v1/agencies/{id:guid}/endpoints", async (Guid id, HttpContext http, ProbeQueries queries, ProbeReasonText reasons,
            ReasonAudience audience, CancellationToken ct) =>
        {
            var evidence = await queries.AgencyEvidenceAsync(id, ct);
            var withExcerpt = (await audience.ForAsync(http.User, [id], ct))(id);
            return TypedResults.Ok(new AgencyEndpointsDto(
                evidence.Endpoints.Select(r => ToDto(r, reasons, withExcerpt)).ToList(), evidence.Week, evidence.MeetingSlo));
        }).RequireAuthorization(Policies.View).WithTags("Endpoints")
            .WithSummary("Reads an agency's measured evidence: its endpoints and each one's 7-day SLO report.")
            .Produces<AgencyEndpointsDto>(StatusCodes.Status200OK);

        var allowlist = app.MapGroup("/api/v1/probe-allowlist").RequireAuthorization(Policies.Admin).WithTags("Endpoints");
        allowlist.MapGet("/", async (ProbeAllowlistAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(ct)))
            .WithSummary("Lists the probe allowlist: the configured entries and the admins' own.")
            .WithDescription("Admins only.");
        allowlist.MapPost("/", async (AllowlistRequest request, HttpContext http, ProbeAllowlistAdmin admin, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var error = await admin.AddAsync(request.Cidr ?? "", request.Note ?? "", http.User.Identity!.Name!, ct);
            return error is null
                ? Results.Created("/api/v1/probe-allowlist", null)
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["cidr"] = [text["Error.Allowlist." + error]] });
        }).DisableAntiforgery()
            .WithSummary("Adds a network to the probe allowlist.")
            .WithDescription("Admins only. `cidr` is a network with optional ports (e.g. `10.0.0.0/8:8000-8100`; without ports 80 and 443 only), with a `note`.")
            .Produces(StatusCodes.Status201Created);
        allowlist.MapDelete("/", async (string cidr, ProbeAllowlistAdmin admin, CancellationToken ct) =>
            await admin.RemoveAsync(cidr, ct) ? Results.NoContent() : Results.NotFound()).DisableAntiforgery()
            .WithSummary("Removes an entry from the probe allowlist.")
            .WithDescription("Admins only. `cidr` as listed.")
            .Produces(StatusCodes.Status204NoContent);

        return app;
    }

    /// <summary>An endpoint for the API; <paramref name="withExcerpt"/> only for those who may manage it (<see cref="ReasonAudience"/>).</summary>
    public static EndpointDto ToDto(EndpointRow r, ProbeReasonText reasons, bool withExcerpt)
    {
        var e = r.Endpoint;
        var s = e.Settings;
        var health = r.Status?.Health ?? EndpointHealth.Unknown;
        return new EndpointDto(e.Id, e.AgencyId, r.AgencyName, s.Name, s.BaseUrl, s.Kind, s.Model, s.IntervalSeconds, s.Slo, s.MetricsUrl,
            e.HasApiKey, e.Paused, e.RegistryVersion, health, r.Status?.LastReason is { } reason ? reasons.Describe(reason, withExcerpt) : null,
            e.HealthSince, r.Status?.LastAt, r.Status?.LastTtftMs, r.Status?.LastTokensPerSecond, e.Maintenance, [.. e.Breaches], r.Day);
    }

    private static EndpointSettings ToSettings(EndpointRequest r) => new(
        r.Name ?? "", r.BaseUrl ?? "", r.Kind ?? ServerKind.OpenAi, r.Model ?? "", r.IntervalSeconds ?? 60,
        new SloTargets(r.AvailabilityPercent ?? 99, r.P95TtftMs ?? 1000, r.MinOutputTokensPerSecond ?? 10), r.MetricsUrl);

    private static ApiKeyChange KeyChange(EndpointRequest r) =>
        r.RemoveApiKey == true ? new ApiKeyChange.Remove()
        : !string.IsNullOrEmpty(r.ApiKey) ? new ApiKeyChange.Replace(r.ApiKey)
        : ApiKeyChange.KeepIt;

    private static async Task<IResult> Run(EndpointCommandHandler handler, ClaimsPrincipal user, EndpointCommand command,
        IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        ToResult(await handler.HandleAsync(user, command, null, null, ct), text, a => Results.Ok(new EndpointChangedDto(command.EndpointId, a.Version)));

    private static IResult ToResult(CommandOutcome outcome, IStringLocalizer<SharedResource> text, Func<CommandOutcome.Accepted, IResult> accepted) =>
        outcome.ToHttpResult(text, "Error.Endpoint.NotFound", accepted);

    private static IResult NotFound(IStringLocalizer<SharedResource> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Error.Endpoint.NotFound"]);
}
