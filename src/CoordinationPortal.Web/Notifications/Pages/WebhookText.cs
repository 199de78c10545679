using System.Globalization;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.Notifications.Webhooks;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Notifications.Pages;

/// <summary>How a delivery attempt's outcome reads on the admin pages, in the current language.</summary>
public static class WebhookText
{
    public static string Describe(DeliveryAttempt attempt, IStringLocalizer<SharedResource> text)
    {
        var status = attempt.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "";
        return attempt.Error switch
        {
            null => text["Webhooks.Attempt.Http", status],
            "Redirect" => text["Webhooks.Attempt.Redirect", status],
            "AddressRefused" when attempt.Detail?.Split('|') is [var address, var kind] =>
                text["Webhooks.Attempt.AddressRefused", address, text["Probe.AddressClass." + kind]],
            "Timeout" => text["Webhooks.Attempt.Timeout", attempt.Detail ?? ""],
            "NetworkError" or "TlsFailure" when attempt.Detail is { Length: > 0 } detail => $"{text["Webhooks.Attempt." + attempt.Error]} ({detail})",
            var code => text["Webhooks.Attempt." + code],
        };
    }

    /// <summary>A validation error's message (<see cref="WebhookDecider.Validate"/>'s codes), with the limits it names.</summary>
    public static string Error(string code, IStringLocalizer<SharedResource> text) => code switch
    {
        "Name.TooLong" => text["Webhooks.Error.Name.TooLong", WebhookDecider.MaxNameLength],
        "Secret.Invalid" => text["Webhooks.Error.Secret.Invalid", WebhookSecrets.MinLength, WebhookSecrets.MaxLength],
        _ => text["Webhooks.Error." + code],
    };

    public static string Duration(double ms) =>
        ms < 1000 ? ms.ToString("0", CultureInfo.CurrentCulture) + " ms" : (ms / 1000).ToString("0.0", CultureInfo.CurrentCulture) + " s";
}
