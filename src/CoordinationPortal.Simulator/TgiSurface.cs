namespace CoordinationPortal.Simulator;

/// <summary>
/// Hugging Face Text Generation Inference: <c>/info</c>, <c>/generate</c> and <c>/generate_stream</c>.
/// (<c>/health</c> and the Messages API at <c>/v1/chat/completions</c> are the OpenAI surface's.)
/// </summary>
internal static class TgiSurface
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.Read("/info", InfoAsync);
        routes.Generate("/generate", context => GenerateAsync(context, stream: false));
        routes.Generate("/generate_stream", context => GenerateAsync(context, stream: true));
    }

    private static Task InfoAsync(HttpContext context)
    {
        var model = SimRequest.Of(context).Profile.Model;
        return Wire.WriteJsonAsync(context, StatusCodes.Status200OK, new
        {
            model_id = model,
            model_sha = (string?)null,
            model_dtype = "torch.float16",
            model_device_type = "cuda",
            model_pipeline_tag = "text-generation",
            max_concurrent_requests = 128,
            max_best_of = 2,
            max_stop_sequences = 4,
            max_input_tokens = 4095,
            max_total_tokens = 4096,
            validation_workers = 2,
            max_client_batch_size = 4,
            router = "text-generation-router",
            version = "3.0.1",
            sha = (string?)null,
            docker_label = (string?)null,
        });
    }

    private static async Task GenerateAsync(HttpContext context, bool stream)
    {
        var request = SimRequest.Of(context);
        var errors = ErrorStyle.Tgi;
        if (await Misbehaviour.RefuseCompletionAsync(context, request, errors))
        {
            return;
        }

        if (await Wire.ReadObjectAsync(context) is not { } body)
        {
            await errors.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "Failed to deserialize the JSON body into the target type.", "validation");
            return;
        }

        var parameters = body.Property("parameters");
        var (tokens, limited) = request.TokenBudget(parameters?.Int("max_new_tokens"));
        var promptTokens = Wire.EstimatePromptTokens(body);
        var finishReason = limited ? "length" : "eos_token";
        var withDetails = parameters?.Bool("details") == true;

        await TokenStream.RunAsync(context, request, new Generation(
            stream ? Framing.TgiSse : Framing.Json,
            tokens,
            promptTokens,
            TokenEvent: i =>
            {
                var last = i == tokens - 1;
                return Wire.Serialize(new
                {
                    index = i + 1,
                    token = Token(i),
                    generated_text = last ? Wire.Text(tokens) : null,
                    details = last ? new { finish_reason = finishReason, generated_tokens = tokens, seed = (long?)null, input_length = promptTokens } : null,
                    top_tokens = (object?)null,
                });
            },
            Tail: () => [],
            Whole: () => withDetails
                ? Wire.Serialize(new
                {
                    generated_text = Wire.Text(tokens),
                    details = new
                    {
                        finish_reason = finishReason,
                        generated_tokens = tokens,
                        seed = (long?)null,
                        prefill = Array.Empty<object>(),
                        tokens = Enumerable.Range(0, tokens).Select(Token).ToArray(),
                    },
                })
                : Wire.Serialize(new { generated_text = Wire.Text(tokens) })));
    }

    private static object Token(int index) =>
        new { id = Wire.TokenId(index), text = Wire.Token(index), logprob = Math.Round(-0.1 - (index % 7) * 0.05, 2), special = false };
}
