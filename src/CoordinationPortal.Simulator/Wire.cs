using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CoordinationPortal.Simulator;

/// <summary>JSON in and out, and the text the simulated model "generates".</summary>
internal static class Wire
{
    /// <summary>Wire format of the simulated servers: property names exactly as written (snake_case).</summary>
    public static readonly JsonSerializerOptions ServerJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Wire format of the control API: camelCase, case-insensitive, like ASP.NET Core's defaults.</summary>
    public static readonly JsonSerializerOptions ControlJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] Vocabulary =
    [
        "Hello", ",", " this", " is", " a", " simulated", " answer", " from", " the", " coordination",
        " portal", "'s", " inference", " simulator", ".", " Tokens", " arrive", " on", " a", " precise",
        " schedule", " so", " latency", " probes", " can", " be", " checked", ".",
    ];

    public static string Serialize(object value) => JsonSerializer.Serialize(value, ServerJson);

    /// <summary>Token <paramref name="index"/> of the simulated answer.</summary>
    public static string Token(int index) => Vocabulary[index % Vocabulary.Length];

    /// <summary>A stable token id for <paramref name="index"/>, like a tokenizer's.</summary>
    public static int TokenId(int index) => 1000 + (index % Vocabulary.Length) * 37;

    /// <summary>The first <paramref name="count"/> tokens joined.</summary>
    public static string Text(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(Token(i));
        }

        return text.ToString();
    }

    public static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A short random id, as servers put in completion ids.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>A stable hexadecimal digest of <paramref name="text"/> (64 characters).</summary>
    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A stable GPU UUID for a profile's GPU <paramref name="index"/>.</summary>
    public static string GpuUuid(string profile, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{profile}/gpu{index}")));
        return "GPU-" + new Guid(hash.AsSpan(0, 16)).ToString("D");
    }

    /// <summary>The request body as JSON, or null when it is missing or not a JSON object.</summary>
    public static async Task<JsonElement?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonElement? Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    public static string? String(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool? Bool(this JsonElement element, string name) =>
        element.Property(name)?.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };

    public static int? Int(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : null;

    /// <summary>The prompt's text, as a prompt cache sees it: every prompt, message and content string, in order.</summary>
    public static string PromptText(JsonElement request) => string.Join('\n', PromptStrings(request));

    /// <summary>A rough prompt token count: about four characters of string content per token.</summary>
    public static int EstimatePromptTokens(JsonElement request) => Math.Max(1, PromptStrings(request).Sum(s => s.Length) / 4);

    private static IEnumerable<string> PromptStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                yield return element.GetString() ?? "";
                break;
            case JsonValueKind.Array:
                foreach (var text in element.EnumerateArray().SelectMany(PromptStrings))
                {
                    yield return text;
                }

                break;
            case JsonValueKind.Object:
                foreach (var text in element.EnumerateObject()
                    .Where(p => p.Name is "prompt" or "messages" or "content" or "inputs" or "text_input" or "text")
                    .SelectMany(p => PromptStrings(p.Value)))
                {
                    yield return text;
                }

                break;
        }
    }

    /// <summary>Writes a complete body with a Content-Length.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public static Task WriteJsonAsync(HttpContext context, int status, object body) =>
        WriteAsync(context, status, "application/json", Serialize(body));
}
