using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// One OpenID Connect scheme per configured provider. The provider proves who someone is and nothing more: its result
/// lands in Identity's short-lived external cookie, and <see cref="ExternalSignIn"/> decides what it comes to. Code flow
/// with PKCE, the answer in the query (a top-level GET, so SameSite=Lax cookies carry the correlation and nonce), claim
/// names as the provider sends them, no tokens kept. Every remote failure lands on a worded page, never an error status.
/// </summary>
public static class OidcSchemes
{
    /// <summary>The page a failed provider sign-in lands on; <c>reason</c> is one of <see cref="FailureReasons"/>.</summary>
    public const string FailedPath = "/account/external/failed";

    /// <summary>Set in the sign-in's properties when the provider's id_token reports more than one factor (<c>amr</c>).</summary>
    public const string MultiFactorItem = "portal:mfa";

    public static readonly IReadOnlyList<string> FailureReasons = ["issuer", "state", "expired", "denied", "unavailable", "disabled", "failed"];

    public static void AddOidcProviders(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = OidcSettings.Read(configuration);
        services.AddSingleton(settings);
        services.AddScoped<ExternalSignIn>();
        services.AddScoped<SingleSignOnAdministration>();
        var authentication = services.AddAuthentication();
        foreach (var provider in settings.Providers)
        {
            authentication.AddOpenIdConnect(provider.Scheme, provider.DisplayName, o => Configure(o, provider));
        }
    }

    private static void Configure(OpenIdConnectOptions o, OidcProviderSettings provider)
    {
        o.SignInScheme = IdentityConstants.ExternalScheme;
        o.SignOutScheme = IdentityConstants.ExternalScheme;
        o.Authority = provider.Authority;
        o.ClientId = provider.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(provider.ClientSecret) ? null : provider.ClientSecret;
        o.RequireHttpsMetadata = provider.RequireHttpsMetadata;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.MapInboundClaims = false;
        // Sign-out sends client_id (RP-Initiated Logout 1.0) instead of an id_token_hint, so no token is kept anywhere.
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
        o.Scope.Clear();
        foreach (var scope in provider.ScopeList)
        {
            o.Scope.Add(scope);
        }

        o.CallbackPath = provider.CallbackPath;
        o.SignedOutCallbackPath = provider.SignedOutCallbackPath;
        o.RemoteSignOutPath = "/signout-oidc-" + provider.Name;
        o.TokenValidationParameters.NameClaimType = "name";
        o.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Events.OnRedirectToIdentityProvider = async ctx =>
        {
            // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for. A provider (or something
            // in between) that names another is not the configured one: nobody is sent there.
            var configuration = await ctx.Options.ConfigurationManager!.GetConfigurationAsync(ctx.HttpContext.RequestAborted);
            if (!OidcSettings.SameIssuer(configuration.Issuer, provider.Authority))
            {
                ExternalSignInLog.IssuerMismatch(Log(ctx.HttpContext), provider.Name, configuration.Issuer ?? "", provider.Authority);
                ctx.Response.Redirect(FailedPath + "?reason=issuer");
                ctx.HandleResponse();
            }
        };
        o.Events.OnTokenValidated = ctx =>
        {
            var issuer = ctx.Principal?.FindFirst("sub")?.Issuer;
            if (!OidcSettings.SameIssuer(issuer, provider.Authority))
            {
                ctx.Fail(new SecurityTokenInvalidIssuerException($"The id_token's issuer is not {provider.Authority}."));
                return Task.CompletedTask;
            }

            // What the id_token says of the factors used, read here from the token itself (the userinfo step's claim
            // actions may rewrite the principal afterwards) and carried to the callback with the sign-in's properties.
            var amr = ctx.Principal?.FindAll("amr").Select(c => c.Value) ?? [];
            if (ctx.Properties is { } properties && Domain.Security.ExternalSignInRules.ReportsMultiFactor(amr))
            {
                properties.Items[MultiFactorItem] = "true";
            }

            return Task.CompletedTask;
        };
        o.Events.OnRedirectToIdentityProviderForSignOut = ctx =>
        {
            ctx.ProtocolMessage.ClientId = provider.ClientId;
            return Task.CompletedTask;
        };
        o.Events.OnRemoteFailure = ctx =>
        {
            var reason = Classify(ctx.Failure);
            ExternalSignInLog.RemoteFailed(Log(ctx.HttpContext), provider.Name, reason, ctx.Failure?.GetType().Name ?? "", ctx.Failure?.Message ?? "");
            ctx.Response.Redirect(FailedPath + "?reason=" + reason);
            ctx.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>Which worded reason a remote failure is shown with (the exception itself only goes to the log).</summary>
    public static string Classify(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SecurityTokenInvalidIssuerException:
                    return "issuer";
                case SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenInvalidLifetimeException or SecurityTokenNoExpirationException:
                    return "expired";
                case OpenIdConnectProtocolInvalidNonceException or OpenIdConnectProtocolInvalidStateException:
                    return "state";
                case System.Net.Http.HttpRequestException or IOException or TaskCanceledException:
                    return "unavailable";
            }

            // The handler's own failures are plain exceptions; their wording is fixed in ASP.NET Core.
            if (e.Message.Contains("state", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Correlation failed", StringComparison.Ordinal))
            {
                return "state";
            }

            if (e.Message.Contains("access_denied", StringComparison.Ordinal) || e.Message.StartsWith("Access was denied", StringComparison.Ordinal))
            {
                return "denied";
            }
        }

        return "failed";
    }

    private static ILogger Log(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSchemes));
}

public static partial class ExternalSignInLog
{
    [LoggerMessage(EventId = 7231, EventName = "ExternalIssuerMismatch", Level = LogLevel.Warning, Message = "Provider {Provider}: its discovery document names issuer '{Issuer}', not the configured '{Authority}'; sign-in refused")]
    public static partial void IssuerMismatch(ILogger logger, string provider, string issuer, string authority);

    [LoggerMessage(EventId = 7232, EventName = "ExternalRemoteFailed", Level = LogLevel.Warning, Message = "Provider {Provider}: sign-in failed ({Reason}): {Exception} {Detail}")]
    public static partial void RemoteFailed(ILogger logger, string provider, string reason, string exception, string detail);

    [LoggerMessage(EventId = 7233, EventName = "ExternalUnavailable", Level = LogLevel.Warning, Message = "Provider {Provider} could not be reached")]
    public static partial void Unavailable(ILogger logger, Exception exception, string provider);

    [LoggerMessage(EventId = 7234, EventName = "ExternalSignedIn", Level = LogLevel.Information, Message = "{Account} signed in with provider {Provider} ({Outcome}, multi-factor: {MultiFactor})")]
    public static partial void SignedIn(ILogger logger, string account, string provider, Domain.Security.ExternalSignInOutcome outcome, bool multiFactor);

    [LoggerMessage(EventId = 7235, EventName = "ExternalRefused", Level = LogLevel.Warning, Message = "Provider {Provider} subject {Subject}: no sign-in ({Outcome})")]
    public static partial void Refused(ILogger logger, string provider, string subject, Domain.Security.ExternalSignInOutcome outcome);
}
