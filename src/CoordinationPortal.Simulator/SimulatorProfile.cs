using System.Collections.ObjectModel;

namespace CoordinationPortal.Simulator;

/// <summary>
/// The knobs of one simulated inference endpoint. Every property is optional in JSON (camelCase);
/// a change made through <see cref="InferenceSimulator.SetProfile"/> or the control API takes effect
/// for the next request.
/// </summary>
public sealed record SimulatorProfile
{
    /// <summary>The model the endpoint serves; requests naming another model are refused.</summary>
    public string Model { get; init; } = "sim-llama-3-8b";

    /// <summary>Time to first token, counted from the moment the request arrives.</summary>
    public double TtftMs { get; init; } = 80;

    /// <summary>Time between consecutive tokens.</summary>
    public double InterTokenMs { get; init; } = 15;

    /// <summary>Tokens (content chunks) per completion, unless the request asks for fewer.</summary>
    public int OutputTokens { get; init; } = 16;

    /// <summary>
    /// Fraction (0..1) of completion requests answered with HTTP 500. Deterministic: 0.5 fails every
    /// second request, 0.34 every third. The sequence restarts when the profile is replaced.
    /// </summary>
    public double ErrorRate { get; init; }

    /// <summary>Health and readiness routes and completions answer 503 "model loading".</summary>
    public bool Loading { get; init; }

    /// <summary>Every route accepts the request and never answers until the client gives up.</summary>
    public bool Hang { get; init; }

    /// <summary>Completions send the first token, then nothing more, keeping the connection open.</summary>
    public bool HangAfterFirstToken { get; init; }

    /// <summary>Completions send headers, then a keep-alive line every this many milliseconds, forever, never a token.</summary>
    public int? DripIntervalMs { get; init; }

    /// <summary>Every route aborts the connection without a response.</summary>
    public bool Reset { get; init; }

    /// <summary>Completions stream lines that are not JSON.</summary>
    public bool MalformedStream { get; init; }

    /// <summary>Streaming completions ignore <c>stream_options.include_usage</c>.</summary>
    public bool OmitUsage { get; init; }

    /// <summary>Completions (and health routes) send a body of about this many bytes of junk.</summary>
    public long? HugeBodyBytes { get; init; }

    /// <summary>Completions answer 200 with an HTML page.</summary>
    public bool WrongContentType { get; init; }

    /// <summary>Every route answers 302 with this Location.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>When set, every route wants <c>Authorization: Bearer {this}</c> and answers 401 without it.</summary>
    public string? RequireApiKey { get; init; }

    /// <summary>
    /// OpenAI completions generate no text: a stream sends a chunk naming the role (empty content), then a chunk that
    /// only says the answer finished, then the usage (1 completion token, the end-of-sequence), as a model that ends
    /// every answer at once does.
    /// </summary>
    public bool EmptyAnswer { get; init; }

    /// <summary>
    /// A prompt cache, as llama.cpp's <c>cache_prompt</c> and vLLM's prefix caching keep one: an OpenAI completion whose
    /// prompt shares at least half of its characters, from the start, with a prompt this profile has answered before
    /// gets this TTFT instead of <see cref="TtftMs"/>.
    /// </summary>
    public double? PromptCacheTtftMs { get; init; }

    /// <summary>OpenAI completions answer with this profile's model whatever model the request names (llama-server does).</summary>
    public bool IgnoreRequestedModel { get; init; }

    /// <summary><c>GET /v1/models</c> answers 404, as llama.cpp servers from before the OpenAI model list do (<c>/props</c> still answers).</summary>
    public bool ModelListMissing { get; init; }

    /// <summary>The message of simulated failures (<see cref="ErrorRate"/>, <see cref="StreamErrorAfterTokens"/>).</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>An OpenAI stream sends this many tokens, then an error event (<c>{"error":{…}}</c>) and ends, after HTTP 200.</summary>
    public int? StreamErrorAfterTokens { get; init; }

    /// <summary>Added to the real number of in-flight completions in the running-requests gauges.</summary>
    public double MetricsRequestsRunning { get; init; }

    /// <summary>Queue length reported by the waiting-requests gauges.</summary>
    public double MetricsRequestsWaiting { get; init; }

    /// <summary>KV-cache usage, 0..1.</summary>
    public double MetricsKvCacheUsage { get; init; } = 0.25;

    /// <summary>GPU utilisation, 0..1 (DCGM reports it as a percentage).</summary>
    public double MetricsGpuUtilization { get; init; } = 0.55;

    /// <summary>The profiles served when <see cref="SimulatorOptions.Profiles"/> is null.</summary>
    public static IReadOnlyDictionary<string, SimulatorProfile> DefaultProfiles { get; } =
        new ReadOnlyDictionary<string, SimulatorProfile>(new Dictionary<string, SimulatorProfile>(StringComparer.Ordinal)
        {
            ["default"] = new(),
            ["healthy"] = new() { TtftMs = 80, InterTokenMs = 15 },
            ["slow"] = new()
            {
                TtftMs = 1500,
                InterTokenMs = 60,
                MetricsRequestsRunning = 24,
                MetricsRequestsWaiting = 40,
                MetricsKvCacheUsage = 0.94,
                MetricsGpuUtilization = 0.98,
            },
            ["flaky"] = new() { ErrorRate = 0.34 },
            ["loading"] = new() { Loading = true, MetricsGpuUtilization = 0 },
            ["hang"] = new() { Hang = true },
            ["stalled"] = new() { HangAfterFirstToken = true },
            ["drip"] = new() { DripIntervalMs = 500 },
            ["reset"] = new() { Reset = true },
            ["malformed"] = new() { MalformedStream = true },
            ["no-usage"] = new() { OmitUsage = true },
            ["huge"] = new() { HugeBodyBytes = 8L * 1024 * 1024 },
            ["html"] = new() { WrongContentType = true },
            ["redirect"] = new() { RedirectTo = "http://redirected.invalid/" },
            ["empty-answer"] = new() { EmptyAnswer = true },
            ["prompt-cache"] = new() { TtftMs = 300, PromptCacheTtftMs = 20 },
            ["llamacpp-other-model"] = new() { Model = "sim-qwen-2.5-7b", IgnoreRequestedModel = true },
            ["stream-error"] = new() { StreamErrorAfterTokens = 2, ErrorMessage = "CUDA error: out of memory while decoding" },
            ["leaky"] = new() { ErrorRate = 1, ErrorMessage = "upstream refused: db_password=hunter2-s3cret user=portal host=10.0.0.5" },
        });

    /// <summary>What is wrong with this profile; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Model))
        {
            problems.Add("model must not be empty");
        }

        if (!double.IsFinite(TtftMs) || TtftMs < 0)
        {
            problems.Add("ttftMs must be a finite number >= 0");
        }

        if (!double.IsFinite(InterTokenMs) || InterTokenMs < 0)
        {
            problems.Add("interTokenMs must be a finite number >= 0");
        }

        if (OutputTokens is < 1 or > 100_000)
        {
            problems.Add("outputTokens must be between 1 and 100000");
        }

        if (!double.IsFinite(ErrorRate) || ErrorRate is < 0 or > 1)
        {
            problems.Add("errorRate must be between 0 and 1");
        }

        if (DripIntervalMs is < 1)
        {
            problems.Add("dripIntervalMs must be at least 1 when set");
        }

        if (PromptCacheTtftMs is { } cached && (!double.IsFinite(cached) || cached < 0))
        {
            problems.Add("promptCacheTtftMs must be a finite number >= 0 when set");
        }

        if (StreamErrorAfterTokens is < 0 or > 100_000)
        {
            problems.Add("streamErrorAfterTokens must be between 0 and 100000 when set");
        }

        if (HugeBodyBytes is < 0)
        {
            problems.Add("hugeBodyBytes must be >= 0 when set");
        }

        if (RedirectTo is not null && !Uri.TryCreate(RedirectTo, UriKind.RelativeOrAbsolute, out _))
        {
            problems.Add("redirectTo must be a URI");
        }

        if (!double.IsFinite(MetricsRequestsRunning) || MetricsRequestsRunning < 0
            || !double.IsFinite(MetricsRequestsWaiting) || MetricsRequestsWaiting < 0)
        {
            problems.Add("metricsRequestsRunning and metricsRequestsWaiting must be finite numbers >= 0");
        }

        if (!double.IsFinite(MetricsKvCacheUsage) || MetricsKvCacheUsage is < 0 or > 1
            || !double.IsFinite(MetricsGpuUtilization) || MetricsGpuUtilization is < 0 or > 1)
        {
            problems.Add("metricsKvCacheUsage and metricsGpuUtilization must be between 0 and 1");
        }

        return problems;
    }
}
