using System.Globalization;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Probes;

/// <summary>
/// A probe reason as a sentence in the reader's language, citing its numbers ("TTFT 2.4 s, above the 800 ms target").
/// Arguments are always {0} measured, {1} target, {2} HTTP status, {3} path, {4} the portal's own detail. What the
/// server said (<see cref="ProbeReason.ServerExcerpt"/>) is added only when <c>withExcerpt</c> is set, which callers
/// set only for admins and the leads of the endpoint's agency (<see cref="ReasonAudience"/>): a probe may have reached
/// some internal service whose answer is nobody else's business.
/// </summary>
public sealed class ProbeReasonText(IStringLocalizer<SharedResource> text)
{
    public string Describe(ProbeReason reason, bool withExcerpt = false)
    {
        var sentence = Sentence(reason);
        return withExcerpt && reason.ServerExcerpt is { } excerpt
            ? $"{sentence} {text[reason.Code is ReasonCode.NetworkError or ReasonCode.TlsFailure ? "Probe.Reason.ErrorSaid" : "Probe.Reason.ServerSaid", excerpt].Value}"
            : sentence;
    }

    private string Sentence(ProbeReason reason)
    {
        var culture = CultureInfo.CurrentUICulture;
        var (measured, target) = reason.Code switch
        {
            ReasonCode.TtftAboveTarget => (Milliseconds(reason.Measured, culture), Milliseconds(reason.Target, culture)),
            ReasonCode.ThroughputBelowTarget => (Number(reason.Measured, "0.#", culture), Number(reason.Target, "0.#", culture)),
            ReasonCode.HeadersTimeout or ReasonCode.StreamTimeout => (Number(reason.Measured, "0", culture), Milliseconds(reason.Target, culture)),
            ReasonCode.BodyTooLarge => ("", Bytes(reason.Target, culture)),
            ReasonCode.StreamError => (Number(reason.Measured, "0", culture), ""),
            _ => (Number(reason.Measured, "0", culture), Number(reason.Target, "0", culture)),
        };
        var detail = reason.Code == ReasonCode.AddressRefused ? RefusedAddress(reason.Detail) : reason.PublicDetail ?? "—";
        return text[$"Probe.Reason.{reason.Code}", measured, target,
            reason.Status?.ToString(CultureInfo.InvariantCulture) ?? "—", reason.Path ?? "/", detail].Value;
    }

    public static string Milliseconds(double? ms, CultureInfo culture) => ms switch
    {
        null => "—",
        >= 1000 => (ms.Value / 1000).ToString("0.0", culture) + " s",
        _ => ms.Value.ToString("0", culture) + " ms",
    };

    private static string Number(double? value, string format, CultureInfo culture) => value?.ToString(format, culture) ?? "—";

    private static string Bytes(double? value, CultureInfo culture) => value switch
    {
        null => "—",
        >= 1 << 20 => (value.Value / (1 << 20)).ToString("0.#", culture) + " MiB",
        _ => (value.Value / 1024).ToString("0", culture) + " KiB",
    };

    private string RefusedAddress(string? detail)
    {
        var parts = (detail ?? "").Split('|');
        return parts.Length == 2 ? $"{parts[0]} ({text[$"Probe.AddressClass.{parts[1]}"].Value})" : ReasonExcerpt.Sanitize(detail) ?? "—";
    }
}
