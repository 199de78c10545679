using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Identity;

public enum SignInStatus
{
    Succeeded,
    Failed,
    Wait,

    /// <summary>The password was right; the account's second factor is asked for next (<see cref="TwoFactor.TwoFactorSignIn"/>).</summary>
    SecondFactor,

    /// <summary>The second step came after its two-factor cookie ended (or without one): start again with the password.</summary>
    Expired,
}

public sealed record SignInAttempt(SignInStatus Status, TimeSpan RetryAfter)
{
    public static SignInAttempt Succeeded { get; } = new(SignInStatus.Succeeded, TimeSpan.Zero);
    public static SignInAttempt Failed { get; } = new(SignInStatus.Failed, TimeSpan.Zero);
}

/// <summary>
/// Password sign-in without giving away which accounts exist: an unknown account, a wrong password and a disabled
/// account get the same answer, and each costs one password hash (unknown accounts are checked against a throwaway
/// hash), so the answer's timing says nothing either. Failures slow down only the client that made them
/// (<see cref="SignInThrottle"/>); nothing locks an account. Every outcome is logged (<see cref="SignInLog"/>).
/// </summary>
public sealed class PortalSignIn(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    SignInThrottle throttle,
    UnknownAccountHash unknownAccount,
    TwoFactor.TwoFactorSignIn twoFactor,
    ILogger<PortalSignIn> log)
{
    public async Task<SignInAttempt> SignInAsync(string email, string password, string client)
    {
        // No address is longer than 254 characters; the cut keeps a flood of huge names out of the throttle and the log.
        var typed = email.Trim() is { Length: > 254 } tooLong ? tooLong[..254] : email.Trim();
        var account = users.NormalizeName(typed) ?? typed;
        var wait = throttle.RemainingWait(account, client);
        if (wait > TimeSpan.Zero)
        {
            SignInLog.Delayed(log, account, client, (int)Math.Ceiling(wait.TotalSeconds));
            return new SignInAttempt(SignInStatus.Wait, wait);
        }

        var user = await users.FindByNameAsync(typed);
        string? refusal;
        if (user?.PasswordHash is null)
        {
            unknownAccount.Verify(password);
            refusal = user is null ? "unknown account" : "no password";
        }
        else if (!await users.CheckPasswordAsync(user, password))
        {
            refusal = "wrong password";
        }
        else
        {
            // Checked after the password, so a disabled account answers like any other failure, in the same time.
            refusal = await users.IsLockedOutAsync(user) ? "account disabled" : null;
        }

        if (refusal is not null || user is null)
        {
            var failures = throttle.RecordFailure(account, client);
            SignInLog.Failed(log, account, client, refusal ?? "unknown account", failures);
            return SignInAttempt.Failed;
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            // No session yet, and the client's failures are kept: only the second step's success clears them.
            await twoFactor.BeginAsync(user, account, client);
            return new SignInAttempt(SignInStatus.SecondFactor, TimeSpan.Zero);
        }

        throttle.RecordSuccess(account, client);
        await signIn.SignInAsync(user, isPersistent: false);
        SignInLog.Succeeded(log, account, client);
        return SignInAttempt.Succeeded;
    }
}

/// <summary>
/// A hash of a random secret, made once with the hasher settings real accounts use, for checking passwords of unknown
/// accounts in the time a real check takes.
/// </summary>
public sealed class UnknownAccountHash
{
    private readonly PasswordHasher<PortalUser> _hasher;
    private readonly PortalUser _nobody = new();
    private readonly Lazy<string> _hash;

    public UnknownAccountHash(Microsoft.Extensions.Options.IOptions<PasswordHasherOptions> options)
    {
        _hasher = new PasswordHasher<PortalUser>(options);
        _hash = new(() => _hasher.HashPassword(_nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));
    }

    public void Verify(string password) => _ = _hasher.VerifyHashedPassword(_nobody, _hash.Value, password);
}
