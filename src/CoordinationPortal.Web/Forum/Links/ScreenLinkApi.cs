using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Kernel.Commands;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.WorkingGroups;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Forum.Links;

public sealed record ScreenLinkRequest(string? Label, int? ExpiresInHours);

/// <summary>A link as listed: never its token, which only the answer to its creation carries.</summary>
public sealed record ScreenLinkDto(
    Guid Id, Guid SessionId, string Label, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt,
    string? RevokedBy, bool Live);

/// <summary>The answer to a creation: the link, and the address that opens the screen, shown this once.</summary>
public sealed record IssuedScreenLinkDto(ScreenLinkDto Link, Uri Url);

/// <summary>
/// <c>/api/v1/sessions/{id}/screen-links</c>: create (201 with the address, once), list, and revoke (204) a session's
/// screen links. The group's chair and secretary and admins only; 404 for a session that does not exist, 403 for one the
/// reader may not manage, both before any input error.
/// </summary>
public static class ScreenLinkApi
{
    public static IEndpointRouteBuilder MapScreenLinkApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/sessions/{id:guid}").RequireAuthorization(Policies.View).WithTags("Forum");

        api.MapPost("/screen-links", async (Guid id, HttpContext http, WorkingGroupApi.AccessGate gate, WorkingGroupApi.BodyReader body,
            ScreenLinkHandler handler, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            if (await gate.SessionAsync(http, id, ct) is { } refused)
            {
                return refused;
            }

            var (request, problem) = await body.ReadAsync<ScreenLinkRequest>(http, ct, optional: true);
            if (problem is not null)
            {
                return problem;
            }

            var (outcome, issued) = await handler.CreateAsync(http.User, id, request!.Label, request.ExpiresInHours ?? ScreenLinkRules.DefaultHours, ct);
            return outcome.ToHttpResult(text, "Error.Session.NotFound", _ =>
            {
                var url = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/{issued!.RelativeUrl}");
                return Results.Created($"/api/v1/sessions/{id}/screen-links", new IssuedScreenLinkDto(ToDto(issued.Link, DateTimeOffset.UtcNow), url));
            }, forbiddenKey: "WgApi.Forbidden");
        })
            .ReadsJson<ScreenLinkRequest>(optional: true)
            .WithSummary("Creates a link that opens the session's room screen without signing in, answered once with its `url`.")
            .WithDescription("The group's chair and secretary, and admins. The body is optional: `label`, and `expiresInHours` from 1 to 168 (12 by default). The `url` is never listed again.")
            .Produces<IssuedScreenLinkDto>(StatusCodes.Status201Created);

        api.MapGet("/screen-links", async (Guid id, HttpContext http, ScreenLinkHandler handler, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (denied, links) = await handler.ListAsync(http.User, id, ct);
            var now = DateTimeOffset.UtcNow;
            return denied is not null
                ? denied.ToHttpResult(text, "Error.Session.NotFound", _ => Results.NoContent(), forbiddenKey: "WgApi.Forbidden")
                : Results.Ok(links.Select(l => ToDto(l, now)).ToList());
        })
            .WithSummary("Lists the session's screen links, without their addresses.")
            .WithDescription("The group's chair and secretary, and admins.")
            .Produces<List<ScreenLinkDto>>(StatusCodes.Status200OK);

        api.MapDelete("/screen-links/{linkId:guid}", async (Guid id, Guid linkId, HttpContext http, ScreenLinkHandler handler, IStringLocalizer<SharedResource> text,
            CancellationToken ct) =>
            (await handler.RevokeAsync(http.User, id, linkId, ct))
                .ToHttpResult(text, "Error.ScreenLink.NotFound", _ => Results.NoContent(), forbiddenKey: "WgApi.Forbidden"))
            .WithSummary("Revokes a screen link at once.")
            .WithDescription("The group's chair and secretary, and admins.")
            .Produces(StatusCodes.Status204NoContent);

        return app;
    }

    public static ScreenLinkDto ToDto(ScreenLink link, DateTimeOffset now) => new(
        link.Id, link.SessionId, link.Label, link.CreatedBy, link.CreatedAt, link.ExpiresAt, link.RevokedAt, link.RevokedBy, link.IsLive(now));
}
