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

/// <summary>What a notice sends to every subscription that wants it: the flag and agency as they were, capped.</summary>
public sealed record WebhookFlagEvent(string Event, DateTimeOffset OccurredAt, PayloadFlag Flag, PayloadAgency Agency);

/// <summary>The JSON body of a flag event (<c>flag.raised</c>, <c>flag.resolved</c>).</summary>
public sealed record FlagEventPayload(string Type, Guid Id, DateTimeOffset OccurredAt, PayloadFlag Flag, PayloadAgency Agency);

/// <summary>The JSON body of an admin's test (<c>webhook.test</c>).</summary>
public sealed record TestPayload(string Type, Guid Id, DateTimeOffset OccurredAt, Guid SubscriptionId, string Message);

/// <summary>
/// Builds payloads, capped in size so that even the worst case stays under <see cref="MaxBytes"/> (which a receiver may
/// rely on). The default encoder writes every character outside ASCII (Hindi included), and some inside it, as a
/// six-byte <c>\uXXXX</c> escape, so the caps count six bytes a character: two explanations of <see cref="MaxText"/>
/// characters (24,000 bytes), six short texts of <see cref="MaxShortText"/> (7,200) and <see cref="MaxFigures"/> figures
/// with names of <see cref="MaxShortText"/> (under 25,000 with their values), under 58,000 bytes in all with the rest of the payload.
/// <see cref="ForFlag"/> checks the size all the same and answers null for anything larger, which is then not sent.
/// </summary>
public static class WebhookPayloads
{
    public const int MaxText = 2000;
    public const int MaxShortText = 200;
    public const int MaxFigures = 20;
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The event a notice makes: the flag and agency as they are now, texts and lists capped.</summary>
    public static WebhookFlagEvent EventFor(FlagNotice notice)
    {
        var f = notice.Flag;
        var a = notice.Agency;
        return new WebhookFlagEvent(
            EventType(notice.Kind),
            notice.At,
            new PayloadFlag(
                f.Id, Short(f.RuleId), Short(f.Kind), Short(f.Subject), f.Severity, f.Status, f.Layers.Distinct().ToList(),
                f.Figures.Take(MaxFigures).Select(x => new PayloadFigure(Short(x.Name), double.IsFinite(x.Value) ? x.Value : 0)).ToList(),
                new PayloadText(Cut(f.Explanation.En, MaxText), Cut(f.Explanation.Hi, MaxText)), f.Occurrence, f.RaisedAt, f.ResolvedAt, f.ResolutionReason),
            new PayloadAgency(a.Id, Short(a.Name), Short(a.Sector), Short(a.Jurisdiction)));
    }

    /// <summary>
    /// The body of one delivery of <paramref name="e"/>, serialised once and stored with the delivery; null when it would
    /// be larger than <see cref="MaxBytes"/>.
    /// </summary>
    public static string? ForFlag(Guid deliveryId, WebhookFlagEvent e)
    {
        var json = JsonSerializer.Serialize(new FlagEventPayload(e.Event, deliveryId, e.OccurredAt, e.Flag, e.Agency), Json);
        return System.Text.Encoding.UTF8.GetByteCount(json) <= MaxBytes ? json : null;
    }

    public static string ForTest(Guid deliveryId, Guid subscriptionId, DateTimeOffset at) => JsonSerializer.Serialize(
        new TestPayload(WebhookEvents.Test, deliveryId, at, subscriptionId, "A test delivery from CoordinationPortal."), Json);

    private static string EventType(FlagNoticeKind kind) => kind == FlagNoticeKind.Raised ? WebhookEvents.FlagRaised : WebhookEvents.FlagResolved;

    private static string Short(string? text) => Cut(text, MaxShortText);

    private static string Cut(string? text, int max) => text is null ? "" : text.Length <= max ? text : text[..max];
}
