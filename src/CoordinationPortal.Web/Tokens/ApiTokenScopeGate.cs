using CoordinationPortal.Domain.Security;
using CoordinationPortal.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Tokens;

/// <summary>
/// After authorisation: a request signed in by a token goes on only if the token has the scope the route needs
/// (<see cref="TokenScopes.RequiredFor"/>). Pages, sign-out and token management need a scope no token has. Runs
/// before the read cache, so a cached answer is never served to a token that may not read it.
/// </summary>
public sealed class ApiTokenScopeGate(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IStringLocalizer<SharedResource> text)
    {
        if (context.User.Identity is not { IsAuthenticated: true, AuthenticationType: ApiTokenAuthentication.SchemeName })
        {
            await next(context);
            return;
        }

        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var required = route is null ? null : TokenScopes.RequiredFor(context.Request.Method, route);
        if (required is not null && context.User.HasClaim(ApiTokenAuthentication.ScopeClaim, required))
        {
            await next(context);
            return;
        }

        await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: text["Token.Forbidden.Title"],
                detail: required is null ? text["Token.Forbidden.NotForTokens"] : text["Token.Forbidden.Scope", required],
                extensions: required is null ? null : new Dictionary<string, object?> { ["requiredScope"] = required })
            .ExecuteAsync(context);
    }
}
