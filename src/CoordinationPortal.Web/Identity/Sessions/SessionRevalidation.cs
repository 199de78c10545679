using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using System.Security.Claims;
using CoordinationPortal.Web.Kernel.Changes;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// An open interactive page re-checks its user's session every <see cref="SessionSettings.RevalidationInterval"/>. When
/// the session has ended (signed out elsewhere, password or role changed, account disabled) the page's user becomes
/// anonymous: the router then shows the sign-in redirect instead of the page, so nothing more can be done from it.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<SessionSettings> settings)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    private readonly ILogger _log = loggers.CreateLogger<SessionRevalidation>();

    protected override TimeSpan RevalidationInterval => settings.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var current = await scope.ServiceProvider.GetRequiredService<SessionStamp>().IsCurrentAsync(user, cancellationToken);
        if (!current)
        {
            SignInLog.SessionEnded(_log, user.Identity?.Name ?? "", "circuit");
        }

        return current;
    }
}

/// <summary>Wires the session check into the sign-in cookie and open pages.</summary>
public static class SessionChecks
{
    public static void AddSessionChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SessionSettings>(configuration.GetSection(SessionSettings.Section));
        services.AddScoped<SessionStamp>();
        services.AddSingleton<SessionStampCache>();
        services.AddSingleton<IChangeSubscriber>(sp => sp.GetRequiredService<SessionStampCache>());
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<SessionStampCache>());
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        // Every request with a cookie checks the stamp (a primary-key read, cached until the account changes), instead of
        // Identity's default of once in 30 minutes; requests for anonymous endpoints (static files, the sign-in page) skip it.
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => o.Events.OnValidatePrincipal = ValidateCookieAsync);
    }

    private static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.Identity?.IsAuthenticated != true
            || context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return;
        }

        var services = context.HttpContext.RequestServices;
        if (await services.GetRequiredService<SessionStamp>().IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            return;
        }

        var log = services.GetRequiredService<ILogger<SessionStamp>>();
        var account = context.Principal.FindFirstValue(ClaimTypes.Name) ?? "";
        SignInLog.SessionEnded(log, account, "cookie");
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
