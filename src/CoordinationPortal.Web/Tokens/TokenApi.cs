using CoordinationPortal.Domain.Security;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Tokens;

public sealed record TokenCreateRequest(string? Name, IReadOnlyList<string>? Scopes, DateOnly? ExpiresOn, IReadOnlyList<Guid>? AgencyIds);

/// <summary>A token as the API lists it: never the token itself.</summary>
public sealed record TokenDto(
    Guid Id, string Name, string Hint, IReadOnlyList<string> Scopes, IReadOnlyList<Guid> AgencyIds, DateTimeOffset CreatedAt,
    DateOnly ExpiresOn, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string Owner, bool Live);

/// <summary>The answer to a creation: the token, this once.</summary>
public sealed record TokenCreatedDto(Guid Id, string Name, string Token, IReadOnlyList<string> Scopes, IReadOnlyList<Guid> AgencyIds, DateOnly ExpiresOn);

/// <summary>
/// <c>/api/v1/tokens</c>: create (201 with the token once), list (one's own; <c>?all=true</c> every account's, admins
/// only) and revoke. A session's cookie only: no token may manage tokens (<see cref="TokenScopes.RequiredFor"/>).
/// </summary>
public static class TokenApi
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/tokens").RequireAuthorization(Policies.View).WithTags("Tokens");

        api.MapPost("/", async (TokenCreateRequest request, HttpContext http, ApiTokens tokens, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var outcome = await tokens.CreateAsync(http.User, new TokenRequest(request.Name, request.Scopes, request.ExpiresOn, request.AgencyIds), null, ct);
            if (outcome.Created is not { } created)
            {
                return OutcomeResults.ValidationProblem(outcome.Errors, e => text["Error." + e.Code]);
            }

            var t = created.Token;
            return Results.Created($"/api/v1/tokens/{t.Id}", new TokenCreatedDto(t.Id, t.Name, created.Secret, t.Scopes, t.AgencyIds, t.ExpiresOn));
        }).DisableAntiforgery()
            .WithSummary("Creates a personal API token and shows it this once.")
            .WithDescription("With the sign-in cookie only: no token may manage tokens. `expiresOn` is after today and at most 365 days away; `agencyIds` only agencies you lead (any for admins).")
            .Produces<TokenCreatedDto>(StatusCodes.Status201Created);

        api.MapGet("/", async (bool? all, HttpContext http, ApiTokens tokens, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var listed = await tokens.ListAsync(http.User, all == true, ct);
            return Results.Ok(listed.Select(l => ToDto(l, now)).ToList());
        })
            .WithSummary("Lists your API tokens, never the tokens themselves.")
            .WithDescription("With the sign-in cookie only. Admins add `?all=true` for every account's tokens.")
            .Produces<List<TokenDto>>(StatusCodes.Status200OK);

        api.MapDelete("/{id:guid}", async (Guid id, HttpContext http, ApiTokens tokens, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            await tokens.RevokeAsync(http.User, id, ct)
                ? Results.NoContent()
                : OutcomeResults.NotFound(text, "Error.Token.NotFound")).DisableAntiforgery()
            .WithSummary("Revokes an API token at once.")
            .WithDescription("With the sign-in cookie only. Another account's token is 404 unless you are an admin.")
            .Produces(StatusCodes.Status204NoContent);
        return app;
    }

    private static TokenDto ToDto(TokenListing listing, DateTimeOffset now)
    {
        var t = listing.Token;
        return new TokenDto(t.Id, t.Name, t.Hint, t.Scopes, t.AgencyIds, t.CreatedAt, t.ExpiresOn, listing.LastUsedAt, t.RevokedAt, t.OwnerName, t.IsLive(now));
    }
}
