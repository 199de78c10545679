namespace CoordinationPortal.Web.Identity;

/// <summary>The security log of two-factor authentication, beside the sign-in log's other events (never a code).</summary>
public static partial class SignInLog
{
    [LoggerMessage(EventId = 7211, EventName = "SecondFactorAsked", Level = LogLevel.Information, Message = "Password accepted for {Account} from {Client}; the second factor is asked for")]
    public static partial void SecondFactorAsked(ILogger logger, string account, string client);

    [LoggerMessage(EventId = 7212, EventName = "SecondFactorFailed", Level = LogLevel.Warning, Message = "Second factor refused for {Account} from {Client}: {Reason} ({Failures} in a row from this client)")]
    public static partial void SecondFactorFailed(ILogger logger, string account, string client, string reason, int failures);

    [LoggerMessage(EventId = 7213, EventName = "SecondFactorSucceeded", Level = LogLevel.Information, Message = "Sign-in with a second factor ({Kind}) succeeded for {Account} from {Client}")]
    public static partial void SecondFactorSucceeded(ILogger logger, string account, string client, string kind);

    [LoggerMessage(EventId = 7214, EventName = "TwoFactorChanged", Level = LogLevel.Information, Message = "{Account} changed two-factor authentication: {Change}")]
    public static partial void TwoFactorChanged(ILogger logger, string account, string change);

    [LoggerMessage(EventId = 7215, EventName = "TwoFactorHeld", Level = LogLevel.Information, Message = "{Account} must set up two-factor authentication first; {Path} was refused")]
    public static partial void TwoFactorHeld(ILogger logger, string account, string path);
}
