using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using CoordinationPortal.Web.Outbound;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// POSTs one signed delivery through the SSRF-guarded client (<see cref="NotificationsModule"/> builds its handler like
/// the probes': every connection's address is checked when connecting; redirects are not followed). Reads at most a short
/// excerpt of the response, never the whole body.
/// </summary>
public sealed class WebhookSender(HttpClient http, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string ClientName = "webhooks";
    public const int ExcerptChars = 200;
    private const int ExcerptBytes = 1024;
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>
    /// Sends the delivery signed with <paramref name="secret"/> and, during a rotation's overlap, also with
    /// <paramref name="previousSecret"/> (in its own header, so the primary signature is always the current secret's).
    /// </summary>
    public async Task<DeliveryAttempt> SendAsync(WebhookDelivery delivery, string url, string secret, string? previousSecret, CancellationToken ct)
    {
        var number = delivery.Attempts.Count + 1;
        var at = time.GetUtcNow();
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var timestamp = at.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.UserAgent.ParseAdd("CoordinationPortal-Webhooks/1");
        request.Headers.Add("X-Portal-Event", delivery.Event);
        request.Headers.Add("X-Portal-Delivery", delivery.Id.ToString());
        request.Headers.Add("X-Portal-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, timestamp, body));
        if (previousSecret is not null)
        {
            request.Headers.Add(WebhookSignature.PreviousHeader, WebhookSignature.Sign(previousSecret, timestamp, body));
        }

        var limit = options.Value.Timeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        var started = Stopwatch.GetTimestamp();
        double Elapsed() => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var excerpt = await ExcerptAsync(response, timeout.Token);
            var error = status is >= 300 and < 400 ? "Redirect" : null;
            return new DeliveryAttempt(number, at, Elapsed(), status, error, null, excerpt);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryAttempt(number, at, Elapsed(), null, "Timeout", limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture), null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException or AuthenticationException)
        {
            // Classified as the probes classify their failures; the log keeps the code's name.
            var failure = NetworkFailure.Classify(e);
            return new DeliveryAttempt(number, at, Elapsed(), null, failure.Code.ToString(), Shorten(failure.Detail), null);
        }
    }

    /// <summary>The start of the response body, as text, at most <see cref="ExcerptChars"/> characters; null when empty or unreadable.</summary>
    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[ExcerptBytes];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0)
            {
                read += n;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length == 0 ? null : text.Length <= ExcerptChars ? text : text[..ExcerptChars];
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return null;
        }
    }

    private static string? Shorten(string? text) => text is { Length: > 300 } ? text[..300] : text;
}
