using System.Text.Json;
using System.Text.Json.Serialization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.OutOfStep;

namespace CoordinationPortal.Web.Notifications.Webhooks;

public sealed record PayloadText(string En, string Hi);

public sealed record PayloadFigure(string Name, double Value);

public sealed record PayloadFlag(
    Guid Id, string Rule, string Kind, string Subject, FlagSeverity Severity, FlagStatus Status, IReadOnlyList<Layer> Layers,
    IReadOnlyList<PayloadFigure> Figures, PayloadText Explanation, int Occurrence, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt,
    ResolutionReason? ResolutionReason);

public sealed record PayloadAgency(Guid Id, string Name, string Sector, string Jurisdiction);

/// <summary>The JSON body of a flag event (<c>flag.raised</c>, <c>flag.resolved</c>).</summary>
public sealed record FlagEventPayload(string Type, Guid Id, DateTimeOffset OccurredAt, PayloadFlag Flag, PayloadAgency Agency);

/// <summary>The JSON body of an admin's test (<c>webhook.test</c>).</summary>
public sealed record TestPayload(string Type, Guid Id, DateTimeOffset OccurredAt, Guid SubscriptionId, string Message);

/// <summary>
/// Builds payloads, capped in size: a text is cut at <see cref="MaxText"/> characters and at most <see cref="MaxFigures"/>
/// figures are sent, so a payload stays well under <see cref="MaxBytes"/> (which a receiver may rely on).
/// </summary>
public static class WebhookPayloads
{
    public const int MaxText = 2000;
    public const int MaxFigures = 40;
    public const int MaxBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string EventType(FlagNoticeKind kind) => kind == FlagNoticeKind.Raised ? WebhookEvents.FlagRaised : WebhookEvents.FlagResolved;

    /// <summary>The event to store for a notice: the flag and agency as they are now, texts and lists capped.</summary>
    public static WebhookEvent EventFor(Guid id, FlagNotice notice, DateTimeOffset stagedAt)
    {
        var f = notice.Flag;
        var a = notice.Agency;
        return new WebhookEvent
        {
            Id = id,
            Event = EventType(notice.Kind),
            OccurredAt = notice.At,
            StagedAt = stagedAt,
            Flag = new PayloadFlag(
                f.Id, Cut(f.RuleId), Cut(f.Kind), Cut(f.Subject), f.Severity, f.Status, f.Layers.Take(MaxFigures).ToList(),
                f.Figures.Take(MaxFigures).Select(x => new PayloadFigure(Cut(x.Name), double.IsFinite(x.Value) ? x.Value : 0)).ToList(),
                new PayloadText(Cut(f.Explanation.En), Cut(f.Explanation.Hi)), f.Occurrence, f.RaisedAt, f.ResolvedAt, f.ResolutionReason),
            Agency = new PayloadAgency(a.Id, Cut(a.Name), Cut(a.Sector), Cut(a.Jurisdiction)),
        };
    }

    /// <summary>The body of one delivery of <paramref name="e"/>, serialised once and stored with the delivery.</summary>
    public static string ForFlag(Guid deliveryId, WebhookEvent e) =>
        Checked(JsonSerializer.Serialize(new FlagEventPayload(e.Event, deliveryId, e.OccurredAt, e.Flag, e.Agency), Json));

    public static string ForTest(Guid deliveryId, Guid subscriptionId, DateTimeOffset at) => Checked(JsonSerializer.Serialize(
        new TestPayload(WebhookEvents.Test, deliveryId, at, subscriptionId, "A test delivery from CoordinationPortal."), Json));

    private static string Cut(string? text) => text is null ? "" : text.Length <= MaxText ? text : text[..MaxText];

    private static string Checked(string json) =>
        System.Text.Encoding.UTF8.GetByteCount(json) <= MaxBytes
            ? json
            : throw new InvalidOperationException($"A webhook payload passed {MaxBytes} bytes; the caps in WebhookPayloads are wrong.");
}
