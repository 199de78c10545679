namespace CoordinationPortal.Domain.Probes;

/// <summary>
/// One event of a streamed response that carried output (for OpenAI-style streams, an event with non-empty
/// choices), <paramref name="AtMs"/> milliseconds after the request was sent, carrying <paramref name="Tokens"/>
/// tokens where the server says how many (1 otherwise).
/// </summary>
public sealed record StreamChunk(double AtMs, int Tokens = 1);

/// <summary>The latency figures of one streamed response, as vLLM's benchmark_serving defines them.</summary>
public sealed record StreamMeasurement(
    double TtftMs,
    double EndToEndMs,
    int OutputTokens,
    bool TokensFromUsage,
    IReadOnlyList<double> InterTokenLatenciesMs,
    double? TpotMs,
    double? OutputTokensPerSecond,
    double? ItlP50Ms,
    double? ItlP95Ms);

public static class StreamTiming
{
    /// <summary>
    /// Time to first token (TTFT) is the first chunk's time. Inter-token latencies (ITL) are the gaps between
    /// consecutive chunks, one per chunk after the first. Output tokens are <paramref name="usageTokens"/> when the
    /// server reported a positive count, else the sum of the chunks' tokens. Time per output token (TPOT) is
    /// (end-to-end − TTFT) / (tokens − 1), when there is more than one token; output tokens per second is
    /// tokens / end-to-end seconds, when end-to-end is positive. Null when no chunk carried output.
    /// Chunk times must be finite, not negative and in order, and <paramref name="endToEndMs"/> no earlier than
    /// the last chunk; anything else is a defect of the caller and throws.
    /// </summary>
    public static StreamMeasurement? Measure(IReadOnlyList<StreamChunk> chunks, double endToEndMs, int? usageTokens)
    {
        ArgumentNullException.ThrowIfNull(chunks);

        if (chunks.Count == 0)
        {
            return null;
        }

        var itl = new double[chunks.Count - 1];
        var chunkTokens = 0L;
        var previous = 0.0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i] ?? throw new ArgumentException($"Chunk {i} is null.", nameof(chunks));
            if (!double.IsFinite(chunk.AtMs) || chunk.AtMs < previous)
            {
                throw new ArgumentException(
                    $"Chunk {i} at {chunk.AtMs} ms: chunk times must be finite, not negative and in order.", nameof(chunks));
            }

            if (chunk.Tokens < 0)
            {
                throw new ArgumentException($"Chunk {i} carries {chunk.Tokens} tokens.", nameof(chunks));
            }

            if (i > 0)
            {
                itl[i - 1] = chunk.AtMs - previous;
            }

            chunkTokens += chunk.Tokens;
            previous = chunk.AtMs;
        }

        if (!double.IsFinite(endToEndMs) || endToEndMs < previous)
        {
            throw new ArgumentOutOfRangeException(
                nameof(endToEndMs), endToEndMs, $"The response cannot end before its last chunk at {previous} ms.");
        }

        var fromUsage = usageTokens is > 0;
        var tokens = fromUsage ? usageTokens!.Value : checked((int)chunkTokens);
        var ttft = chunks[0].AtMs;

        return new StreamMeasurement(
            ttft,
            endToEndMs,
            tokens,
            fromUsage,
            itl,
            tokens > 1 ? (endToEndMs - ttft) / (tokens - 1) : null,
            endToEndMs > 0 ? tokens / (endToEndMs / 1000.0) : null,
            Percentiles.Of(itl, 50),
            Percentiles.Of(itl, 95));
    }
}
