using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Identity;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form POST (with the antiforgery token) so that a link elsewhere cannot sign a user out. Signing out renews
        // the account's security stamp, so every cookie issued before (a copied one, another tab's, another device's)
        // and every open page stop working too, not only this browser's cookie.
        app.MapPost("/account/logout", async (HttpContext http, UserManager<PortalUser> users, SignInManager<PortalUser> signIn, OidcSettings providers, ILogger<PortalSignIn> log) =>
        {
            // A session that came from a provider is offered the provider's sign-out too (on the signed-out page).
            var provider = providers.Find(http.User.FindFirst(PortalClaims.ExternalProvider)?.Value);
            if (await users.GetUserAsync(http.User) is { } user)
            {
                await users.UpdateSecurityStampAsync(user);
                SignInLog.SignedOut(log, user.UserName ?? "");
            }

            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(provider is null ? "/account/login" : "/account/signed-out?provider=" + provider.Name);
        });
        return app;
    }
}
