using System.Globalization;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Probes.Storage;
using MudBlazor;

namespace CoordinationPortal.Web.Probes.Pages;

/// <summary>
/// How the probe pages show health, figures and times: numbers in the reader's culture, a dash where there is no data.
/// Health is always an icon and a word; colour only repeats what the word says.
/// </summary>
public static class ProbeDisplay
{
    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    /// <summary>The health a page reports: the damped health from the latest probes, Unknown before the first.</summary>
    public static EndpointHealth HealthOf(ProbeStatus? status) => status?.Health ?? EndpointHealth.Unknown;

    /// <summary>
    /// Why an endpoint is not up: the latest probe's reason while that probe failed, else the reason recorded when the
    /// health last changed (the latest probe may already be a first success on the way back up).
    /// </summary>
    public static ProbeReason? ReasonOf(InferenceEndpoint endpoint, ProbeStatus? status)
    {
        if (HealthOf(status) is EndpointHealth.Up or EndpointHealth.Unknown)
        {
            return null;
        }

        if (status?.LastState is ProbeState.Down or ProbeState.Degraded && status.LastReason is { Code: not ReasonCode.Healthy } last)
        {
            return last;
        }

        return endpoint.HealthReason is { Code: not ReasonCode.Healthy } recorded ? recorded : status?.LastReason;
    }

    public static string Icon(EndpointHealth health) => health switch
    {
        EndpointHealth.Up => Icons.Material.Filled.CheckCircle,
        EndpointHealth.Degraded => Icons.Material.Filled.Warning,
        EndpointHealth.Down => Icons.Material.Filled.Cancel,
        _ => Icons.Material.Filled.HelpOutline,
    };

    public static string CssClass(EndpointHealth health) => "health-" + health.ToString().ToLowerInvariant();

    public static string Milliseconds(double? ms) => ProbeReasonText.Milliseconds(ms, Culture);

    public static string Percent(double? value, string format = "0.##") => value is { } v ? v.ToString(format, Culture) + " %" : "—";

    public static string Number(double? value, string format = "0.#") => value is { } v ? v.ToString(format, Culture) : "—";

    public static string Count(long value) => value.ToString("N0", Culture);

    public static string Bytes(double? bytes) => bytes switch
    {
        null => "—",
        >= 1L << 30 => (bytes.Value / (1L << 30)).ToString("0.0", Culture) + " GiB",
        _ => (bytes.Value / (1 << 20)).ToString("0", Culture) + " MiB",
    };

    /// <summary>A 0..1 fraction as a percentage.</summary>
    public static string Fraction(double? fraction) => fraction is { } f ? (f * 100).ToString("0", Culture) + " %" : "—";

    /// <summary>The localisation key of a relative time ("Endpoints.Ago.Minutes") and its number.</summary>
    public static (string Key, string Amount) Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var elapsed = now - at;
        if (elapsed < TimeSpan.FromSeconds(5))
        {
            return ("Endpoints.Ago.Now", "");
        }

        return elapsed switch
        {
            { TotalMinutes: < 1 } => ("Endpoints.Ago.Seconds", ((int)elapsed.TotalSeconds).ToString(Culture)),
            { TotalHours: < 1 } => ("Endpoints.Ago.Minutes", ((int)elapsed.TotalMinutes).ToString(Culture)),
            { TotalDays: < 1 } => ("Endpoints.Ago.Hours", ((int)elapsed.TotalHours).ToString(Culture)),
            _ => ("Endpoints.Ago.Days", ((int)elapsed.TotalDays).ToString(Culture)),
        };
    }

    /// <summary>The localisation key of an SLO window's short name ("1 h", "24 h", "7 d", "30 d").</summary>
    public static string WindowKey(SloWindow window) => "Endpoints.Window." + window;

    public static string MetricKey(SloMetric metric) => "Endpoints.Metric." + metric;

    /// <summary>Whether a metric met its target: the localisation key of "met", "missed" or "no data".</summary>
    public static string MetKey(bool? met) => met switch
    {
        true => "Endpoints.Slo.Met",
        false => "Endpoints.Slo.Missed",
        _ => "Endpoints.Slo.NoData",
    };

    public static string MetClass(bool? met) => met switch
    {
        true => "slo-met",
        false => "slo-missed",
        _ => "slo-nodata",
    };

    public static string MetIcon(bool? met) => met switch
    {
        true => Icons.Material.Filled.Check,
        false => Icons.Material.Filled.Close,
        _ => Icons.Material.Filled.Remove,
    };

    /// <summary>A time in the portal's zone for a datetime-local input.</summary>
    public static string LocalInput(DateTimeOffset local) => local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The ISO 8601 form of an instant, for <c>time</c> elements.</summary>
    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
