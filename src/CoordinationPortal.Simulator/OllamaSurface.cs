namespace CoordinationPortal.Simulator;

/// <summary>
/// Ollama's native API: <c>/</c>, <c>/api/version</c>, <c>/api/tags</c>, <c>/api/ps</c>, and
/// <c>/api/generate</c> / <c>/api/chat</c>, which stream NDJSON unless <c>"stream": false</c>.
/// </summary>
internal static class OllamaSurface
{
    private const long ModelBytes = 4_920_753_328;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.Read("/", context => Misbehaviour.ProbeAsync(
            context,
            new ProbeAnswer(StatusCodes.Status200OK, "text/plain; charset=utf-8", "Ollama is running"),
            ProbeAnswer.Json(StatusCodes.Status503ServiceUnavailable, new { error = ErrorStyle.Ollama.LoadingMessage })));
        routes.Read("/api/version", context => Wire.WriteJsonAsync(context, StatusCodes.Status200OK, new { version = "0.6.2" }));
        routes.Read("/api/tags", TagsAsync);
        routes.Read("/api/ps", RunningAsync);
        routes.Generate("/api/generate", context => GenerateAsync(context, chat: false));
        routes.Generate("/api/chat", context => GenerateAsync(context, chat: true));
    }

    private static object Details() => new
    {
        parent_model = "",
        format = "gguf",
        family = "llama",
        families = new[] { "llama" },
        parameter_size = "8.0B",
        quantization_level = "Q4_K_M",
    };

    private static Task TagsAsync(HttpContext context)
    {
        var model = SimRequest.Of(context).Profile.Model;
        return Wire.WriteJsonAsync(context, StatusCodes.Status200OK, new
        {
            models = new[]
            {
                new
                {
                    name = model,
                    model,
                    modified_at = "2025-03-14T09:26:53.5897Z",
                    size = ModelBytes,
                    digest = Wire.Digest(model),
                    details = Details(),
                },
            },
        });
    }

    private static Task RunningAsync(HttpContext context)
    {
        var profile = SimRequest.Of(context).Profile;
        var loaded = profile.Loading
            ? []
            : new[]
            {
                new
                {
                    name = profile.Model,
                    model = profile.Model,
                    size = ModelBytes + 1_073_741_824,
                    digest = Wire.Digest(profile.Model),
                    details = Details(),
                    expires_at = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    size_vram = ModelBytes + 1_073_741_824,
                },
            };
        return Wire.WriteJsonAsync(context, StatusCodes.Status200OK, new { models = loaded });
    }

    private static async Task GenerateAsync(HttpContext context, bool chat)
    {
        var request = SimRequest.Of(context);
        var errors = ErrorStyle.Ollama;
        if (await Misbehaviour.RefuseCompletionAsync(context, request, errors))
        {
            return;
        }

        if (await Wire.ReadObjectAsync(context) is not { } body)
        {
            await errors.BadRequestAsync(context, "invalid request body");
            return;
        }

        var model = request.Profile.Model;
        var asked = body.String("model");
        if (string.IsNullOrEmpty(asked))
        {
            await errors.BadRequestAsync(context, "model is required");
            return;
        }

        if (!SameModel(asked, model))
        {
            await errors.WriteAsync(context, StatusCodes.Status404NotFound, $"model \"{asked}\" not found, try pulling it first", "not_found");
            return;
        }

        var (tokens, limited) = request.TokenBudget(body.Property("options")?.Int("num_predict"));
        var promptTokens = Wire.EstimatePromptTokens(body);
        var stream = body.Bool("stream") ?? true;

        await TokenStream.RunAsync(context, request, new Generation(
            stream ? Framing.NdJson : Framing.Json,
            tokens,
            promptTokens,
            TokenEvent: i => chat
                ? Wire.Serialize(new { model = asked, created_at = CreatedAt(request, i), message = new { role = "assistant", content = Wire.Token(i) }, done = false })
                : Wire.Serialize(new { model = asked, created_at = CreatedAt(request, i), response = Wire.Token(i), done = false }),
            Tail: () => [Final(request, asked, chat, "", tokens, promptTokens, limited)],
            Whole: () => Final(request, asked, chat, Wire.Text(tokens), tokens, promptTokens, limited)));
    }

    /// <summary>Events are built just before they are due, so they are stamped with their due time.</summary>
    private static string CreatedAt(SimRequest request, int token) => Wire.Rfc3339(request.WallClockAt(request.TokenDue(token)));

    /// <summary>The closing object: what remains of the text and the timings, in nanoseconds, measured now.</summary>
    private static string Final(SimRequest request, string model, bool chat, string text, int tokens, int promptTokens, bool limited)
    {
        const long NanosecondsPerTick = 100;
        var total = request.Elapsed.Ticks * NanosecondsPerTick;
        var load = 1_500_000L;
        var promptEval = Math.Max(0, TimeSpan.FromMilliseconds(request.Profile.TtftMs).Ticks * NanosecondsPerTick - load);
        var eval = Math.Max(0, total - load - promptEval);
        var doneReason = limited ? "length" : "stop";
        return chat
            ? Wire.Serialize(new
            {
                model,
                created_at = Wire.Rfc3339(DateTimeOffset.UtcNow),
                message = new { role = "assistant", content = text },
                done_reason = doneReason,
                done = true,
                total_duration = total,
                load_duration = load,
                prompt_eval_count = promptTokens,
                prompt_eval_duration = promptEval,
                eval_count = tokens,
                eval_duration = eval,
            })
            : Wire.Serialize(new
            {
                model,
                created_at = Wire.Rfc3339(DateTimeOffset.UtcNow),
                response = text,
                done = true,
                done_reason = doneReason,
                context = Enumerable.Range(0, Math.Min(tokens, 8)).Select(Wire.TokenId).ToArray(),
                total_duration = total,
                load_duration = load,
                prompt_eval_count = promptTokens,
                prompt_eval_duration = promptEval,
                eval_count = tokens,
                eval_duration = eval,
            });
    }

    /// <summary>Ollama names default to the <c>latest</c> tag: <c>m</c> and <c>m:latest</c> are one model.</summary>
    private static bool SameModel(string asked, string served) =>
        WithTag(asked) == WithTag(served);

    private static string WithTag(string name) => name.Contains(':', StringComparison.Ordinal) ? name : name + ":latest";
}
