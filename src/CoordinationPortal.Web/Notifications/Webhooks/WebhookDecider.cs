using System.Security.Cryptography;
using System.Text;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// The rules of webhook subscriptions, pure: what a new subscription must be, and what enabling, rotating, revoking and
/// expiring do to one. Secrets arrive already encrypted (and the current one already decrypted, or null when it no longer
/// decrypts), so deciding needs no key ring and no database. <see cref="WebhookAdmin"/> and
/// <see cref="WebhookSecretExpiryJob"/> run these through the kernel's <c>DocumentCommandRunner</c>.
/// </summary>
public static class WebhookDecider
{
    public const int MaxNameLength = 200;
    public const int MaxUrlLength = 2000;

    /// <summary>
    /// An absolute http(s) URL with a host and no credentials or fragment (a query is allowed; see
    /// <see cref="OutboundUrl"/>). Whether its address may be reached is decided when connecting, by the SSRF guard.
    /// </summary>
    public static bool IsAcceptableUrl(string? text) => OutboundUrl.IsAcceptable(text, MaxUrlLength, allowQuery: true);

    /// <summary>Every mistake in the request, as codes (Name.Required, Name.TooLong, Url.Invalid, Events.Required, Events.Unknown, Secret.Invalid) with the field.</summary>
    public static IReadOnlyList<DomainError> Validate(NewWebhook request)
    {
        var errors = new List<DomainError>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new DomainError("Name.Required", "Name"));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new DomainError("Name.TooLong", "Name"));
        }

        if (!IsAcceptableUrl(request.Url))
        {
            errors.Add(new DomainError("Url.Invalid", "Url"));
        }

        var events = request.Events ?? [];
        if (events.Count == 0)
        {
            errors.Add(new DomainError("Events.Required", "Events"));
        }
        else if (events.Any(e => !WebhookEvents.Subscribable.Contains(e, StringComparer.Ordinal)))
        {
            errors.Add(new DomainError("Events.Unknown", "Events"));
        }

        if (!string.IsNullOrEmpty(request.Secret) && !WebhookSecrets.IsAcceptable(request.Secret))
        {
            errors.Add(new DomainError("Secret.Invalid", "Secret"));
        }

        return errors;
    }

    /// <summary>A new subscription from a valid request, with its secret already encrypted; or the request's mistakes.</summary>
    public static DocumentDecision<WebhookSubscription> Create(NewWebhook request, Guid id, string protectedSecret, string by, DateTimeOffset at)
    {
        var errors = Validate(request);
        return errors.Count > 0
            ? new DocumentDecision<WebhookSubscription>(null, errors)
            : DocumentDecision.Change(new WebhookSubscription
            {
                Id = id,
                Name = request.Name!.Trim(),
                Url = request.Url!.Trim(),
                ProtectedSecret = protectedSecret,
                // In the portal's order, each once, whatever order the request named them in.
                Events = WebhookEvents.Subscribable.Where(e => request.Events!.Contains(e, StringComparer.Ordinal)).ToList(),
                Enabled = request.Enabled,
                CreatedBy = by,
                CreatedAt = at,
            });
    }

    /// <summary>Enabled or disabled as asked (saved even when already so, like the admin's click).</summary>
    public static DocumentDecision<WebhookSubscription> SetEnabled(WebhookSubscription subscription, bool enabled) =>
        DocumentDecision.Change(subscription with { Enabled = enabled });

    /// <summary>
    /// Replaces the secret with <paramref name="protectedNew"/> (the encryption of <paramref name="newSecret"/>). The
    /// replaced one, <paramref name="current"/>, stays as the previous secret for <paramref name="overlap"/> so receivers
    /// can switch; one that no longer decrypts (null) could not sign, so it is dropped at once. The same secret again is
    /// refused as Secret.Unchanged. Enabled or disabled alike: after a leak an admin disables, rotates, revokes, enables.
    /// </summary>
    public static DocumentDecision<WebhookSubscription> Rotate(
        WebhookSubscription subscription, string? current, string newSecret, string protectedNew, TimeSpan overlap, string by, DateTimeOffset at)
    {
        if (current is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(current), Encoding.UTF8.GetBytes(newSecret)))
        {
            return DocumentDecision.Reject<WebhookSubscription>(new DomainError("Secret.Unchanged", "Secret"));
        }

        var previousUntil = current is not null && overlap > TimeSpan.Zero ? at + overlap : (DateTimeOffset?)null;
        return DocumentDecision.Change(subscription.Rotated(protectedNew, previousUntil, at, by));
    }

    /// <summary>Ends the overlap now; nothing to do when there is no previous secret.</summary>
    public static DocumentDecision<WebhookSubscription> RevokePrevious(WebhookSubscription subscription, string by, DateTimeOffset at) =>
        subscription.PreviousProtectedSecret is null
            ? DocumentDecision.Unchanged<WebhookSubscription>()
            : DocumentDecision.Change(subscription.WithoutPreviousSecret(WebhookSecretEventKind.PreviousRevoked, at, by));

    /// <summary>
    /// Drops a previous secret whose overlap ended by <paramref name="now"/>, recorded at the overlap's end. Nothing when
    /// it was revoked, or rotated again into a new overlap, since it was found.
    /// </summary>
    public static DocumentDecision<WebhookSubscription> ExpirePrevious(WebhookSubscription subscription, DateTimeOffset now) =>
        subscription.PreviousSecretUntil is { } until && until <= now
            ? DocumentDecision.Change(subscription.WithoutPreviousSecret(WebhookSecretEventKind.PreviousExpired, until, ""))
            : DocumentDecision.Unchanged<WebhookSubscription>();
}
