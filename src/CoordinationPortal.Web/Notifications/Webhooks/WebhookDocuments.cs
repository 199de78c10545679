using System.Collections.Immutable;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>The event types a subscription can ask for, as they appear in <c>X-Portal-Event</c> and the payload's <c>type</c>.</summary>
public static class WebhookEvents
{
    public const string FlagRaised = "flag.raised";
    public const string FlagResolved = "flag.resolved";

    /// <summary>Sent only by an admin's "send test", to every subscription regardless of its events.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> Subscribable = [FlagRaised, FlagResolved];
}

/// <summary>
/// An admin's webhook: where to POST flag events and the secret to sign them with. The secret is kept only encrypted
/// (ASP.NET Data Protection, see <see cref="WebhookSecrets"/>) and never shown after it was saved. After a rotation the
/// previous secret is kept, encrypted too, until <see cref="PreviousSecretUntil"/>: deliveries are signed with both
/// meanwhile, and then it is deleted. Written with Marten's optimistic concurrency check (see <see cref="WebhookAdmin"/>).
/// </summary>
public sealed record WebhookSubscription
{
    /// <summary>Enough to show the last rotations and revocations; older entries are dropped.</summary>
    public const int MaxSecretEvents = 20;

    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Url { get; init; } = "";
    public string ProtectedSecret { get; init; } = "";
    public IReadOnlyList<string> Events { get; init; } = [];
    public bool Enabled { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The secret before the last rotation, encrypted; null when none is accepted any more.</summary>
    public string? PreviousProtectedSecret { get; init; }

    /// <summary>When the previous secret stops signing deliveries; set exactly when <see cref="PreviousProtectedSecret"/> is.</summary>
    public DateTimeOffset? PreviousSecretUntil { get; init; }

    /// <summary>Rotations and the ends of their overlaps, oldest first, at most <see cref="MaxSecretEvents"/>.</summary>
    public ImmutableList<WebhookSecretEvent> SecretEvents { get; init; } = [];

    public bool Wants(string eventType) => Events.Contains(eventType, StringComparer.Ordinal);

    /// <summary>Whether deliveries made at <paramref name="now"/> are also signed with the previous secret.</summary>
    public bool AcceptsPreviousSecret(DateTimeOffset now) => PreviousProtectedSecret is not null && PreviousSecretUntil > now;

    public WebhookSecretEvent? LastRotation() => SecretEvents.LastOrDefault(e => e.Kind == WebhookSecretEventKind.Rotated);

    /// <summary>How the last rotation's overlap ended (revoked or expired); null while it runs, or before any rotation.</summary>
    public WebhookSecretEvent? PreviousSecretEnded() =>
        SecretEvents.LastOrDefault() is { Kind: not WebhookSecretEventKind.Rotated } ended ? ended : null;

    /// <summary>
    /// The subscription signing with <paramref name="protectedSecret"/> from now on; the current secret becomes the
    /// previous one until <paramref name="previousUntil"/>, or is dropped at once when that is null. An older previous
    /// secret, from a rotation whose overlap still ran, is dropped.
    /// </summary>
    public WebhookSubscription Rotated(string protectedSecret, DateTimeOffset? previousUntil, DateTimeOffset at, string by) => this with
    {
        ProtectedSecret = protectedSecret,
        PreviousProtectedSecret = previousUntil is null ? null : ProtectedSecret,
        PreviousSecretUntil = previousUntil,
        SecretEvents = Recorded(new WebhookSecretEvent(WebhookSecretEventKind.Rotated, at, by, previousUntil)),
    };

    /// <summary>The subscription without its previous secret (deleted, not just ignored), saying why.</summary>
    public WebhookSubscription WithoutPreviousSecret(WebhookSecretEventKind why, DateTimeOffset at, string by) => this with
    {
        PreviousProtectedSecret = null,
        PreviousSecretUntil = null,
        SecretEvents = Recorded(new WebhookSecretEvent(why, at, by, null)),
    };

    private ImmutableList<WebhookSecretEvent> Recorded(WebhookSecretEvent e)
    {
        var events = SecretEvents.Add(e);
        return events.Count > MaxSecretEvents ? events.RemoveRange(0, events.Count - MaxSecretEvents) : events;
    }
}

public enum WebhookSecretEventKind
{
    /// <summary>An admin replaced the secret; <see cref="WebhookSecretEvent.PreviousUntil"/> is the end of the overlap.</summary>
    Rotated,

    /// <summary>An admin ended the overlap early: the previous secret was deleted.</summary>
    PreviousRevoked,

    /// <summary>The overlap ran out and the previous secret was deleted (by the portal: no one's name).</summary>
    PreviousExpired,
}

/// <summary>A change to a subscription's secrets: what, when and by whom (the admin's user name).</summary>
public sealed record WebhookSecretEvent(WebhookSecretEventKind Kind, DateTimeOffset At, string By, DateTimeOffset? PreviousUntil);

public enum DeliveryStatus
{
    /// <summary>Not delivered yet; the next attempt is due at <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Pending,

    Delivered,

    /// <summary>Every attempt failed.</summary>
    Failed,

    /// <summary>Not sent: the subscription was disabled before an attempt succeeded.</summary>
    Cancelled,
}

/// <summary>
/// One attempt to deliver: the HTTP status the receiver answered with, or why there was no answer (<see cref="Error"/>:
/// AddressRefused, ConnectTimeout, Timeout, ConnectionRefused, ConnectionReset, DnsFailure, TlsFailure, NetworkError;
/// Redirect with the status for a 3xx, which is not followed; <see cref="InternalError"/> when the portal itself failed,
/// with the exception's type). <see cref="ResponseExcerpt"/> is the start of the body only.
/// </summary>
public sealed record DeliveryAttempt(
    int Number, DateTimeOffset At, double DurationMs, int? StatusCode, string? Error, string? Detail, string? ResponseExcerpt)
{
    public const string InternalError = "InternalError";

    public bool Succeeded => Error is null && StatusCode is >= 200 and < 300;
}

/// <summary>
/// One event to deliver to one subscription, with its delivery log. The payload is serialised once, when the event
/// happens (in the evaluation's transaction, see <see cref="WebhookNotifications"/>), so every attempt sends the same bytes.
/// </summary>
public sealed record WebhookDelivery
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public string Event { get; init; } = "";
    public Guid? FlagId { get; init; }
    public Guid? AgencyId { get; init; }
    public string? AgencyName { get; init; }
    public string Payload { get; init; } = "";
    public DeliveryStatus Status { get; init; }
    public int MaxAttempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public ImmutableList<DeliveryAttempt> Attempts { get; init; } = [];

    public bool IsTest => Event == WebhookEvents.Test;

    /// <summary>
    /// The delivery after an attempt: delivered on a 2xx; otherwise the next attempt after the back-off delay for the
    /// attempts made so far, or failed once <see cref="MaxAttempts"/> were made.
    /// </summary>
    public WebhookDelivery After(DeliveryAttempt attempt, IReadOnlyList<TimeSpan> delays)
    {
        var attempts = Attempts.Add(attempt);
        if (attempt.Succeeded)
        {
            return this with { Attempts = attempts, Status = DeliveryStatus.Delivered, NextAttemptAt = null, FinishedAt = attempt.At };
        }

        if (attempts.Count >= MaxAttempts)
        {
            return this with { Attempts = attempts, Status = DeliveryStatus.Failed, NextAttemptAt = null, FinishedAt = attempt.At };
        }

        var delay = delays[Math.Min(attempts.Count - 1, delays.Count - 1)];
        return this with { Attempts = attempts, NextAttemptAt = attempt.At + delay };
    }

    /// <summary>
    /// <paramref name="attempt"/> recorded on the delivery as it is stored now, which another writer may have changed
    /// since the attempt began: a pending one goes on as <see cref="After"/> says; one cancelled meanwhile keeps the
    /// attempt in its log, and is delivered after all if the attempt succeeded — it was sent, whatever was decided since.
    /// </summary>
    public WebhookDelivery Recorded(DeliveryAttempt attempt, IReadOnlyList<TimeSpan> delays)
    {
        if (Status == DeliveryStatus.Pending)
        {
            return After(attempt, delays);
        }

        if (Attempts.Any(a => a.Number == attempt.Number && a.At == attempt.At))
        {
            return this; // already recorded
        }

        return attempt.Succeeded
            ? this with { Attempts = Attempts.Add(attempt), Status = DeliveryStatus.Delivered, NextAttemptAt = null, FinishedAt = attempt.At }
            : this with { Attempts = Attempts.Add(attempt) };
    }

    public WebhookDelivery Cancelled(DateTimeOffset at) => this with { Status = DeliveryStatus.Cancelled, NextAttemptAt = null, FinishedAt = at };
}
