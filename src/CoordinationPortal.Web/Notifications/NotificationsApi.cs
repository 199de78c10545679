using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.Notifications.Pages;
using CoordinationPortal.Web.Notifications.Webhooks;
using CoordinationPortal.Web.OutOfStep;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Notifications;

public sealed record NotificationDto(
    Guid Id, FlagNoticeKind Kind, Guid FlagId, int Occurrence, Guid AgencyId, string AgencyName, string RuleId, FlagSeverity Severity,
    LocalizedText Explanation, DateTimeOffset At, bool Read, DateTimeOffset? ReadAt);

/// <summary>
/// A webhook as the API shows it: whether a secret is set, never the secret; the last rotation (when, by whom) and, while
/// the previous secret still signs deliveries, until when.
/// </summary>
public sealed record WebhookDto(
    Guid Id, string Name, string Url, IReadOnlyList<string> Events, bool Enabled, bool SecretSet, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? SecretRotatedAt, string? SecretRotatedBy, DateTimeOffset? PreviousSecretUntil);

/// <summary>The answer to creating a webhook: <see cref="Secret"/> only when the portal generated it, and only this once.</summary>
public sealed record WebhookCreatedDto(WebhookDto Webhook, string? Secret);

public sealed record WebhookRequest(string? Name, string? Url, IReadOnlyList<string>? Events, string? Secret, bool? Enabled);

public sealed record WebhookEnabledRequest(bool? Enabled);

public sealed record DeliveryAttemptDto(
    int Number, DateTimeOffset At, double DurationMs, int? StatusCode, string? Error, string? Detail, string? ResponseExcerpt, bool Succeeded);

public sealed record DeliveryDto(
    Guid Id, string Event, Guid? FlagId, Guid? AgencyId, string? AgencyName, DeliveryStatus Status, int MaxAttempts,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? FinishedAt, IReadOnlyList<DeliveryAttemptDto> Attempts);

/// <summary>
/// The notifications API (each person sees and marks only their own) and the webhooks API (admins only; others 403).
/// </summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/v1/notifications").RequireAuthorization().WithTags("Notifications");

        mine.MapGet("/", async (HttpContext http, bool? unreadOnly, int? page, NotificationQueries queries, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            if (page is < 1 or > NotificationQueries.MaxPage)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["page"] = [text["Errors.Input.Page", NotificationQueries.MaxPage]],
                });
            }

            var recipient = NotificationQueries.RecipientOf(http.User);
            return recipient is null
                ? Results.Ok(Array.Empty<NotificationDto>())
                : Results.Ok((await queries.ListAsync(recipient, page ?? 1, unreadOnly ?? false, ct)).Select(ToDto).ToList());
        })
            .WithSummary("Lists your notifications of flags raised and resolved.")
            .WithDescription("Each person's own. `unreadOnly=true` for the unread ones; `page` (from 1) pages through them.")
            .Produces<List<NotificationDto>>(StatusCodes.Status200OK);

        mine.MapPost("/{id:guid}/read", async (Guid id, HttpContext http, NotificationQueries queries, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            NotificationQueries.RecipientOf(http.User) is { } recipient && await queries.MarkReadAsync(recipient, id, ct)
                ? Results.NoContent()
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Notifications.NotFound"]))
            .DisableAntiforgery()
            .WithSummary("Marks one of your notifications as read.")
            .Produces(StatusCodes.Status204NoContent);

        mine.MapPost("/read", async (HttpContext http, NotificationQueries queries, CancellationToken ct) =>
        {
            if (NotificationQueries.RecipientOf(http.User) is { } recipient)
            {
                await queries.MarkAllReadAsync(recipient, ct);
            }

            return Results.NoContent();
        }).DisableAntiforgery()
            .WithSummary("Marks all your notifications as read.")
            .Produces(StatusCodes.Status204NoContent);

        var hooks = app.MapGroup("/api/v1/webhooks").RequireAuthorization(Policies.Admin).WithTags("Webhooks");

        hooks.MapGet("/", async (WebhookAdmin admin, CancellationToken ct) =>
            TypedResults.Ok((await admin.SubscriptionsAsync(ct)).Select(ToDto).ToList()))
            .WithSummary("Lists the webhook subscriptions.")
            .WithDescription("Admins only. A subscription shows whether a secret is set, never the secret.")
            .Produces<List<WebhookDto>>(StatusCodes.Status200OK);

        hooks.MapPost("/", async (WebhookRequest request, HttpContext http, WebhookAdmin admin, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (created, errors) = await admin.CreateAsync(
                new NewWebhook(request.Name, request.Url, request.Events ?? WebhookEvents.Subscribable, request.Secret, request.Enabled ?? true),
                http.User.Identity?.Name ?? "", ct);
            return created is null
                ? Invalid(errors, text)
                : Results.Created($"/api/v1/webhooks/{created.Subscription.Id}", new WebhookCreatedDto(ToDto(created.Subscription), created.GeneratedSecret));
        }).DisableAntiforgery()
            .WithSummary("Subscribes a URL to flag events.")
            .WithDescription("Admins only. `events` are `flag.raised` and `flag.resolved` (both by default). Without a `secret` the portal generates one and answers it this once.")
            .Produces<WebhookCreatedDto>(StatusCodes.Status201Created);

        hooks.MapPut("/{id:guid}/enabled", async (Guid id, WebhookEnabledRequest request, WebhookAdmin admin, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            if (request.Enabled is not { } enabled)
            {
                return Invalid([new DomainError("Enabled.Required", "Enabled")], text);
            }

            return await admin.SetEnabledAsync(id, enabled, ct) is { } s ? Results.Ok(ToDto(s)) : NotFound(text);
        }).DisableAntiforgery()
            .WithSummary("Enables or disables a webhook subscription.")
            .WithDescription("Admins only. Events while a subscription is disabled are not delivered later.")
            .Produces<WebhookDto>(StatusCodes.Status200OK);

        hooks.MapDelete("/{id:guid}", async (Guid id, WebhookAdmin admin, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            await admin.DeleteAsync(id, ct) ? Results.NoContent() : NotFound(text)).DisableAntiforgery()
            .WithSummary("Deletes a webhook subscription.")
            .WithDescription("Admins only.")
            .Produces(StatusCodes.Status204NoContent);

        hooks.MapGet("/{id:guid}/deliveries", async (Guid id, WebhookAdmin admin, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            await admin.FindAsync(id, ct) is null
                ? NotFound(text)
                : Results.Ok((await admin.DeliveriesAsync(id, ct)).Select(ToDto).ToList()))
            .WithSummary("Reads a webhook subscription's delivery log, with each attempt.")
            .WithDescription("Admins only.")
            .Produces<List<DeliveryDto>>(StatusCodes.Status200OK);

        hooks.MapPost("/{id:guid}/test", async (Guid id, WebhookAdmin admin, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            await admin.SendTestAsync(id, ct) is { } delivery ? Results.Ok(ToDto(delivery)) : NotFound(text)).DisableAntiforgery()
            .WithSummary("Sends a test delivery (`webhook.test`) to one subscription, whatever its events.")
            .WithDescription("Admins only. Answers the delivery.")
            .Produces<DeliveryDto>(StatusCodes.Status200OK);

        hooks.MapWebhookSecretApi();
        return app;
    }

    private static NotificationDto ToDto(Notification n) =>
        new(n.Id, n.Kind, n.FlagId, n.Occurrence, n.AgencyId, n.AgencyName, n.RuleId, n.Severity, n.Explanation, n.At, n.Read, n.ReadAt);

    internal static WebhookDto ToDto(WebhookSubscription s) =>
        new(s.Id, s.Name, s.Url, s.Events, s.Enabled, s.ProtectedSecret.Length > 0, s.CreatedBy, s.CreatedAt,
            s.LastRotation()?.At, s.LastRotation()?.By, s.PreviousSecretUntil);

    private static DeliveryDto ToDto(WebhookDelivery d) => new(
        d.Id, d.Event, d.FlagId, d.AgencyId, d.AgencyName, d.Status, d.MaxAttempts, d.CreatedAt, d.NextAttemptAt, d.FinishedAt,
        d.Attempts.Select(a => new DeliveryAttemptDto(a.Number, a.At, a.DurationMs, a.StatusCode, a.Error, a.Detail, a.ResponseExcerpt, a.Succeeded)).ToList());

    private static IResult NotFound(IStringLocalizer<SharedResource> text) => OutcomeResults.NotFound(text, "Webhooks.NotFound");

    /// <summary>A 400 as the rest of the API answers one, worded by <see cref="WebhookText.Error"/>.</summary>
    private static IResult Invalid(IEnumerable<DomainError> errors, IStringLocalizer<SharedResource> text) =>
        OutcomeResults.ValidationProblem(errors, e => WebhookText.Error(e.Code, text));
}
