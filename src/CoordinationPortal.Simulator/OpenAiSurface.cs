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
        return Wire.WriteJsonAsync(context, StatusCodes.Status200OK, new
        {
            @object = "list",
            data = new[]
            {
                new { id = model, @object = "model", created = Wire.UnixNow(), owned_by = "simulator", root = model, max_model_len = 4096 },
            },
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
        if (body.String("model") is { } asked && asked != model)
        {
            await errors.WriteAsync(context, StatusCodes.Status404NotFound, $"The model `{asked}` does not exist.", "NotFoundError");
            return;
        }

        var limit = (chat ? body.Int("max_completion_tokens") : null) ?? body.Int("max_tokens");
        var (tokens, limited) = request.TokenBudget(limit);
        var stream = body.Bool("stream") == true;
        var includeUsage = body.Property("stream_options") is { } options && options.Bool("include_usage") == true
            && !request.Profile.OmitUsage;
        var answer = new Answer(
            Id: (chat ? "chatcmpl-" : "cmpl-") + Wire.NewId(),
            Created: Wire.UnixNow(),
            Model: model,
            Tokens: tokens,
            PromptTokens: Wire.EstimatePromptTokens(body),
            FinishReason: limited ? "length" : "stop");

        await TokenStream.RunAsync(context, request, new Generation(
            stream ? Framing.Sse : Framing.Json,
            tokens,
            answer.PromptTokens,
            TokenEvent: i => chat ? answer.ChatChunk(i) : answer.TextChunk(i),
            Tail: () => answer.StreamTail(chat, includeUsage),
            Whole: () => chat ? answer.ChatCompletion() : answer.TextCompletion()));
    }

    private sealed record Answer(string Id, long Created, string Model, int Tokens, int PromptTokens, string FinishReason)
    {
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

        public IEnumerable<string> StreamTail(bool chat, bool includeUsage)
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
                    usage = Usage,
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
