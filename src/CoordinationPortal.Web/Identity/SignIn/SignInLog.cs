namespace CoordinationPortal.Web.Identity;

/// <summary>
/// The security log of sign-in: successes, failures, waits and sessions ended, as structured events (never a password).
/// <c>Account</c> is the address as typed (normalised), so attempts on unknown accounts are visible too.
/// </summary>
public static partial class SignInLog
{
    [LoggerMessage(EventId = 7201, EventName = "SignInSucceeded", Level = LogLevel.Information, Message = "Sign-in succeeded for {Account} from {Client}")]
    public static partial void Succeeded(ILogger logger, string account, string client);

    [LoggerMessage(EventId = 7202, EventName = "SignInFailed", Level = LogLevel.Warning, Message = "Sign-in failed for {Account} from {Client}: {Reason} ({Failures} in a row from this client)")]
    public static partial void Failed(ILogger logger, string account, string client, string reason, int failures);

    [LoggerMessage(EventId = 7203, EventName = "SignInDelayed", Level = LogLevel.Warning, Message = "Sign-in for {Account} from {Client} refused: wait {RetryAfterSeconds} s after repeated failures")]
    public static partial void Delayed(ILogger logger, string account, string client, int retryAfterSeconds);

    [LoggerMessage(EventId = 7204, EventName = "SignInClientThrottled", Level = LogLevel.Warning, Message = "Sign-in from {Client} refused: more than {PermitLimit} attempts in {Window}")]
    public static partial void ClientThrottled(ILogger logger, string client, int permitLimit, TimeSpan window);

    [LoggerMessage(EventId = 7205, EventName = "SignedOut", Level = LogLevel.Information, Message = "{Account} signed out; every session of the account ends")]
    public static partial void SignedOut(ILogger logger, string account);

    [LoggerMessage(EventId = 7206, EventName = "SessionEnded", Level = LogLevel.Information, Message = "A session of {Account} no longer stands (signed out, changed or disabled) and was ended ({Where})")]
    public static partial void SessionEnded(ILogger logger, string account, string where);

    [LoggerMessage(EventId = 7207, EventName = "AccountChanged", Level = LogLevel.Information, Message = "{Actor} changed {Account}: {Change}; its sessions end")]
    public static partial void AccountChanged(ILogger logger, string actor, string account, string change);

    [LoggerMessage(EventId = 7208, EventName = "AccountChangeNotAnnounced", Level = LogLevel.Warning, Message = "The change to account {UserId} was saved but not announced to the other portal processes; they notice it within the session cache's duration")]
    public static partial void AccountChangeNotAnnounced(ILogger logger, Exception error, string userId);
}
