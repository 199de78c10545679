using System.Security.Claims;
using CoordinationPortal.Domain.Security;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Probes.Pages;
using Marten;
using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Tokens;

/// <summary>A token just created: the stored record, and the token itself, which is shown this once and never again.</summary>
public sealed record CreatedToken(ApiToken Token, string Secret);

/// <summary>What became of a request to create a token: created, or refused with the reasons.</summary>
public sealed record TokenCreation(CreatedToken? Created, IReadOnlyList<DomainError> Errors);

/// <summary>An agency a token may be restricted to, as the form offers it.</summary>
public sealed record TokenAgency(Guid Id, string Name);

/// <summary>
/// Personal API tokens: created by a signed-in user for themselves (under <see cref="TokenRules"/>), listed, revoked
/// by their owner or an admin, and found by hash when a request presents one. Revocation is a write the next request
/// reads: there is no cache between it and the check.
/// </summary>
public sealed class ApiTokens(IDocumentSession session, AgencyQueries agencies, UserManager<PortalUser> users, PortalClock clock, TimeProvider time)
{
    /// <param name="user">The owner.</param>
    /// <param name="request">What they ask for.</param>
    /// <param name="requestId">
    /// The form's one-time id, which becomes the token's: a form posted twice (a reload, a double click) finds the
    /// token it made the first time and makes no second one.
    /// </param>
    /// <param name="ct">Cancellation.</param>
    public async Task<TokenCreation> CreateAsync(ClaimsPrincipal user, TokenRequest request, Guid? requestId, CancellationToken ct)
    {
        var ownerId = users.GetUserId(user);
        var ownerName = user.Identity?.Name;
        if (ownerId is null || string.IsNullOrEmpty(ownerName))
        {
            return new TokenCreation(null, [new DomainError("Token.SignInRequired")]);
        }

        if (requestId is { } again && await session.LoadAsync<ApiToken>(again, ct) is { } earlier)
        {
            if (earlier.OwnerId == ownerId)
            {
                return new TokenCreation(null, [new DomainError("Token.AlreadyCreated")]);
            }

            requestId = null; // another account's id: not this form's, and not for this user to learn anything about
        }

        var mayActFor = (await AgenciesAsync(user, ct)).Select(a => a.Id).ToHashSet();
        var now = time.GetUtcNow();
        var live = await session.Query<ApiToken>().CountAsync(t => t.OwnerId == ownerId && t.RevokedAt == null && t.ExpiresAt > now, ct);
        var errors = TokenRules.Validate(request, clock.Today, mayActFor.Contains, live);
        if (errors.Count > 0)
        {
            return new TokenCreation(null, errors);
        }

        var secret = ApiTokenSecrets.New();
        var expiresOn = request.ExpiresOn!.Value;
        var nextDay = expiresOn.AddDays(1);
        var token = new ApiToken
        {
            Id = requestId is { } id && id != Guid.Empty ? id : Guid.NewGuid(),
            OwnerId = ownerId,
            OwnerName = ownerName,
            Name = request.Name!.Trim(),
            Scopes = TokenScopes.All.Where(s => request.Scopes!.Contains(s, StringComparer.Ordinal)).ToList(),
            AgencyIds = (request.AgencyIds ?? []).Distinct().ToList(),
            CreatedAt = now,
            ExpiresOn = expiresOn,
            ExpiresAt = new DateTimeOffset(nextDay.ToDateTime(TimeOnly.MinValue), clock.OffsetAt(nextDay)),
            Hash = ApiTokenSecrets.Hash(secret),
            Hint = ApiTokenSecrets.Hint(secret),
        };
        session.Insert(token); // an insert: two posts of one form at the same moment cannot both succeed
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is JasperFx.DocumentAlreadyExistsException || e.InnerException is JasperFx.DocumentAlreadyExistsException)
        {
            return new TokenCreation(null, [new DomainError("Token.AlreadyCreated")]);
        }

        return new TokenCreation(new CreatedToken(token, secret), []);
    }

    /// <summary>The user's own tokens, newest first; with <paramref name="everyone"/> (admins only) every account's.</summary>
    public async Task<IReadOnlyList<TokenListing>> ListAsync(ClaimsPrincipal user, bool everyone, CancellationToken ct)
    {
        IQueryable<ApiToken> query = session.Query<ApiToken>();
        if (!(everyone && user.IsInRole(Roles.Admin)))
        {
            var ownerId = users.GetUserId(user) ?? "";
            query = query.Where(t => t.OwnerId == ownerId);
        }

        var tokens = await query.ToListAsync(ct);
        var ids = tokens.Select(t => t.Id).ToArray();
        var uses = (await session.LoadManyAsync<ApiTokenUse>(ct, ids)).ToDictionary(u => u.Id, u => u.LastUsedAt);
        return tokens.OrderByDescending(t => t.CreatedAt)
            .Select(t => new TokenListing(t, uses.TryGetValue(t.Id, out var at) ? at : null))
            .ToList();
    }

    /// <summary>
    /// Revokes a token of the user's own, or any token for an admin. False when there is no such token the user may
    /// revoke (another's token is "not found" to a non-admin, not "forbidden": it does not exist for them).
    /// </summary>
    public async Task<bool> RevokeAsync(ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var token = await session.LoadAsync<ApiToken>(id, ct);
        if (token is null || (token.OwnerId != users.GetUserId(user) && !user.IsInRole(Roles.Admin)))
        {
            return false;
        }

        if (token.RevokedAt is null)
        {
            session.Store(token with { RevokedAt = time.GetUtcNow(), RevokedBy = user.Identity?.Name });
            await session.SaveChangesAsync(ct);
        }

        return true;
    }

    /// <summary>The agencies the user may restrict a token to: the ones they may change (every one for an admin, the ones they lead for a lead).</summary>
    public async Task<IReadOnlyList<TokenAgency>> AgenciesAsync(ClaimsPrincipal user, CancellationToken ct) =>
        (await EndpointAccess.AgenciesAsync(user, agencies, ct))
            .OrderBy(a => a.Name, StringComparer.CurrentCulture)
            .Select(a => new TokenAgency(a.Id, a.Name))
            .ToList();
}
