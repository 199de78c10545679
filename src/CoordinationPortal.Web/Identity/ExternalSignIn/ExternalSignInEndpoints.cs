using CoordinationPortal.Domain.Security;
using CoordinationPortal.Web.Identity.TwoFactor;
using CoordinationPortal.Web.Kernel;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// The browser's side of provider sign-in (pages, not API: none is under /api). Starting a sign-in and the provider's
/// sign-out are plain links (GET): the pages' CSP allows forms to post to the portal only (<c>form-action 'self'</c>),
/// and the browser holds a form's redirects to that too. Neither changes anything in the portal: a link from elsewhere can
/// only send someone to their own provider, where they sign in as themselves, or to its sign-out, which asks first. The
/// answer that does change something (the callback) is bound to this browser by the scheme's state, nonce and PKCE.
/// </summary>
public static class ExternalSignInEndpoints
{
    public const string CallbackPath = "/account/external/callback";

    public static IEndpointRouteBuilder MapExternalSignIn(this IEndpointRouteBuilder app)
    {
        // Sends the browser to the provider (its scheme builds the request: state, nonce, PKCE).
        app.MapGet("/account/external/{provider}", async (string provider, string? returnUrl, HttpContext http,
            OidcSettings settings, SignInManager<PortalUser> signIn, ILogger<ExternalSignIn> log) =>
        {
            if (settings.Find(provider) is not { } found)
            {
                return Results.LocalRedirect("/account/login");
            }

            var back = $"{CallbackPath}?returnUrl={Uri.EscapeDataString(LocalUrl.OrHome(returnUrl))}";
            var properties = signIn.ConfigureExternalAuthenticationProperties(found.Name, back);
            try
            {
                await http.ChallengeAsync(found.Scheme, properties);
                return Results.Empty;
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException)
            {
                // The discovery document could not be read: the provider is down, unreachable or not a provider.
                ExternalSignInLog.Unavailable(log, e, found.Name);
                return Results.LocalRedirect(OidcSchemes.FailedPath + "?reason=unavailable");
            }
        }).AllowAnonymous().DisableRateLimiting();

        // Where the provider's scheme sends the browser after validating its answer (held in Identity's external cookie).
        app.MapGet(CallbackPath, async (string? returnUrl, HttpContext http, ExternalSignIn external) =>
        {
            var result = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
            await http.SignOutAsync(IdentityConstants.ExternalScheme);
            var provider = result.Properties?.Items.TryGetValue("LoginProvider", out var p) == true ? p : null;
            var multiFactor = result.Properties?.Items.TryGetValue(OidcSchemes.MultiFactorItem, out var m) == true && m == "true";
            if (!result.Succeeded || provider is null || ExternalIdentity.From(provider, result.Principal, multiFactor) is not { } identity)
            {
                return Results.LocalRedirect(OidcSchemes.FailedPath + "?reason=failed");
            }

            var back = LocalUrl.OrHome(returnUrl);
            return await external.SignInAsync(identity) switch
            {
                { SecondFactorAsked: true } => Results.LocalRedirect(LocalUrl.WithReturn(TwoFactorSignIn.StepPath, "ReturnUrl", returnUrl)),
                { Outcome: ExternalSignInOutcome.SignIn or ExternalSignInOutcome.LinkInvitedAndSignIn } => Results.LocalRedirect(back),
                { Outcome: ExternalSignInOutcome.CreatePendingAccount or ExternalSignInOutcome.StillAwaitingApproval } => Results.LocalRedirect("/account/pending"),
                { Outcome: ExternalSignInOutcome.Disabled } => Results.LocalRedirect(OidcSchemes.FailedPath + "?reason=disabled"),
                _ => Results.LocalRedirect(OidcSchemes.FailedPath + "?reason=failed"),
            };
        }).AllowAnonymous();

        // After the portal's own sign-out: the provider's end_session_endpoint, if it has one (RP-Initiated Logout).
        app.MapGet("/account/external/{provider}/sign-out", async (string provider, HttpContext http,
            OidcSettings settings, ILogger<ExternalSignIn> log) =>
        {
            if (settings.Find(provider) is not { } found)
            {
                return Results.LocalRedirect("/account/login");
            }

            try
            {
                await http.SignOutAsync(found.Scheme, new AuthenticationProperties { RedirectUri = "/account/login" });
                return Results.Empty;
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException)
            {
                ExternalSignInLog.Unavailable(log, e, found.Name);
                return Results.LocalRedirect(OidcSchemes.FailedPath + "?reason=unavailable");
            }
        }).AllowAnonymous();
        return app;
    }
}
