using System.Text;
using System.Text.Json;

namespace CoordinationPortal.Web.Probes.Engine;

/// <summary>What one line of a completion stream meant.</summary>
public readonly record struct StreamEvent(StreamEventKind Kind, int Tokens = 0, string? Message = null)
{
    public static StreamEvent Ignore => new(StreamEventKind.Ignore);
    public static StreamEvent End => new(StreamEventKind.End);
}

public enum StreamEventKind
{
    /// <summary>Comments, keep-alives, events without output.</summary>
    Ignore,

    /// <summary>An event that carried generated text (for OpenAI streams: a choice with non-empty content or text).</summary>
    Output,

    /// <summary>The server's own count of output tokens (OpenAI <c>usage</c>, TGI details, Ollama eval_count).</summary>
    Usage,

    /// <summary>Output and, in the same event, the server's count (TGI's and Ollama's last event).</summary>
    OutputAndUsage,
    End,
    ServerError,
    Malformed,
}

/// <summary>
/// Reads one line of each stream format. OpenAI chunks are scanned with <see cref="Utf8JsonReader"/> without building a
/// document (the probe engine's per-request cost is benchmarked against a bare streaming loop).
/// </summary>
public static class StreamEvents
{
    private static ReadOnlySpan<byte> Data => "data:"u8;
    private static ReadOnlySpan<byte> Done => "[DONE]"u8;

    public static StreamEvent Read(StreamFormat format, ReadOnlySpan<byte> line)
    {
        if (format == StreamFormat.OllamaNdjson)
        {
            return line.Trim((byte)' ').IsEmpty ? StreamEvent.Ignore : Ollama(line);
        }

        if (!line.StartsWith(Data))
        {
            return StreamEvent.Ignore; // blank separators, ": comment", "event:", "id:", "retry:"
        }

        var payload = line[Data.Length..].Trim((byte)' ');
        if (payload.SequenceEqual(Done))
        {
            return StreamEvent.End;
        }

        if (payload.IsEmpty)
        {
            return StreamEvent.Ignore;
        }

        try
        {
            return format switch
            {
                StreamFormat.OpenAiSse => OpenAi(payload),
                StreamFormat.TgiSse => Tgi(payload),
                _ => KServe(payload),
            };
        }
        catch (JsonException)
        {
            return new StreamEvent(StreamEventKind.Malformed);
        }
    }

    private static StreamEvent OpenAi(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return new StreamEvent(StreamEventKind.Malformed);
        }

        var output = false;
        int? usage = null;
        string? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    output |= ChoicesCarryText(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                usage = reader.TokenType == JsonTokenType.StartObject ? ReadIntProperty(ref reader, "completion_tokens"u8) : Skip(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                error = ErrorMessage(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return new StreamEvent(StreamEventKind.Malformed);
        }

        return error is not null ? new StreamEvent(StreamEventKind.ServerError, Message: error)
            : output && usage is { } both ? new StreamEvent(StreamEventKind.OutputAndUsage, both)
            : output ? new StreamEvent(StreamEventKind.Output, 1)
            : usage is { } count ? new StreamEvent(StreamEventKind.Usage, count)
            : StreamEvent.Ignore;
    }

    /// <summary>
    /// The formats read through a document (TGI, KServe, Ollama): one JSON object per event; a non-object is malformed,
    /// an <c>error</c> member is the server's error, anything else is for <paramref name="read"/>.
    /// </summary>
    private static StreamEvent FromObject(ReadOnlySpan<byte> json, Func<JsonElement, StreamEvent> read)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            return root.ValueKind != JsonValueKind.Object ? new StreamEvent(StreamEventKind.Malformed)
                : root.TryGetProperty("error", out var error) ? new StreamEvent(StreamEventKind.ServerError, Message: Text(error))
                : read(root);
        }
        catch (JsonException)
        {
            return new StreamEvent(StreamEventKind.Malformed);
        }
    }

    private static StreamEvent Tgi(ReadOnlySpan<byte> json) => FromObject(json, root =>
    {
        var output = root.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.Object
            && !(token.TryGetProperty("special", out var special) && special.ValueKind == JsonValueKind.True);
        int? generated = root.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
            && details.TryGetProperty("generated_tokens", out var g) && g.TryGetInt32(out var n) ? n : null;
        return (output, generated) switch
        {
            (true, { } count) => new StreamEvent(StreamEventKind.OutputAndUsage, count),
            (true, null) => new StreamEvent(StreamEventKind.Output, 1),
            (false, { } count) => new StreamEvent(StreamEventKind.Usage, count),
            _ => StreamEvent.Ignore,
        };
    });

    private static StreamEvent KServe(ReadOnlySpan<byte> json) => FromObject(json, root =>
        root.TryGetProperty("text_output", out var text) && text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 }
            ? new StreamEvent(StreamEventKind.Output, 1)
            : StreamEvent.Ignore);

    private static StreamEvent Ollama(ReadOnlySpan<byte> json) => FromObject(json, root =>
    {
        var content = root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
            : root.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var output = !string.IsNullOrEmpty(content);
        if (!(root.TryGetProperty("done", out var d) && d.ValueKind == JsonValueKind.True))
        {
            return output ? new StreamEvent(StreamEventKind.Output, 1) : StreamEvent.Ignore;
        }

        var count = root.TryGetProperty("eval_count", out var e) && e.TryGetInt32(out var n) ? n : 0;
        return output ? new StreamEvent(StreamEventKind.OutputAndUsage, count) : new StreamEvent(StreamEventKind.Usage, count);
    });

    /// <summary>
    /// Reads a <c>choices</c> array (the reader on its start) to its end: whether any choice carried generated text — a
    /// non-empty <c>delta.content</c>, <c>delta.reasoning_content</c> or <c>delta.reasoning</c> (chat), a non-empty
    /// <c>text</c> (completions) or a non-empty <c>delta.tool_calls</c>. A chunk that only names the role or only says
    /// why the answer finished is not output: counting it made an empty answer look like one fast token.
    /// </summary>
    private static bool ChoicesCarryText(ref Utf8JsonReader reader)
    {
        var text = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    text |= reader.TokenType == JsonTokenType.StartObject ? DeltaCarriesText(ref reader) : SkipFalse(ref reader);
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    text |= NonEmptyString(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        return text;
    }

    private static bool DeltaCarriesText(ref Utf8JsonReader reader)
    {
        var text = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                reader.Read();
                text |= NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    reader.Read();
                    text |= reader.TokenType != JsonTokenType.EndArray;
                    while (reader.TokenType != JsonTokenType.EndArray)
                    {
                        reader.Skip();
                        if (!reader.Read())
                        {
                            break;
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return text;
    }

    private static bool NonEmptyString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueSpan.Length > 0 || reader.HasValueSequence;
        }

        reader.Skip();
        return false;
    }

    private static bool SkipFalse(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return false;
    }

    private static int? Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static int? ReadIntProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        int? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n))
            {
                value = n;
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }

    private static string ErrorMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() ?? "";
        }

        string message = "";
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("message"u8);
                reader.Read();
                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    message = reader.GetString() ?? "";
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else
        {
            reader.Skip();
        }

        return message;
    }

    private static string Text(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString() ?? "",
        JsonValueKind.Object when error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString() ?? "",
        _ => error.GetRawText(),
    };

    /// <summary>A server's message as a short, single-line, printable detail for a reason.</summary>
    public static string? Shorten(string? message, int max = 160)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(message.Length, max));
        foreach (var c in message)
        {
            if (builder.Length >= max)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
