using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Web.Forum.Links;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Kernel.Errors;
using CoordinationPortal.Web.Localization;

namespace CoordinationPortal.Web.Forum.Screen;

/// <summary>
/// <c>GET /forum/{sessionId}/screen/events</c>: the room screen's live feed, as Server-Sent Events. Anonymous at the
/// door (a TV opened through a screen link has no account) and checked with <see cref="ScreenAccess"/> itself: a denial
/// is a plain 401/403/404 with a bilingual line, never a stream. Once open it sends the current render, then every
/// push of <see cref="ScreenBroadcaster"/> (event <c>screen</c>), a <c>heartbeat</c> every 15 s so proxies keep the
/// connection, and <c>closed</c> (the reason, in both languages) when access ends: access is checked again on every
/// screen-link change of the session, every 10 s, and when the access check said it expires.
/// </summary>
internal static class ScreenEvents
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(10);

    public const string ScreenEvent = "screen";
    public const string ClosedEvent = "closed";
    public const string HeartbeatEvent = "heartbeat";

    public static void Map(WebApplication app) =>
        app.MapGet("/forum/{sessionId:guid}/screen/events", OpenAsync).AllowAnonymous().ExcludeFromDescription();

    /// <summary>The bilingual line for a denial, as the page, the stream's refusal and its <c>closed</c> event say it.</summary>
    public static (string En, string Hi) Reason(PortalStrings strings, ScreenDenial denial)
    {
        ArgumentNullException.ThrowIfNull(strings);
        var key = $"Screen.Denied.{denial}";
        return (strings.Find(key, LocalizationFeature.Supported[0]) ?? key, strings.Find(key, LocalizationFeature.Supported[1]) ?? key);
    }

    public static int StatusOf(ScreenDenial? denial) => denial switch
    {
        ScreenDenial.NotFound => StatusCodes.Status404NotFound,
        ScreenDenial.SignInRequired => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status403Forbidden,
    };

    private static async Task<IResult> OpenAsync(Guid sessionId, string? link, HttpContext http, ScreenAccess access, ScreenBroadcaster broadcaster, PortalStrings strings)
    {
        var result = await access.CheckAsync(http.User, sessionId, link, http.RequestAborted);
        if (!result.Allowed)
        {
            var (en, hi) = Reason(strings, result.Denial ?? ScreenDenial.Forbidden);
            return TypedResults.Text($"{en}\n{hi}\n", "text/plain; charset=utf-8", statusCode: StatusOf(result.Denial));
        }

        http.Response.Headers["X-Accel-Buffering"] = "no"; // a proxy that buffers would hold the pushes back
        var scopes = http.RequestServices.GetRequiredService<IServiceScopeFactory>();
        // The stream ends when the client goes away or the portal stops (a server shutting down does not wait for screens).
        var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var ends = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        http.Response.RegisterForDispose(ends);
        return TypedResults.ServerSentEvents(StreamAsync(sessionId, link, http, result.ExpiresAt, scopes, broadcaster, strings, ends.Token));
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        Guid sessionId,
        string? link,
        HttpContext http,
        DateTimeOffset? expiresAt,
        IServiceScopeFactory scopes,
        ScreenBroadcaster broadcaster,
        PortalStrings strings,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var time = TimeProvider.System;
        using var connection = broadcaster.Connect(sessionId, Origin(http.Request));
        var nextHeartbeat = time.GetUtcNow() + Heartbeat;
        var nextCheck = NextCheck(time.GetUtcNow(), expiresAt);
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var wait = (nextHeartbeat < nextCheck ? nextHeartbeat : nextCheck) - now;
            if (!await WaitAsync(connection, wait, ct))
            {
                yield break;
            }

            now = time.GetUtcNow();
            if (connection.TakeRecheck() || now >= nextCheck)
            {
                var check = await RecheckAsync(scopes, http, sessionId, link, ct);
                if (check is { Allowed: false })
                {
                    yield return new SseItem<string>(Closed(strings, check.Denial ?? ScreenDenial.Forbidden), ClosedEvent);
                    yield break;
                }

                nextCheck = NextCheck(now, check?.ExpiresAt ?? expiresAt);
            }

            if (connection.TakeRender() is { } html)
            {
                yield return new SseItem<string>(html, ScreenEvent) { ReconnectionInterval = TimeSpan.FromSeconds(2) };
                nextHeartbeat = now + Heartbeat;
            }

            if (now >= nextHeartbeat)
            {
                yield return new SseItem<string>(now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), HeartbeatEvent);
                nextHeartbeat = now + Heartbeat;
            }
        }
    }

    private static DateTimeOffset NextCheck(DateTimeOffset now, DateTimeOffset? expiresAt)
    {
        var next = now + RecheckEvery;
        return expiresAt is { } expires && expires < next ? (expires > now ? expires : now + TimeSpan.FromMilliseconds(100)) : next;
    }

    /// <summary>False when the client went away.</summary>
    private static async Task<bool> WaitAsync(ScreenBroadcaster.ScreenConnection connection, TimeSpan wait, CancellationToken ct)
    {
        try
        {
            if (wait > TimeSpan.Zero)
            {
                await connection.WaitAsync(wait, ct);
            }

            return !ct.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Access checked again in a scope of its own (fresh reads); null when the database could not answer, which keeps the
    /// screen open. The request's sign-in was checked once, when the stream opened; a stream lives for hours, so the
    /// session is checked again here as open pages check theirs (<see cref="SessionStamp"/>): a viewer who signed out,
    /// changed password or was disabled counts as signed out from then on (a link they hold still counts).
    /// </summary>
    private static async Task<ScreenAccessResult?> RecheckAsync(IServiceScopeFactory scopes, HttpContext http, Guid sessionId, string? link, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var user = http.User;
            if (user.Identity?.IsAuthenticated == true && !await scope.ServiceProvider.GetRequiredService<SessionStamp>().IsCurrentAsync(user, ct))
            {
                user = new ClaimsPrincipal(new ClaimsIdentity());
            }

            return await scope.ServiceProvider.GetRequiredService<ScreenAccess>().CheckAsync(user, sessionId, link, ct);
        }
        catch (Exception e) when (DatabaseOutage.Is(e))
        {
            return null;
        }
    }

    private static string Closed(PortalStrings strings, ScreenDenial denial)
    {
        var (en, hi) = Reason(strings, denial);
        return JsonSerializer.Serialize(new Dictionary<string, string> { ["code"] = denial.ToString(), ["en"] = en, ["hi"] = hi });
    }

    /// <summary>The portal's address as this request reached it.</summary>
    public static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
