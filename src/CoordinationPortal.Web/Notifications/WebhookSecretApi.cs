using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.Notifications.Pages;
using CoordinationPortal.Web.Notifications.Webhooks;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Notifications;

/// <summary>A rotation's request: the new secret, or none (or no body at all) to have the portal generate one.</summary>
public sealed record WebhookSecretRequest(string? Secret);

/// <summary>The answer to a rotation: <see cref="Secret"/> only when the portal generated it, and only this once.</summary>
public sealed record WebhookSecretRotatedDto(WebhookDto Webhook, string? Secret);

/// <summary>
/// Secret rotation in the webhooks API (mapped on its admin-only group): <c>POST …/{id}/secret</c> rotates,
/// <c>DELETE …/{id}/secret/previous</c> ends the overlap at once.
/// </summary>
public static class WebhookSecretApi
{
    public static RouteGroupBuilder MapWebhookSecretApi(this RouteGroupBuilder hooks)
    {
        hooks.MapPost("/{id:guid}/secret", async (Guid id, WebhookSecretRequest? request, HttpContext http, WebhookAdmin admin,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var change = await admin.RotateSecretAsync(id, request?.Secret, http.User.Identity?.Name ?? "", ct);
            return change.Result switch
            {
                SecretChangeResult.Changed => Results.Ok(new WebhookSecretRotatedDto(NotificationsApi.ToDto(change.Subscription!), change.GeneratedSecret)),
                SecretChangeResult.Invalid => OutcomeResults.ValidationProblem(change.Errors, e => WebhookText.Error(e.Code, text)),
                _ => NotFound(text),
            };
        }).DisableAntiforgery()
            .WithSummary("Rotates a webhook subscription's secret.")
            .WithDescription("Admins. The body is optional: without one (or with an empty `secret`) the portal generates the secret and answers it this once; `secret` is `null` when you chose it. The previous secret still signs during the overlap.")
            .Produces<WebhookSecretRotatedDto>(StatusCodes.Status200OK);

        hooks.MapDelete("/{id:guid}/secret/previous", async (Guid id, HttpContext http, WebhookAdmin admin,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var change = await admin.RevokePreviousSecretAsync(id, http.User.Identity?.Name ?? "", ct);
            // Revoking when nothing is left to revoke is not an error: the outcome asked for holds.
            return change.Subscription is { } subscription ? Results.Ok(NotificationsApi.ToDto(subscription)) : NotFound(text);
        }).DisableAntiforgery()
            .WithSummary("Ends a secret rotation's overlap at once: the previous secret signs nothing more.")
            .WithDescription("Admins. Answers the webhook, also when no previous secret was left to revoke.")
            .Produces<WebhookDto>(StatusCodes.Status200OK);

        return hooks;
    }

    private static IResult NotFound(IStringLocalizer<SharedResource> text) => OutcomeResults.NotFound(text, "Webhooks.NotFound");
}
