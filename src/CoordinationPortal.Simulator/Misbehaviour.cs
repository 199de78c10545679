using System.Diagnostics;
using System.Text;

namespace CoordinationPortal.Simulator;

/// <summary>Endpoint metadata: the route template a surface route is counted under, and whether it generates.</summary>
internal sealed record SurfaceRoute(string Template, bool IsCompletion);

/// <summary>How one server kind words its errors.</summary>
internal sealed record ErrorStyle(Func<int, string, string, object> Body, string LoadingMessage)
{
    /// <summary>vLLM / OpenAI / NIM / llama.cpp: <c>{"error":{"message","type","code"}}</c>.</summary>
    public static readonly ErrorStyle OpenAi = new(
        (status, message, type) => new { error = new { message, type, code = status } },
        "Loading model");

    /// <summary>Hugging Face TGI: <c>{"error","error_type"}</c>.</summary>
    public static readonly ErrorStyle Tgi = new(
        (_, message, type) => new { error = message, error_type = type },
        "Model is loading");

    /// <summary>Triton / KServe v2: <c>{"error"}</c>.</summary>
    public static readonly ErrorStyle Triton = new(
        (_, message, _) => new { error = message },
        "Model is loading: no versions of the model are available yet");

    /// <summary>Ollama: <c>{"error"}</c>.</summary>
    public static readonly ErrorStyle Ollama = new(
        (_, message, _) => new { error = message },
        "model is loading, try again shortly");

    public Task WriteAsync(HttpContext context, int status, string message, string type) =>
        Wire.WriteJsonAsync(context, status, Body(status, message, type));

    public Task LoadingAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, LoadingMessage, "unavailable_error");

    public Task FailureAsync(HttpContext context, string? message = null) =>
        WriteAsync(context, StatusCodes.Status500InternalServerError, message ?? "Simulated internal server error.", "InternalServerError");

    public Task BadRequestAsync(HttpContext context, string message) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, message, "BadRequestError");
}

/// <summary>A health or readiness answer.</summary>
internal sealed record ProbeAnswer(int Status, string ContentType, string Body)
{
    public static ProbeAnswer Json(int status, object body) => new(status, "application/json", Wire.Serialize(body));

    public static ProbeAnswer Empty(int status) => new(status, "text/plain", "");
}

/// <summary>The hostile knobs that are not about pacing tokens.</summary>
internal static class Misbehaviour
{
    private const int JunkChunkBytes = 64 * 1024;

    private const string HtmlPage =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in to continue</title></head>"
        + "<body><h1>Sign in to continue</h1><p>This network requires you to sign in before you can use it.</p>"
        + "<form method=\"post\" action=\"/login\"><label for=\"u\">User</label><input id=\"u\" name=\"u\">"
        + "<button>Sign in</button></form></body></html>\n";

    /// <summary>
    /// Middleware run after routing: resolves the profile of a surface route (404 when unknown), counts the
    /// request, applies the knobs that hit every route (RedirectTo, Reset, Hang) and makes the request's
    /// abort token also fire when the simulator stops, so no work outlives the client or the host.
    /// </summary>
    public static async Task GateAsync(HttpContext context, RequestDelegate next, SimulatorState state, CancellationToken stopping)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<SurfaceRoute>();
        if (route is null)
        {
            await next(context);
            return;
        }

        var name = context.GetRouteValue("profile") as string ?? SimulatorState.DefaultProfileName;
        if (!state.TryGet(name, out var runtime))
        {
            await ErrorStyle.OpenAi.WriteAsync(context, StatusCodes.Status404NotFound, $"Unknown simulator profile '{name}'.", "NotFoundError");
            return;
        }

        var arrival = context.Features.Get<RequestArrival>()?.Timestamp ?? Stopwatch.GetTimestamp();
        var request = new SimRequest(runtime, runtime.Profile, arrival);
        context.Features.Set(request);
        runtime.CountRequest(route.Template);

        var clientAborted = context.RequestAborted;
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, stopping);
        context.RequestAborted = aborted.Token;
        if (route.IsCompletion)
        {
            runtime.BeginCompletion();
        }

        try
        {
            var profile = request.Profile;
            if (profile.RequireApiKey is { } key && context.Request.Headers.Authorization.ToString() != "Bearer " + key)
            {
                await ErrorStyle.OpenAi.WriteAsync(context, StatusCodes.Status401Unauthorized, "Missing or invalid API key.", "AuthenticationError");
            }
            else if (profile.RedirectTo is { } location)
            {
                context.Response.Redirect(location);
            }
            else if (profile.Reset)
            {
                context.Abort();
            }
            else if (profile.Hang)
            {
                await Pacing.WaitForeverAsync(context.RequestAborted);
            }
            else
            {
                await next(context);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up or the simulator is stopping: cut the connection rather than let the
            // server complete a response the simulation never finished.
            context.Abort();
        }
        finally
        {
            context.RequestAborted = clientAborted;
            if (route.IsCompletion)
            {
                runtime.EndCompletion();
            }
        }
    }

    /// <summary>Answers a health or readiness route: loading, huge, or healthy.</summary>
    public static Task ProbeAsync(HttpContext context, ProbeAnswer healthy, ProbeAnswer loading)
    {
        var profile = SimRequest.Of(context).Profile;
        var answer = profile.Loading ? loading : healthy;
        if (!profile.Loading && profile.HugeBodyBytes is { } huge)
        {
            context.Response.StatusCode = healthy.Status;
            context.Response.ContentType = healthy.ContentType;
            return WriteJunkAsync(context, "{\"status\":\"ok\",\"junk\":\"", "\"}", huge);
        }

        return Wire.WriteAsync(context, answer.Status, answer.ContentType, answer.Body);
    }

    /// <summary>
    /// The knobs that refuse a completion before any generation: Loading (503), ErrorRate (500 on a
    /// deterministic sequence) and WrongContentType (200 text/html). Returns true when it answered.
    /// </summary>
    public static async Task<bool> RefuseCompletionAsync(HttpContext context, SimRequest request, ErrorStyle style)
    {
        var profile = request.Profile;
        if (profile.Loading)
        {
            await style.LoadingAsync(context);
            return true;
        }

        if (request.Runtime.NextCompletionFails(profile.ErrorRate))
        {
            await style.FailureAsync(context, profile.ErrorMessage);
            return true;
        }

        if (profile.WrongContentType)
        {
            await Wire.WriteAsync(context, StatusCodes.Status200OK, "text/html; charset=utf-8", HtmlPage);
            return true;
        }

        return false;
    }

    /// <summary>Writes prefix, filler and suffix, about <paramref name="totalBytes"/> in all, flushing each 64 KiB.</summary>
    public static async Task WriteJunkAsync(HttpContext context, string prefix, string suffix, long totalBytes)
    {
        var body = context.Response.Body;
        var cancellationToken = context.RequestAborted;
        await body.WriteAsync(Encoding.UTF8.GetBytes(prefix), cancellationToken);
        var filler = new byte[JunkChunkBytes];
        Array.Fill(filler, (byte)'x');
        for (var left = totalBytes - prefix.Length - suffix.Length; left > 0; left -= filler.Length)
        {
            await body.WriteAsync(filler.AsMemory(0, (int)Math.Min(left, filler.Length)), cancellationToken);
            await body.FlushAsync(cancellationToken);
        }

        await body.WriteAsync(Encoding.UTF8.GetBytes(suffix), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
