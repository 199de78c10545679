using CoordinationPortal.Domain.Security;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// Sign-in limits, from <c>Security:SignIn</c>. Two layers: every sign-in form post from one client (IP address) counts
/// against <see cref="PerClientPermitLimit"/> per <see cref="PerClientWindow"/> (ASP.NET Core rate limiting), and a
/// client's failures on one account cost a growing wait (<see cref="Backoff"/>) before it may try that account again.
/// </summary>
public sealed class SignInSettings
{
    public const string Section = "Security:SignIn";

    /// <summary>Sign-in posts one client may make in <see cref="PerClientWindow"/>, whatever the accounts.</summary>
    public int PerClientPermitLimit { get; set; } = 30;

    public TimeSpan PerClientWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failures on one account from one client that cost nothing.</summary>
    public int FreeFailures { get; set; } = SignInBackoff.Default.FreeFailures;

    /// <summary>The wait after the first failure past the free ones; it doubles with each further failure.</summary>
    public TimeSpan FirstDelay { get; set; } = SignInBackoff.Default.FirstDelay;

    public TimeSpan MaxDelay { get; set; } = SignInBackoff.Default.MaxDelay;

    /// <summary>A client's failures on an account are forgotten this long after the last one.</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(1);

    public SignInBackoff Backoff => new(FreeFailures, FirstDelay, MaxDelay);
}

/// <summary>Signed-in sessions, from <c>Security:Sessions</c>.</summary>
public sealed class SessionSettings
{
    public const string Section = "Security:Sessions";

    /// <summary>
    /// How often an open interactive page (a Blazor circuit) checks that its user's session still stands: not signed out,
    /// no password or role change, not disabled. Every HTTP request checks at once.
    /// </summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a request may rely on the account's security stamp as last read, rather than reading it again. A change
    /// to an account (sign-out, role, disabling) forgets it at once in the process that made it and, through the change
    /// feed, within moments in every other one; this is the bound if another process's notice never arrives. Zero reads
    /// the stamp on every request.
    /// </summary>
    public TimeSpan StampCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
