using System.Security.Claims;
using System.Text.Encodings.Web;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Tokens;

/// <summary>
/// <c>Authorization: Bearer cpt_…</c>: finds the token by its hash and signs the request in as its owner, with the
/// owner's roles as they are now (read on every request, so a token never outlives a role change, a lost agency or a
/// disabled account), the token's scopes and its agencies. A revoked or expired token, or a disabled owner, is a 401
/// with <c>WWW-Authenticate: Bearer error="invalid_token"</c>. The last use is recorded at most once a minute.
/// </summary>
public sealed partial class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDocumentStore store,
    UserManager<PortalUser> users,
    IStringLocalizer<SharedResource> text)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenClaim = "portal:token";
    public const string ScopeClaim = "portal:scope";

    /// <summary>One per agency the token is restricted to; a token with none acts for every agency its owner may.</summary>
    public const string AgencyClaim = PortalClaims.TokenAgency;

    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Whether the request carries a bearer token (the portal's scheme selector sends it here, not to the cookie).</summary>
    public static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearer(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var presented = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        if (!ApiTokenSecrets.LooksValid(presented))
        {
            return Refuse("malformed");
        }

        var hash = ApiTokenSecrets.Hash(presented);
        await using var session = store.QuerySession();
        var token = await session.Query<ApiToken>().SingleOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        var now = TimeProvider.GetUtcNow();
        if (token is null)
        {
            return Refuse("unknown");
        }

        if (token.RevokedAt is not null)
        {
            return Refuse("revoked");
        }

        if (now >= token.ExpiresAt)
        {
            return Refuse("expired");
        }

        var owner = await users.FindByIdAsync(token.OwnerId);
        if (owner is null || await users.IsLockedOutAsync(owner))
        {
            return Refuse("owner-disabled");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, owner.Id),
            new(ClaimTypes.Name, owner.UserName ?? ""),
            new(TokenClaim, token.Id.ToString()),
        };
        claims.AddRange((await users.GetRolesAsync(owner)).Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(token.Scopes.Select(s => new Claim(ScopeClaim, s)));
        claims.AddRange(token.AgencyIds.Select(a => new Claim(AgencyClaim, a.ToString())));
        if (owner.TwoFactorEnabled)
        {
            claims.Add(new Claim(PortalClaims.TokenOwnerTwoFactor, "true"));
        }

        var lastUse = await session.LoadAsync<ApiTokenUse>(token.Id, Context.RequestAborted);
        if (lastUse is null || now - lastUse.LastUsedAt >= TouchEvery)
        {
            await using var write = store.LightweightSession();
            write.Store(new ApiTokenUse(token.Id, now));
            await write.SaveChangesAsync(Context.RequestAborted);
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Context.Items[ReasonKey] as string;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = reason is null
            ? "Bearer realm=\"CoordinationPortal\""
            : $"Bearer realm=\"CoordinationPortal\", error=\"invalid_token\", error_description=\"{reason}\"";
        await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: text["Token.Unauthorized.Title"],
                detail: text["Token.Unauthorized." + (reason ?? "missing")])
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["Forbidden.Title"]).ExecuteAsync(Context);
    }

    private const string ReasonKey = "portal.token-refused";

    private AuthenticateResult Refuse(string reason)
    {
        Context.Items[ReasonKey] = reason;
        LogRefused(Logger, reason, Request.Method, Request.Path);
        return AuthenticateResult.Fail("API token " + reason);
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "API token refused ({Reason}) for {Method} {Path}")]
    private static partial void LogRefused(ILogger logger, string reason, string method, string path);
}
