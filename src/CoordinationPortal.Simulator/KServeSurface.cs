namespace CoordinationPortal.Simulator;

/// <summary>
/// KServe v2 / NVIDIA Triton: server and model health, model metadata, and Triton's generate extension
/// (<c>generate</c> and <c>generate_stream</c>).
/// </summary>
internal static class KServeSurface
{
    private const string Version = "1";

    private static readonly string[] Extensions =
    [
        "classification", "sequence", "model_repository", "model_configuration", "system_shared_memory",
        "cuda_shared_memory", "binary_tensor_data", "parameters", "statistics", "trace", "logging", "generate",
    ];

    private static readonly string[] Versions = [Version];
    private static readonly int[] OneElement = [1];
    private static readonly int[] AnyLength = [-1];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.Read("/v2", ServerMetadataAsync);
        routes.Read("/v2/health/live", ServerHealthAsync);
        routes.Read("/v2/health/ready", ServerHealthAsync);
        routes.Read("/v2/models/{model}", ModelMetadataAsync);
        routes.Read("/v2/models/{model}/ready", ModelReadyAsync);
        routes.Generate("/v2/models/{model}/generate", context => GenerateAsync(context, stream: false));
        routes.Generate("/v2/models/{model}/generate_stream", context => GenerateAsync(context, stream: true));
    }

    private static Task ServerMetadataAsync(HttpContext context) =>
        Wire.WriteJsonAsync(context, StatusCodes.Status200OK, new
        {
            name = "triton",
            version = "2.55.0",
            extensions = Extensions,
        });

    private static Task ServerHealthAsync(HttpContext context) =>
        Misbehaviour.ProbeAsync(
            context,
            ProbeAnswer.Empty(StatusCodes.Status200OK),
            ProbeAnswer.Json(StatusCodes.Status503ServiceUnavailable, new { error = ErrorStyle.Triton.LoadingMessage }));

    private static Task ModelReadyAsync(HttpContext context)
    {
        var profile = SimRequest.Of(context).Profile;
        var asked = RequestedModel(context);
        if (asked != profile.Model)
        {
            return UnknownModelAsync(context, asked);
        }

        return Misbehaviour.ProbeAsync(
            context,
            ProbeAnswer.Empty(StatusCodes.Status200OK),
            ProbeAnswer.Json(StatusCodes.Status503ServiceUnavailable, new { error = $"Model '{asked}' is not ready: loading" }));
    }

    private static Task ModelMetadataAsync(HttpContext context)
    {
        var asked = RequestedModel(context);
        if (asked != SimRequest.Of(context).Profile.Model)
        {
            return UnknownModelAsync(context, asked);
        }

        return Wire.WriteJsonAsync(context, StatusCodes.Status200OK, new
        {
            name = asked,
            versions = Versions,
            platform = "python",
            inputs = new[]
            {
                new { name = "text_input", datatype = "BYTES", shape = OneElement },
                new { name = "stream", datatype = "BOOL", shape = OneElement },
                new { name = "max_tokens", datatype = "INT32", shape = OneElement },
            },
            outputs = new[] { new { name = "text_output", datatype = "BYTES", shape = AnyLength } },
        });
    }

    private static async Task GenerateAsync(HttpContext context, bool stream)
    {
        var request = SimRequest.Of(context);
        var errors = ErrorStyle.Triton;
        var model = RequestedModel(context);
        if (model != request.Profile.Model)
        {
            await UnknownModelAsync(context, model);
            return;
        }

        if (await Misbehaviour.RefuseCompletionAsync(context, request, errors))
        {
            return;
        }

        if (await Wire.ReadObjectAsync(context) is not { } body)
        {
            await errors.BadRequestAsync(context, "failed to parse the request JSON buffer: The document is empty.");
            return;
        }

        var (tokens, _) = request.TokenBudget(body.Int("max_tokens") ?? body.Property("parameters")?.Int("max_tokens"));
        await TokenStream.RunAsync(context, request, new Generation(
            stream ? Framing.Sse : Framing.Json,
            tokens,
            Wire.EstimatePromptTokens(body),
            TokenEvent: i => Wire.Serialize(new { model_name = model, model_version = Version, text_output = Wire.Token(i) }),
            Tail: () => [],
            Whole: () => Wire.Serialize(new { model_name = model, model_version = Version, text_output = Wire.Text(tokens) })));
    }

    private static string RequestedModel(HttpContext context) => context.GetRouteValue("model") as string ?? "";

    private static Task UnknownModelAsync(HttpContext context, string model) =>
        Wire.WriteJsonAsync(context, StatusCodes.Status404NotFound, new { error = $"Request for unknown model: '{model}' is not found" });
}
