using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CoordinationPortal.Simulator;

/// <summary>
/// The simulator's own API under <c>/_sim</c>: read and replace profiles, read and reset counters, and a
/// plain HTML page with one form per profile so a person demoing the portal can make an endpoint misbehave.
/// Unauthenticated on purpose (the simulator is a test tool bound to loopback by default), so no other web page may
/// drive it: see <see cref="Guard"/>.
/// </summary>
internal static class ControlSurface
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorState state)
    {
        routes.MapGet("/_sim", Guard(Caller.Reader, context => PageAsync(context, state)));
        routes.MapGet("/_sim/profiles", Guard(Caller.Reader, context => Wire.WriteAsync(
            context,
            StatusCodes.Status200OK,
            "application/json",
            JsonSerializer.Serialize(state.All.ToDictionary(pair => pair.Key, pair => pair.Value.Profile, StringComparer.Ordinal), Wire.ControlJson))));
        routes.MapGet("/_sim/profiles/{name}", Guard(Caller.Reader, context => GetProfileAsync(context, state)));
        routes.MapPut("/_sim/profiles/{name}", Guard(Caller.Json, context => PutProfileAsync(context, state)));
        routes.MapPost("/_sim/profiles/{name}/form", Guard(Caller.OwnPage, context => PostFormAsync(context, state)));
        routes.MapGet("/_sim/stats", Guard(Caller.Reader, context => StatsAsync(context, state)));
        routes.MapPost("/_sim/stats/reset", Guard(Caller.Json, context =>
        {
            state.ResetCounters();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }));
    }

    /// <summary>Who may make a control request.</summary>
    private enum Caller
    {
        /// <summary>Any reader addressing the simulator by an IP address or <c>localhost</c>.</summary>
        Reader,

        /// <summary>A program: <c>Content-Type: application/json</c>, which no HTML form can send and no other site's script can send without a CORS preflight (never answered here).</summary>
        Json,

        /// <summary>The control page's own form: a form body whose <c>Origin</c> (or, without it, <c>Referer</c>) is the simulator itself.</summary>
        OwnPage,
    }

    /// <summary>
    /// The control routes have no sign-in, so every one checks that no other web page is driving it. The host must be an
    /// IP address or <c>localhost</c> (a name would let a site whose name is made to resolve to the simulator pass as
    /// the simulator's own origin: DNS rebinding). A browser's <c>Sec-Fetch-Site</c>, when sent, must say same-origin,
    /// and an <c>Origin</c>, when sent, must be the simulator's own. Then a change must be JSON, or the control page's
    /// own form.
    /// </summary>
    private static RequestDelegate Guard(Caller caller, RequestDelegate handler) => context =>
    {
        var request = context.Request;
        if (!IsAddressedByIp(request.Host))
        {
            return ProblemAsync(context, StatusCodes.Status403Forbidden, "The control API answers only requests addressed to an IP address or localhost.");
        }

        if (caller == Caller.Reader)
        {
            return handler(context);
        }

        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        if ((fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none"))
            || (origin.Length > 0 && !IsOwnOrigin(origin, request)))
        {
            return ProblemAsync(context, StatusCodes.Status403Forbidden, "Cross-site requests may not change the simulator.");
        }

        if (caller == Caller.Json)
        {
            return IsJson(request.ContentType)
                ? handler(context)
                : ProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "Send Content-Type: application/json (the body may be empty where none is read).");
        }

        var fromOwnPage = origin.Length > 0 || (request.Headers.Referer.ToString() is { Length: > 0 } referer && IsOwnOrigin(referer, request));
        return request.HasFormContentType && fromOwnPage
            ? handler(context)
            : ProblemAsync(context, StatusCodes.Status403Forbidden, "This form is accepted from the simulator's own control page only.");
    };

    private static bool IsAddressedByIp(HostString host) =>
        host.HasValue && (host.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host.Host.Trim('[', ']'), out _));

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    private static bool IsOwnOrigin(string url, HttpRequest request) =>
        Uri.TryCreate(url, UriKind.Absolute, out var given)
        && Uri.TryCreate($"{request.Scheme}://{request.Host.Value}/", UriKind.Absolute, out var own)
        && string.Equals(given.Scheme, own.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(given.IdnHost, own.IdnHost, StringComparison.OrdinalIgnoreCase)
        && given.Port == own.Port;

    private static string Name(HttpContext context) => context.GetRouteValue("name") as string ?? "";

    private static Task ControlJsonAsync(HttpContext context, int status, object body) =>
        Wire.WriteAsync(context, status, "application/json", JsonSerializer.Serialize(body, Wire.ControlJson));

    private static Task ProblemAsync(HttpContext context, int status, string detail) =>
        ControlJsonAsync(context, status, new { status, error = detail });

    private static Task GetProfileAsync(HttpContext context, SimulatorState state)
    {
        var name = Name(context);
        return state.TryGet(name, out var runtime)
            ? ControlJsonAsync(context, StatusCodes.Status200OK, runtime.Profile)
            : ProblemAsync(context, StatusCodes.Status404NotFound, $"Unknown simulator profile '{name}'.");
    }

    private static async Task PutProfileAsync(HttpContext context, SimulatorState state)
    {
        var name = Name(context);
        SimulatorProfile? profile;
        try
        {
            profile = await JsonSerializer.DeserializeAsync<SimulatorProfile>(context.Request.Body, Wire.ControlJson, context.RequestAborted);
        }
        catch (JsonException exception)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, $"The body is not a simulator profile: {exception.Message}");
            return;
        }

        if (profile is null)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "The body must be a JSON object.");
            return;
        }

        if (!SimulatorState.IsValidName(name) || profile.Problems().Count > 0)
        {
            var problems = profile.Problems().ToList();
            if (!SimulatorState.IsValidName(name))
            {
                problems.Insert(0, "the profile name must be 1-64 letters, digits, '.', '_' or '-'");
            }

            await ControlJsonAsync(context, StatusCodes.Status400BadRequest, new { status = 400, error = "Invalid profile.", problems });
            return;
        }

        state.Set(name, profile);
        await ControlJsonAsync(context, StatusCodes.Status200OK, profile);
    }

    private static Task StatsAsync(HttpContext context, SimulatorState state) =>
        ControlJsonAsync(context, StatusCodes.Status200OK, new
        {
            profiles = state.All.ToDictionary(
                pair => pair.Key,
                pair => new
                {
                    requests = pair.Value.Requests,
                    inFlight = pair.Value.InFlight,
                    errors = pair.Value.Errors,
                    completions = pair.Value.Completions,
                    promptTokens = pair.Value.PromptTokens,
                    generationTokens = pair.Value.GenerationTokens,
                    routes = pair.Value.RouteCounts(),
                },
                StringComparer.Ordinal),
        });

    /// <summary>Applies the page's form to a profile: the main knobs change, the rest stay as they were.</summary>
    private static async Task PostFormAsync(HttpContext context, SimulatorState state)
    {
        var name = Name(context);
        if (!state.TryGet(name, out var runtime))
        {
            await ProblemAsync(context, StatusCodes.Status404NotFound, $"Unknown simulator profile '{name}'.");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var current = runtime.Profile;
        double Number(string key, double fallback) =>
            double.TryParse(form[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : fallback;
        int? OptionalInt(string key) =>
            int.TryParse(form[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
        bool Checked(string key) => form.ContainsKey(key);

        var updated = current with
        {
            TtftMs = Number("ttftMs", current.TtftMs),
            InterTokenMs = Number("interTokenMs", current.InterTokenMs),
            OutputTokens = (int)Number("outputTokens", current.OutputTokens),
            ErrorRate = Number("errorRate", current.ErrorRate),
            DripIntervalMs = OptionalInt("dripIntervalMs"),
            Loading = Checked("loading"),
            Hang = Checked("hang"),
            HangAfterFirstToken = Checked("hangAfterFirstToken"),
            Reset = Checked("reset"),
            MalformedStream = Checked("malformedStream"),
            OmitUsage = Checked("omitUsage"),
            WrongContentType = Checked("wrongContentType"),
        };

        var problems = updated.Problems();
        if (problems.Count > 0)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, string.Join("; ", problems));
            return;
        }

        state.Set(name, updated);
        context.Response.Redirect("/_sim", permanent: false, preserveMethod: false);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private static Task PageAsync(HttpContext context, SimulatorState state)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Inference simulator</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}fieldset{margin:0 0 1.5rem;padding:1rem}")
            .Append("label{display:inline-block;margin:0 1.25rem .5rem 0}input[type=number]{width:7rem}</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>Inference simulator</h1>\n<p>Each profile is served under <code>/p/{profile}/</code>; the root serves <code>default</code>. ")
            .Append("Counters: <a href=\"/_sim/stats\">/_sim/stats</a>. Profiles as JSON: <a href=\"/_sim/profiles\">/_sim/profiles</a>.</p>\n");

        foreach (var (name, runtime) in state.All)
        {
            var p = runtime.Profile;
            var id = html.Encode(name);
            page.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/_sim/profiles/{UrlEncoder.Default.Encode(name)}/form\">\n")
                .Append(CultureInfo.InvariantCulture, $"<fieldset><legend><h2>{id}</h2></legend>\n")
                .Append(CultureInfo.InvariantCulture, $"<p>Model <code>{html.Encode(p.Model)}</code>; {runtime.Requests} requests, {runtime.InFlight} in flight, {runtime.Errors} simulated errors.</p>\n");
            NumberField(page, id, "ttftMs", "Time to first token (ms)", p.TtftMs, "0", "any");
            NumberField(page, id, "interTokenMs", "Inter-token latency (ms)", p.InterTokenMs, "0", "any");
            NumberField(page, id, "outputTokens", "Output tokens", p.OutputTokens, "1", "1");
            NumberField(page, id, "errorRate", "Error rate (0 to 1)", p.ErrorRate, "0", "0.01", "1");
            NumberField(page, id, "dripIntervalMs", "Slow drip every (ms, empty = off)", p.DripIntervalMs, "1", "1");
            page.Append("<br>\n");
            CheckField(page, id, "loading", "Model loading", p.Loading);
            CheckField(page, id, "hang", "Hang", p.Hang);
            CheckField(page, id, "hangAfterFirstToken", "Hang after first token", p.HangAfterFirstToken);
            CheckField(page, id, "reset", "Reset connection", p.Reset);
            CheckField(page, id, "malformedStream", "Malformed stream", p.MalformedStream);
            CheckField(page, id, "omitUsage", "Omit usage", p.OmitUsage);
            CheckField(page, id, "wrongContentType", "Answer with HTML", p.WrongContentType);
            page.Append(CultureInfo.InvariantCulture, $"<br>\n<button type=\"submit\">Update {id}</button>\n</fieldset>\n</form>\n");
        }

        page.Append("</main>\n</body>\n</html>\n");
        // The page's forms change the simulator: no other site may frame it and trick a click.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Wire.WriteAsync(context, StatusCodes.Status200OK, "text/html; charset=utf-8", page.ToString());
    }

    private static void NumberField(StringBuilder page, string profileId, string key, string label, double? value, string min, string step, string? max = null)
    {
        var id = $"{profileId}-{key}";
        var shown = value?.ToString(CultureInfo.InvariantCulture) ?? "";
        var maximum = max is null ? "" : $" max=\"{max}\"";
        page.Append(CultureInfo.InvariantCulture, $"<label for=\"{id}\">{label}</label> <input type=\"number\" id=\"{id}\" name=\"{key}\" value=\"{shown}\" min=\"{min}\" step=\"{step}\"{maximum}>\n");
    }

    private static void CheckField(StringBuilder page, string profileId, string key, string label, bool value)
    {
        var id = $"{profileId}-{key}";
        var isChecked = value ? " checked" : "";
        page.Append(CultureInfo.InvariantCulture, $"<input type=\"checkbox\" id=\"{id}\" name=\"{key}\"{isChecked}> <label for=\"{id}\">{label}</label>\n");
    }
}
