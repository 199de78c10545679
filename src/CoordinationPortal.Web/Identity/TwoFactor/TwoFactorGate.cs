using CoordinationPortal.Domain.Security;
using CoordinationPortal.Web.Kernel.Errors;
using CoordinationPortal.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Identity.TwoFactor;

/// <summary>
/// The requirement of <see cref="TwoFactorSettings.RequiredRoles"/>, after authorisation: a signed-in user in a listed
/// role whose sign-in passed no second factor (no <c>amr=mfa</c>: a password alone, or an OpenID Connect provider that
/// did not report one) reaches nothing but enrolment, sign-out and anonymous pages. Pages redirect to
/// <see cref="EnrolmentPath"/>; the API answers 403 with a ProblemDetails that says why and where to go. A personal API
/// token (any principal not signed in by Identity's cookie) works only once its owner has two-factor authentication on:
/// the token itself cannot carry a second factor, so the owner's enrolment is what counts (read with the owner by
/// <see cref="Tokens.ApiTokenAuthentication"/> and carried as <see cref="PortalClaims.TokenOwnerTwoFactor"/>).
/// </summary>
public sealed class TwoFactorGate(RequestDelegate next)
{
    public const string EnrolmentPath = "/account/two-factor";

    private static readonly string[] OpenPaths = [EnrolmentPath, "/account/logout", "/account/denied", "/culture", "/not-found", "/error"];

    public async Task InvokeAsync(HttpContext context, IOptionsMonitor<TwoFactorSettings> settings)
    {
        var user = context.User;
        if (settings.CurrentValue.RequiredRoles.Count == 0
            || !TwoFactorSetup.MustEnrol(user, settings.CurrentValue)
            || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
            || OpenPaths.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        var cookie = user.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme;
        if (!cookie && user.HasClaim(PortalClaims.TokenOwnerTwoFactor, "true"))
        {
            await next(context);
            return;
        }

        var services = context.RequestServices;
        var log = services.GetRequiredService<ILogger<TwoFactorGate>>();
        var account = user.Identity?.Name ?? "";
        var path = context.Request.Path.Value ?? "";
        SignInLog.TwoFactorHeld(log, account, path);
        if (StatusPage.IsApi(context) || !cookie)
        {
            var text = services.GetRequiredService<IStringLocalizer<SharedResource>>();
            await Results.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: text["TwoFa.Api.Title"],
                    detail: cookie ? text["TwoFa.Api.Detail", EnrolmentPath] : text["TwoFa.Api.TokenDetail", EnrolmentPath],
                    extensions: new Dictionary<string, object?> { ["enrolAt"] = EnrolmentPath })
                .ExecuteAsync(context);
            return;
        }

        // A page: to enrolment (303 after a form post, so the browser follows with a GET).
        context.Response.StatusCode = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? StatusCodes.Status302Found
            : StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = context.Request.PathBase + EnrolmentPath;
    }
}
