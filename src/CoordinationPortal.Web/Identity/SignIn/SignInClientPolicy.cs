using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// The sign-in form's per-client limit (ASP.NET Core rate limiting): every <c>POST</c> from one client counts, whichever
/// account it names, so one address cannot spray guesses across accounts. A refused post is sent back to the form
/// (303, with <c>Retry-After</c>), which explains in the user's language why and for how long.
/// </summary>
public sealed class SignInClientPolicy(IOptionsMonitor<SignInSettings> settings, ILogger<SignInClientPolicy> log) : IRateLimiterPolicy<string>
{
    public const string Name = "sign-in";

    /// <summary>The form's query flag that says the last post was refused by this limit.</summary>
    public const string ThrottledFlag = "throttled";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        if (!HttpMethods.IsPost(httpContext.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("-");
        }

        var s = settings.CurrentValue;
        return RateLimitPartition.GetSlidingWindowLimiter(ClientOf(httpContext), _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, s.PerClientPermitLimit),
            Window = s.PerClientWindow > TimeSpan.Zero ? s.PerClientWindow : TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>
    /// The client a limit applies to: its IP address (as the forwarded-headers middleware left it), IPv6 by /64 since one
    /// host may hold a whole /64.
    /// </summary>
    public static string ClientOf(HttpContext httpContext)
    {
        var address = httpContext.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }

    private ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var s = settings.CurrentValue;
        SignInLog.ClientThrottled(log, ClientOf(http), s.PerClientPermitLimit, s.PerClientWindow);
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : s.PerClientWindow / 6;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var returnUrl = http.Request.Query["ReturnUrl"].ToString();
        var target = $"{http.Request.PathBase}/account/login?{ThrottledFlag}=1"
            + (returnUrl.Length > 0 ? "&ReturnUrl=" + Uri.EscapeDataString(returnUrl) : "");
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = target;
        return ValueTask.CompletedTask;
    }
}
