namespace CoordinationPortal.Domain.Security;

/// <summary>
/// How long one client must wait before it may try an account again after failed sign-ins. The first
/// <see cref="FreeFailures"/> failures cost nothing (typing mistakes); each one after doubles the wait, from
/// <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>. Nothing is ever locked for good, so an attacker's guesses
/// cannot keep the account's owner out: the wait belongs to the client that failed, not to the account.
/// </summary>
public sealed record SignInBackoff(int FreeFailures, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static SignInBackoff Default { get; } = new(3, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    /// <summary>The wait after <paramref name="failures"/> consecutive failures (zero while they are free).</summary>
    public TimeSpan DelayAfter(int failures)
    {
        var paid = failures - Math.Max(0, FreeFailures);
        if (paid <= 0 || FirstDelay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // Doubling from the first delay; the exponent is capped so the multiplication cannot overflow.
        var factor = Math.Pow(2, Math.Min(paid - 1, 30));
        var ticks = Math.Min(FirstDelay.Ticks * factor, Math.Max(FirstDelay.Ticks, MaxDelay.Ticks));
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// How long the client must still wait at <paramref name="now"/>, given its consecutive failures and the time of
    /// the last one; zero when it may try.
    /// </summary>
    public TimeSpan RemainingWait(int failures, DateTimeOffset lastFailure, DateTimeOffset now)
    {
        var until = lastFailure + DelayAfter(failures);
        return until > now ? until - now : TimeSpan.Zero;
    }
}
