using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Outbound;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Probes.Engine;

/// <summary>What to probe: the endpoint's settings and, decrypted for this probe only, its API key.</summary>
public sealed record ProbeTarget(Guid EndpointId, EndpointSettings Settings, string? ApiKey);

/// <summary>One probe's result: the verdict, the stream's timings, and what the server's metrics said.</summary>
public sealed record ProbeResult(
    DateTimeOffset At,
    ProbeVerdict Verdict,
    StreamMeasurement? Stream,
    double? ReadinessMs,
    bool Cold,
    double? ConnectMs,
    ServerMetrics? Metrics);

/// <summary>
/// Probes one endpoint: readiness the way its kind exposes it, then a small streamed completion timed as vLLM's
/// benchmark_serving times it, then (optionally) the server's Prometheus metrics. Every request goes through the
/// SSRF-guarded client; connect, headers and whole-stream time are limited separately and every body is read with a
/// byte cap, so a hostile endpoint ends the probe with a reason instead of holding it.
/// </summary>
public sealed class ProbeEngine(HttpClient http, IOptions<ProbeOptions> options, TimeProvider time)
{
    public const string ClientName = "probes";
    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private readonly ProbeOptions o = options.Value;

    /// <summary>
    /// The completion request body, with a prompt that is new each time (<see cref="UniquePrompt"/>): a server's prefix
    /// cache would otherwise answer the same prompt, sent every interval, from cache and report a TTFT far below what a
    /// user's new prompt gets.
    /// </summary>
    private byte[] CompletionBody(ServerProtocol protocol, string model) =>
        JsonSerializer.SerializeToUtf8Bytes(protocol.CompletionBody(model, UniquePrompt(o.Prompt), o.MaxTokens), BodyJson);

    /// <summary>
    /// The probe prompt with a random nonce at its very start ("[probe 1a2b3c4d5e6f] Reply with…"), so no two probes share
    /// a prefix a prompt cache could reuse (llama.cpp's cache_prompt, vLLM's automatic prefix caching).
    /// </summary>
    public static string UniquePrompt(string prompt) =>
        $"[probe {Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}] {prompt}";

    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        var settings = target.Settings;
        var protocol = ServerProtocol.Cached(settings.Kind, settings.Model);
        var baseUri = new Uri(settings.BaseUrl.TrimEnd('/') + "/");

        // Whether any request of this probe had to open a connection (cold), and how long that took.
        var note = new ConnectionNote();
        var readinessStarted = Stopwatch.GetTimestamp();
        foreach (var check in protocol.Readiness)
        {
            var failure = await CheckReadinessAsync(baseUri, check, target, note, ct);
            if (failure is not null)
            {
                return new ProbeResult(at, new ProbeVerdict(ProbeState.Down, failure), null, null, note.Cold, note.ConnectTime?.TotalMilliseconds, null);
            }
        }

        var readinessMs = Stopwatch.GetElapsedTime(readinessStarted).TotalMilliseconds;
        var (stream, streamFailure) = await StreamCompletionAsync(baseUri, protocol, target, note, ct);
        var verdict = ProbeClassifier.Classify(streamFailure, stream, settings.Slo);

        var metrics = await ReadMetricsAsync(baseUri, protocol, target, note, ct);
        return new ProbeResult(at, verdict, stream, readinessMs, note.Cold, note.ConnectTime?.TotalMilliseconds, metrics);
    }

    private async Task<ProbeReason?> CheckReadinessAsync(Uri baseUri, ReadinessCheck check, ProbeTarget target, ConnectionNote note, CancellationToken ct)
    {
        var path = check.Path;
        var asked = new Uri(baseUri, path.TrimStart('/')); // a redirect changes the request's own URI
        using var request = NewRequest(HttpMethod.Get, asked, target.ApiKey, note);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.HeadersTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var bytes = await LineReader.ReadAllAsync(body, o.MaxBodyBytes, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound && check.OrElse is { } next)
            {
                // This server does not have that route (an older llama.cpp without /v1/models): ask where it may say instead.
                return await CheckReadinessAsync(baseUri, next, target, note, ct);
            }

            if (!response.IsSuccessStatusCode)
            {
                return StatusFailure(path, response, asked, bytes);
            }

            if (check.ModelServed is { } served && !ModelIsServed(bytes, served, target.Settings.Model))
            {
                return new ProbeReason(ReasonCode.ModelNotServed, path, Detail: target.Settings.Model);
            }

            return null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsProbeFailure(e))
        {
            return Failure(e, path, headersReceived: false, timeout.IsCancellationRequested ? o.HeadersTimeout : null, null);
        }
    }

    private static bool ModelIsServed(byte[] body, Func<JsonElement, string, bool> served, string model)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return served(doc.RootElement, model);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task<(StreamMeasurement? Stream, ProbeReason? Failure)> StreamCompletionAsync(
        Uri baseUri, ServerProtocol protocol, ProbeTarget target, ConnectionNote note, CancellationToken ct)
    {
        var path = protocol.CompletionPath;
        var asked = new Uri(baseUri, path.TrimStart('/')); // a redirect changes the request's own URI
        using var request = NewRequest(HttpMethod.Post, asked, target.ApiKey, note);
        request.Content = new ByteArrayContent(CompletionBody(protocol, target.Settings.Model));
        request.Content.Headers.ContentType = JsonMediaType;

        // One timer for both limits: first the headers timeout, then re-armed for what is left of the stream timeout.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.HeadersTimeout < o.StreamTimeout ? o.HeadersTimeout : o.StreamTimeout);

        var chunks = new List<StreamChunk>(o.MaxTokens + 2);
        int? usage = null;
        var headersReceived = false;
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            headersReceived = true;
            var left = o.StreamTimeout - Stopwatch.GetElapsedTime(sent);
            timeout.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var bytes = await LineReader.ReadAllAsync(body, o.MaxBodyBytes, timeout.Token);
                return (null, StatusFailure(path, response, asked, bytes));
            }

            var contentType = response.Content.Headers.ContentType?.MediaType ?? "";
            if (!AcceptsContentType(protocol.Format, contentType))
            {
                return (null, new ProbeReason(ReasonCode.WrongContentType, path, (int)response.StatusCode,
                    Detail: StreamEvents.Shorten(contentType.Length == 0 ? "(none)" : contentType, 80)));
            }

            using var lines = new LineReader(body, o.MaxBodyBytes);
            while (true)
            {
                var (ok, line) = await lines.ReadLineAsync(timeout.Token);
                if (!ok)
                {
                    break;
                }

                var e = StreamEvents.Read(protocol.Format, line.Span);
                var atMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                switch (e.Kind)
                {
                    case StreamEventKind.Output:
                        chunks.Add(new StreamChunk(atMs, e.Tokens));
                        break;
                    case StreamEventKind.OutputAndUsage:
                        chunks.Add(new StreamChunk(atMs, 1));
                        usage = e.Tokens;
                        break;
                    case StreamEventKind.Usage:
                        usage = e.Tokens;
                        break;
                    case StreamEventKind.ServerError:
                        // The stream began with a success status; the error is the server's own words, not an HTTP status.
                        return (null, new ProbeReason(ReasonCode.StreamError, path, Measured: chunks.Count,
                            Excerpt: FromAskedPath(response, asked) ? ReasonExcerpt.Sanitize(e.Message) : null));
                    case StreamEventKind.Malformed:
                        return (null, new ProbeReason(ReasonCode.MalformedStream, path, Measured: chunks.Count));
                    case StreamEventKind.End:
                        goto finished;
                }

                if (protocol.Format == StreamFormat.OllamaNdjson && e.Kind is StreamEventKind.Usage or StreamEventKind.OutputAndUsage)
                {
                    break;
                }
            }

        finished:
            var endToEnd = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            var measured = StreamTiming.Measure(chunks, endToEnd, usage);
            return measured is null
                ? (null, new ProbeReason(ReasonCode.NoToken, path))
                : (measured, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsProbeFailure(e))
        {
            var limit = !timeout.IsCancellationRequested ? (TimeSpan?)null : headersReceived ? o.StreamTimeout : o.HeadersTimeout;
            return (null, Failure(e, path, headersReceived, limit, chunks.Count));
        }
    }

    /// <summary>
    /// The server's own metrics, when it has any where this kind keeps them or a metrics URL is set. Metrics are extra
    /// evidence: a server without them, or whose scrape fails, is judged on its probe alone (null here).
    /// </summary>
    private async Task<ServerMetrics?> ReadMetricsAsync(Uri baseUri, ServerProtocol protocol, ProbeTarget target, ConnectionNote note, CancellationToken ct)
    {
        var url = target.Settings.MetricsUrl is { } configured ? new Uri(configured)
            : protocol.DefaultMetricsPath is { } path ? new Uri(baseUri, path.TrimStart('/'))
            : null;
        if (url is null)
        {
            return null;
        }

        using var request = NewRequest(HttpMethod.Get, url, target.Settings.MetricsUrl is null ? target.ApiKey : null, note);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.HeadersTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var bytes = await LineReader.ReadAllAsync(body, o.MaxMetricsBytes, timeout.Token);
            var metrics = ServerMetrics.From(PrometheusText.Parse(Encoding.UTF8.GetString(bytes)).Samples);
            return metrics.IsEmpty ? null : metrics;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsProbeFailure(e))
        {
            return null;
        }
    }

    private static HttpRequestMessage NewRequest(HttpMethod method, Uri uri, string? apiKey, ConnectionNote note)
    {
        var request = new HttpRequestMessage(method, uri) { Version = HttpVersion.Version11 };
        request.Options.Set(ProbeConnector.NoteKey, note);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("CoordinationPortal-Probe", "1.0"));
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return request;
    }

    private static bool AcceptsContentType(StreamFormat format, string mediaType) => format == StreamFormat.OllamaNdjson
        ? mediaType is "application/x-ndjson" or "application/json" or "application/jsonl"
        : mediaType == "text/event-stream";

    /// <summary>
    /// A failure status as a reason. What the server said is kept only as a sanitised excerpt (<see cref="ReasonExcerpt"/>),
    /// shown only to the endpoint's managers, and only when the answer came from the probe path itself: after a redirect
    /// the body is some other service's, and nothing of it is kept.
    /// </summary>
    private static ProbeReason StatusFailure(string path, HttpResponseMessage response, Uri? asked, byte[] body)
    {
        var status = response.StatusCode;
        var code = (int)status;
        var message = ErrorText(body);
        var loading = status == HttpStatusCode.ServiceUnavailable
            && message?.Contains("loading", StringComparison.OrdinalIgnoreCase) == true;
        var reason = loading ? ReasonCode.ModelLoading
            : status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? ReasonCode.Unauthorized
            : status == HttpStatusCode.ServiceUnavailable ? ReasonCode.NotReady
            : ReasonCode.HttpStatus;
        return new ProbeReason(reason, path, code, Excerpt: FromAskedPath(response, asked) ? ReasonExcerpt.Sanitize(message) : null);
    }

    /// <summary>Whether a response answers the URL the probe asked for (not one a redirect led to).</summary>
    private static bool FromAskedPath(HttpResponseMessage response, Uri? asked) =>
        asked is not null && response.RequestMessage?.RequestUri is { } answered && Uri.Compare(answered, asked,
            UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;

    /// <summary>A server's error body as text: the JSON error message when there is one, else the start of the body.</summary>
    private static string? ErrorText(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "error", "message", "detail" })
                {
                    if (root.TryGetProperty(name, out var v))
                    {
                        return v.ValueKind == JsonValueKind.String ? v.GetString()
                            : v.ValueKind == JsonValueKind.Object && v.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                                ? m.GetString() : null;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: show the start of the text.
        }

        return Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 400));
    }

    private static bool IsProbeFailure(Exception e) =>
        e is HttpRequestException or IOException or OperationCanceledException or SocketException or AuthenticationException
            or InvalidOperationException or NotSupportedException or JsonException;

    /// <summary>
    /// Maps what went wrong on the wire to a reason a person understands: the probe's own limits and byte cap here, the
    /// network errors through <see cref="NetworkFailure"/>, which the webhook sender shares.
    /// </summary>
    private static ProbeReason Failure(Exception e, string path, bool headersReceived, TimeSpan? timedOut, int? tokens)
    {
        if (timedOut is { } limit)
        {
            return headersReceived
                ? new ProbeReason(ReasonCode.StreamTimeout, path, Measured: tokens, Target: limit.TotalMilliseconds)
                : new ProbeReason(ReasonCode.HeadersTimeout, path, Target: limit.TotalMilliseconds);
        }

        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is BodyTooLargeException big)
            {
                return new ProbeReason(ReasonCode.BodyTooLarge, path, Target: big.Limit);
            }
        }

        // An error's own message can carry what the other end sent (an invalid status line quotes it), so it is an excerpt:
        // sanitised, and for the endpoint's managers only. The refused address is the portal's own words.
        var failure = NetworkFailure.Classify(e);
        return failure.Code == ReasonCode.AddressRefused
            ? new ProbeReason(failure.Code, path, Detail: StreamEvents.Shorten(failure.Detail))
            : new ProbeReason(failure.Code, path, Excerpt: ReasonExcerpt.Sanitize(failure.Detail));
    }
}
