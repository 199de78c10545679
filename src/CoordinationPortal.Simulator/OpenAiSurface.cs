namespace CoordinationPortal.Simulator;

/// <summary>
/// The OpenAI-compatible surface served by vLLM, NVIDIA NIM, llama.cpp's server (and TGI's Messages API):
/// health, model list, chat and text completions, streaming (SSE) or not.
/// </summary>
internal static class OpenAiSurface
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        // One /health for vLLM (only the status matters), llama.cpp ({"status":"ok"}) and TGI.
        routes.Read("/health", context => Misbehaviour.ProbeAsync(
            context,
            ProbeAnswer.Json(StatusCodes.Status200OK, new { status = "ok" }),
            ProbeAnswer.Json(StatusCodes.Status503ServiceUnavailable, new { error = new { code = 503, message = "Loading model", type = "unavailable_error" } })));

        routes.Read("/v1/health/ready", context => NimHealthAsync(context, "Service is ready."));
        routes.Read("/v1/health/live", context => NimHealthAsync(context, "Service is live."));
        routes.Read("/v1/models", ModelsAsync);
        routes.Read("/props", PropsAsync);
        routes.Generate("/v1/chat/completions", context => CompleteAsync(context, chat: true));
        routes.Generate("/v1/completions", context => CompleteAsync(context, chat: false));
    }

    private static Task NimHealthAsync(HttpContext context, string healthyMessage) =>
        Misbehaviour.ProbeAsync(
            context,
            ProbeAnswer.Json(StatusCodes.Status200OK, new { @object = "health.response", message = healthyMessage }),
            ProbeAnswer.Json(StatusCodes.Status503ServiceUnavailable, new { @object = "health.response", message = "Service is not ready: model loading." }));

    private static Task ModelsAsync(HttpContext context)
    {
        var model = SimRequest.Of(context).Profile.Model;
        if (SimRequest.Of(context).Profile.ModelListMissing)
        {
            return Wire.WriteAsync(context, StatusCodes.Status404NotFound, "text/plain", "File Not Found");
        }

        return Wire.WriteJsonAsync(context, StatusCodes.Status200OK, new
        {
            @object = "list",
            data = new[]
            {
                new { id = model, @object = "model", created = Wire.UnixNow(), owned_by = "simulator", root = model, max_model_len = 4096 },
            },
        });
    }

    /// <summary>llama-server's <c>/props</c>: the loaded model's file path among its settings.</summary>
    private static Task PropsAsync(HttpContext context)
    {
        var model = SimRequest.Of(context).Profile.Model;
        return Wire.WriteJsonAsync(context, StatusCodes.Status200OK, new
        {
            default_generation_settings = new { n_ctx = 4096, temperature = 0.8 },
            total_slots = 1,
            model_path = $"/models/{model}.gguf",
            chat_template = "",
        });
    }

    private static async Task CompleteAsync(HttpContext context, bool chat)
    {
        var request = SimRequest.Of(context);
        var errors = ErrorStyle.OpenAi;
        if (await Misbehaviour.RefuseCompletionAsync(context, request, errors))
        {
            return;
        }

        if (await Wire.ReadObjectAsync(context) is not { } body)
        {
            await errors.BadRequestAsync(context, "The request body must be a JSON object.");
            return;
        }

        var model = request.Profile.Model;
        if (!request.Profile.IgnoreRequestedModel && body.String("model") is { } asked && asked != model)
        {
            await errors.WriteAsync(context, StatusCodes.Status404NotFound, $"The model `{asked}` does not exist.", "NotFoundError");
            return;
        }

        if (request.Profile.PromptCacheTtftMs is { } cachedTtft && request.Runtime.Prompts.Serve(Wire.PromptText(body)))
        {
            request = request with { Profile = request.Profile with { TtftMs = cachedTtft } };
        }

        var limit = (chat ? body.Int("max_completion_tokens") : null) ?? body.Int("max_tokens");
        var (tokens, limited) = request.TokenBudget(limit);
        var stream = body.Bool("stream") == true;
        var includeUsage = body.Property("stream_options") is { } options && options.Bool("include_usage") == true
            && !request.Profile.OmitUsage;
        var profile = request.Profile;
        var answer = new Answer(
            Id: (chat ? "chatcmpl-" : "cmpl-") + Wire.NewId(),
            Created: Wire.UnixNow(),
            Model: model,
            Tokens: profile.EmptyAnswer ? 0 : tokens,
            PromptTokens: Wire.EstimatePromptTokens(body),
            FinishReason: limited ? "length" : "stop");

        // The events a stream sends: the tokens; for an empty answer a role chunk and a finish chunk with no text; for a
        // stream error the tokens before it and then the error.
        var events = tokens;
        Func<int, string> tokenEvent = i => chat ? answer.ChatChunk(i) : answer.TextChunk(i);
        Func<IEnumerable<string>> tail = () => answer.StreamTail(chat, includeUsage);
        if (profile.EmptyAnswer)
        {
            events = 2;
            tokenEvent = i => answer.EmptyChunk(chat, i);
            tail = () => answer.StreamTail(chat, includeUsage, usageTokens: 1);
        }
        else if (profile.StreamErrorAfterTokens is { } after && after < tokens)
        {
            events = after + 1;
            tokenEvent = i => i < after ? (chat ? answer.ChatChunk(i) : answer.TextChunk(i)) : Answer.StreamError(profile.ErrorMessage);
            tail = () => [];
        }

        await TokenStream.RunAsync(context, request, new Generation(
            stream ? Framing.Sse : Framing.Json,
            events,
            answer.PromptTokens,
            TokenEvent: tokenEvent,
            Tail: tail,
            Whole: () => chat ? answer.ChatCompletion() : answer.TextCompletion()));
    }

    private sealed record Answer(string Id, long Created, string Model, int Tokens, int PromptTokens, string FinishReason)
    {
        /// <summary>An empty answer's chunks: 0 names the role with empty content, 1 only finishes.</summary>
        public string EmptyChunk(bool chat, int index) => chat
            ? Wire.Serialize(new
            {
                id = Id,
                @object = "chat.completion.chunk",
                created = Created,
                model = Model,
                choices = new[]
                {
                    index == 0
                        ? new { index = 0, delta = (object)new { role = "assistant", content = "" }, logprobs = (object?)null, finish_reason = (string?)null }
                        : new { index = 0, delta = (object)new { }, logprobs = (object?)null, finish_reason = (string?)"stop" },
                },
            })
            : Wire.Serialize(new
            {
                id = Id,
                @object = "text_completion",
                created = Created,
                model = Model,
                choices = new[] { new { index = 0, text = "", logprobs = (object?)null, finish_reason = index == 0 ? null : "stop" } },
            });

        /// <summary>The error event a server sends inside a stream it began with HTTP 200.</summary>
        public static string StreamError(string? message) =>
            Wire.Serialize(new { error = new { message = message ?? "Simulated error during generation.", type = "server_error", code = 500 } });

        private object Usage => new { prompt_tokens = PromptTokens, completion_tokens = Tokens, total_tokens = PromptTokens + Tokens };

        private string? FinishAt(int index) => index == Tokens - 1 ? FinishReason : null;

        public string ChatChunk(int index)
        {
            // The first chunk names the role, as vLLM's does; it is sent at TTFT with the first token.
            object delta = index == 0
                ? new { role = "assistant", content = Wire.Token(index) }
                : new { content = Wire.Token(index) };
            return Wire.Serialize(new
            {
                id = Id,
                @object = "chat.completion.chunk",
                created = Created,
                model = Model,
                choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = FinishAt(index) } },
            });
        }

        public string TextChunk(int index) => Wire.Serialize(new
        {
            id = Id,
            @object = "text_completion",
            created = Created,
            model = Model,
            choices = new[] { new { index = 0, text = Wire.Token(index), logprobs = (object?)null, finish_reason = FinishAt(index) } },
        });

        public IEnumerable<string> StreamTail(bool chat, bool includeUsage, int? usageTokens = null)
        {
            if (includeUsage)
            {
                yield return Wire.Serialize(new
                {
                    id = Id,
                    @object = chat ? "chat.completion.chunk" : "text_completion",
                    created = Created,
                    model = Model,
                    choices = Array.Empty<object>(),
                    usage = usageTokens is { } n ? new { prompt_tokens = PromptTokens, completion_tokens = n, total_tokens = PromptTokens + n } : Usage,
                });
            }

            yield return "[DONE]";
        }

        public string ChatCompletion() => Wire.Serialize(new
        {
            id = Id,
            @object = "chat.completion",
            created = Created,
            model = Model,
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content = Wire.Text(Tokens) }, logprobs = (object?)null, finish_reason = FinishReason },
            },
            usage = Usage,
        });

        public string TextCompletion() => Wire.Serialize(new
        {
            id = Id,
            @object = "text_completion",
            created = Created,
            model = Model,
            choices = new[] { new { index = 0, text = Wire.Text(Tokens), logprobs = (object?)null, finish_reason = FinishReason } },
            usage = Usage,
        });
    }
}
