using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace CoordinationPortal.Simulator;

/// <summary>How a surface frames the events of a response.</summary>
internal sealed record Framing(string ContentType, string Prefix, string Suffix, string KeepAlive, bool Streams)
{
    /// <summary>Server-sent events, <c>data: {...}\n\n</c> (OpenAI, vLLM, Triton).</summary>
    public static readonly Framing Sse = new("text/event-stream", "data: ", "\n\n", ": .\n", true);

    /// <summary>Server-sent events as TGI writes them, <c>data:{...}\n\n</c>.</summary>
    public static readonly Framing TgiSse = new("text/event-stream", "data:", "\n\n", ": .\n", true);

    /// <summary>Newline-delimited JSON (Ollama); a keep-alive is an empty line.</summary>
    public static readonly Framing NdJson = new("application/x-ndjson", "", "\n", "\n", true);

    /// <summary>One JSON body (non-streaming); a keep-alive is a space, which JSON allows before a value.</summary>
    public static readonly Framing Json = new("application/json", "", "", " ", false);

    public string Frame(string payload) => Prefix + payload + Suffix;
}

/// <summary>
/// What a surface would generate for one request: the framing, the token count, each token's event,
/// the events after the last token, and the body when not streaming.
/// </summary>
internal sealed record Generation(
    Framing Framing,
    int Tokens,
    int PromptTokens,
    Func<int, string> TokenEvent,
    Func<IEnumerable<string>> Tail,
    Func<string> Whole);

/// <summary>
/// Sends a <see cref="Generation"/> on the profile's schedule: token i is written and flushed at
/// arrival + TTFT + i · inter-token (a cumulative schedule, so errors never add up), applying the
/// pacing knobs (DripIntervalMs, HugeBodyBytes, MalformedStream, HangAfterFirstToken).
/// </summary>
internal static class TokenStream
{
    private const string NotJson = "{not json";

    public static async Task RunAsync(HttpContext context, SimRequest request, Generation generation)
    {
        var profile = request.Profile;
        var framing = generation.Framing;
        var cancellationToken = context.RequestAborted;
        var response = context.Response;

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = framing.ContentType;
        if (framing.Streams)
        {
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        if (profile.DripIntervalMs is { } interval)
        {
            await DripAsync(context, framing.KeepAlive, interval);
            return;
        }

        if (profile.HugeBodyBytes is { } huge)
        {
            await Pacing.WaitUntilAsync(request.TokenDue(0), cancellationToken);
            await Misbehaviour.WriteJunkAsync(context, framing.Prefix + "{\"junk\":\"", "\"}" + framing.Suffix, huge);
            return;
        }

        if (!framing.Streams)
        {
            await WholeAsync(context, request, generation);
            return;
        }

        for (var i = 0; i < generation.Tokens; i++)
        {
            var chunk = Encoding.UTF8.GetBytes(framing.Frame(profile.MalformedStream ? NotJson : generation.TokenEvent(i)));
            await Pacing.WaitUntilAsync(request.TokenDue(i), cancellationToken);
            await WriteAndFlushAsync(context, chunk);
            if (i == 0)
            {
                request.Runtime.TimeToFirstToken.Observe(request.Elapsed);
                if (profile.HangAfterFirstToken)
                {
                    await Pacing.WaitForeverAsync(cancellationToken);
                }
            }
        }

        if (!profile.MalformedStream)
        {
            foreach (var payload in generation.Tail())
            {
                await WriteAndFlushAsync(context, Encoding.UTF8.GetBytes(framing.Frame(payload)));
            }
        }

        request.Runtime.CountCompletion(generation.PromptTokens, generation.Tokens);
    }

    /// <summary>A non-streaming answer: the whole body once the last token is due.</summary>
    private static async Task WholeAsync(HttpContext context, SimRequest request, Generation generation)
    {
        var cancellationToken = context.RequestAborted;
        if (request.Profile.HangAfterFirstToken)
        {
            // No token can be shown without the whole body: send the headers at TTFT, then stall.
            await Pacing.WaitUntilAsync(request.TokenDue(0), cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
            await Pacing.WaitForeverAsync(cancellationToken);
        }

        await Pacing.WaitUntilAsync(request.TokenDue(generation.Tokens - 1), cancellationToken);
        var body = Encoding.UTF8.GetBytes(request.Profile.MalformedStream ? NotJson : generation.Whole());
        context.Response.ContentLength = body.Length;
        await WriteAndFlushAsync(context, body);
        request.Runtime.TimeToFirstToken.Observe(TimeSpan.FromMilliseconds(request.Profile.TtftMs));
        request.Runtime.CountCompletion(generation.PromptTokens, generation.Tokens);
    }

    /// <summary>Headers now, then a keep-alive line every <paramref name="intervalMs"/>, until the client leaves.</summary>
    private static async Task DripAsync(HttpContext context, string keepAlive, int intervalMs)
    {
        var cancellationToken = context.RequestAborted;
        var line = Encoding.UTF8.GetBytes(keepAlive);
        await context.Response.Body.FlushAsync(cancellationToken);
        while (true)
        {
            await Task.Delay(intervalMs, cancellationToken);
            await WriteAndFlushAsync(context, line);
        }
    }

    private static async Task WriteAndFlushAsync(HttpContext context, byte[] bytes)
    {
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
