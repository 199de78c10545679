using System.Text.Json;
using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Web.Probes.Engine;

/// <summary>How a streamed completion is framed on the wire.</summary>
public enum StreamFormat
{
    /// <summary>Server-sent events of OpenAI chat completion chunks (vLLM, NIM, llama.cpp, any OpenAI-compatible server).</summary>
    OpenAiSse,

    /// <summary>Server-sent events of TGI's <c>/generate_stream</c> tokens.</summary>
    TgiSse,

    /// <summary>Server-sent events of the KServe v2 / Triton generate extension (<c>text_output</c>).</summary>
    KServeSse,

    /// <summary>Newline-delimited JSON of Ollama's native <c>/api/chat</c>.</summary>
    OllamaNdjson,
}

/// <summary>
/// One readiness request of a probe, and what its body must show (null: any 2xx is ready). <paramref name="OrElse"/> is
/// asked instead when this path answers 404 (a route older versions of the server do not have).
/// </summary>
public sealed record ReadinessCheck(string Path, Func<JsonElement, string, bool>? ModelServed = null, ReadinessCheck? OrElse = null);

/// <summary>
/// What one kind of server exposes for liveness/readiness, how to ask it for a small streamed completion, and where
/// its own Prometheus metrics are when no metrics URL is set. One place per kind; the engine is the same for all.
/// </summary>
public sealed record ServerProtocol(
    ServerKind Kind,
    IReadOnlyList<ReadinessCheck> Readiness,
    string CompletionPath,
    StreamFormat Format,
    Func<string, string, int, object> CompletionBody,
    string? DefaultMetricsPath)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(ServerKind, string), ServerProtocol> Protocols = new();

    /// <summary>The protocol for a kind and model, built once.</summary>
    public static ServerProtocol Cached(ServerKind kind, string model) => Protocols.GetOrAdd((kind, model), key => For(key.Item1, key.Item2));

    public static ServerProtocol For(ServerKind kind, string model) => kind switch
    {
        ServerKind.Vllm => OpenAi(kind, [new("/health"), ModelList()], "/metrics"),
        ServerKind.OpenAi => OpenAi(kind, [ModelList()], null),
        ServerKind.Nim => OpenAi(kind, [new("/v1/health/ready"), ModelList()], null),
        // llama-server answers any model name in a completion with the one model it loaded, so only its model list
        // (or, on versions without one, /props) can tell that it serves another model.
        ServerKind.LlamaCpp => OpenAi(kind, [new("/health"), new("/v1/models", LlamaCppModelListed, new("/props", LlamaCppPropsName))], null),
        ServerKind.Tgi => new(kind, [new("/health"), new("/info")], "/generate_stream", StreamFormat.TgiSse,
            (_, prompt, tokens) => new { inputs = prompt, parameters = new { max_new_tokens = tokens, details = true } },
            "/metrics"),
        ServerKind.KServeV2 => new(kind,
            [new("/v2/health/ready"), new($"/v2/models/{Uri.EscapeDataString(model)}/ready")],
            $"/v2/models/{Uri.EscapeDataString(model)}/generate_stream", StreamFormat.KServeSse,
            (_, prompt, tokens) => new { text_input = prompt, parameters = new { max_tokens = tokens, stream = true } },
            null),
        ServerKind.Ollama => new(kind, [new("/api/version"), new("/api/tags", OllamaModelListed)], "/api/chat", StreamFormat.OllamaNdjson,
            (m, prompt, tokens) => new
            {
                model = m,
                messages = new[] { new { role = "user", content = prompt } },
                stream = true,
                options = new { num_predict = tokens },
            },
            null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static ServerProtocol OpenAi(ServerKind kind, IReadOnlyList<ReadinessCheck> readiness, string? metricsPath) =>
        new(kind, readiness, "/v1/chat/completions", StreamFormat.OpenAiSse,
            (m, prompt, tokens) => new
            {
                model = m,
                messages = new[] { new { role = "user", content = prompt } },
                max_tokens = tokens,
                temperature = 0,
                stream = true,
                stream_options = new { include_usage = true },
            },
            metricsPath);

    private static ReadinessCheck ModelList() => new("/v1/models", OpenAiModelListed);

    /// <summary><c>{"data":[{"id":"model"}]}</c> names the model.</summary>
    public static bool OpenAiModelListed(JsonElement body, string model) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
        && data.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id)
            && id.ValueKind == JsonValueKind.String && id.GetString() == model);

    /// <summary>
    /// llama-server's <c>/v1/models</c>: <c>{"data":[{"id":…}]}</c>, the id being the <c>--alias</c> when one is set, else
    /// the model file's path. The model matches the id, the id's file name, or that file name without <c>.gguf</c>.
    /// </summary>
    public static bool LlamaCppModelListed(JsonElement body, string model) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
        && data.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id)
            && id.ValueKind == JsonValueKind.String && NamesModelFile(id.GetString(), model));

    /// <summary>llama-server's <c>/props</c>: <c>model_alias</c> where the version has it, else <c>model_path</c>, matched as in <see cref="LlamaCppModelListed"/>.</summary>
    public static bool LlamaCppPropsName(JsonElement body, string model) =>
        body.ValueKind == JsonValueKind.Object
        && PropsNames.Any(name => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && NamesModelFile(v.GetString(), model));

    private static readonly string[] PropsNames = ["model_alias", "model_path"];

    private static bool NamesModelFile(string? served, string model)
    {
        if (string.IsNullOrEmpty(served))
        {
            return false;
        }

        var file = served[(served.LastIndexOfAny(['/', '\\']) + 1)..];
        return served == model || file == model
            || (file.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) && file[..^5] == model);
    }

    /// <summary><c>{"models":[{"name":"llama3:8b"}]}</c> names the model (Ollama adds ":latest" to an untagged name).</summary>
    public static bool OllamaModelListed(JsonElement body, string model) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("models", out var models) && models.ValueKind == JsonValueKind.Array
        && models.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.Object
            && (Matches(m, "name", model) || Matches(m, "model", model)));

    private static bool Matches(JsonElement m, string property, string model) =>
        m.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
        && (v.GetString() == model || (!model.Contains(':', StringComparison.Ordinal) && v.GetString() == model + ":latest"));
}
