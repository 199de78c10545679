namespace CoordinationPortal.Domain.Security;

/// <summary>What a person typed at the second step: an authenticator app's code or one of their recovery codes.</summary>
public enum SecondFactorKind
{
    None,
    Authenticator,
    Recovery,
}

/// <summary>The typed second factor, cleaned up (spaces and dashes a phone app shows are not part of the code).</summary>
public sealed record SecondFactorInput(SecondFactorKind Kind, string Code);

/// <summary>
/// The rules of two-factor authentication, without I/O: who must have it, what counts as having passed it, and how a
/// typed code is read. A principal has passed a second factor when it carries the claim <see cref="AmrClaim"/> with the
/// value <see cref="MultiFactor"/>: the portal's own second step adds it, and an OpenID Connect sign-in adds it when the
/// provider reports that it asked for more than a password. One check serves both.
/// </summary>
public static class TwoFactorRules
{
    /// <summary>The claim type of authentication methods (RFC 8176), as ASP.NET Core Identity and OpenID Connect name it.</summary>
    public const string AmrClaim = "amr";

    /// <summary>The <see cref="AmrClaim"/> value that says a second factor was passed.</summary>
    public const string MultiFactor = "mfa";

    /// <summary>How many recovery codes a person gets at once.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>The digits of an authenticator code.</summary>
    public const int AuthenticatorDigits = 6;

    /// <summary>Whether someone with <paramref name="roles"/> must have a second factor, given the roles configured to need one.</summary>
    public static bool IsRequired(IEnumerable<string> roles, IReadOnlyCollection<string> requiredRoles) =>
        requiredRoles.Count > 0 && roles.Any(r => requiredRoles.Contains(r, StringComparer.OrdinalIgnoreCase));

    /// <summary>Whether the authentication methods of a principal include a second factor.</summary>
    public static bool HasPassedSecondFactor(IEnumerable<string> amrValues) =>
        amrValues.Any(v => string.Equals(v, MultiFactor, StringComparison.Ordinal));

    /// <summary>
    /// Whether a request must be held at enrolment: its user's role needs a second factor and this sign-in has not
    /// passed one.
    /// </summary>
    public static bool MustEnrol(IEnumerable<string> roles, IEnumerable<string> amrValues, IReadOnlyCollection<string> requiredRoles) =>
        IsRequired(roles, requiredRoles) && !HasPassedSecondFactor(amrValues);

    /// <summary>Whether two-factor authentication may be turned off: never while a role of the user requires it.</summary>
    /// <summary>
    /// How long an accepted authenticator code stays spent. The code of one 30-second step is accepted for a minute or
    /// two around it (clock drift), so a code seen over a shoulder or in a log could be replayed within that window;
    /// remembering the last accepted code for longer than the window makes each code single-use (RFC 6238, 5.2).
    /// </summary>
    public static readonly TimeSpan SpentCodeWindow = TimeSpan.FromMinutes(5);

    /// <summary>What is kept of the last accepted code: a digest of it (never the code) and when it was accepted.</summary>
    public static string SpentCodeMarker(string codeDigest, DateTimeOffset acceptedAt) =>
        $"{codeDigest}@{acceptedAt.ToUnixTimeSeconds()}";

    /// <summary>Whether a code (by its digest) was accepted already within <see cref="SpentCodeWindow"/>: then it is refused.</summary>
    public static bool IsSpent(string? marker, string codeDigest, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(marker) || marker.Split('@') is not [var digest, var seconds]
            || !long.TryParse(seconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var at))
        {
            return false;
        }

        return string.Equals(digest, codeDigest, StringComparison.Ordinal)
            && now - DateTimeOffset.FromUnixTimeSeconds(at) < SpentCodeWindow;
    }

    public static bool MayDisable(IEnumerable<string> roles, IReadOnlyCollection<string> requiredRoles) => !IsRequired(roles, requiredRoles);

    /// <summary>
    /// Reads a typed code: six digits (spaces and dashes ignored) are an authenticator code; anything else of a sane
    /// length is taken as a recovery code (Identity's are two groups of five letters and digits joined by a dash).
    /// </summary>
    public static SecondFactorInput Read(string? typed)
    {
        var trimmed = (typed ?? "").Trim();
        if (trimmed.Length is 0 or > 64)
        {
            return new SecondFactorInput(SecondFactorKind.None, "");
        }

        var compact = new string([.. trimmed.Where(c => c is not (' ' or '-'))]);
        if (compact.Length == AuthenticatorDigits && compact.All(char.IsAsciiDigit))
        {
            return new SecondFactorInput(SecondFactorKind.Authenticator, compact);
        }

        var recovery = new string([.. trimmed.Where(c => !char.IsWhiteSpace(c))]).ToUpperInvariant();
        return recovery.Length > 0 && recovery.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? new SecondFactorInput(SecondFactorKind.Recovery, recovery)
            : new SecondFactorInput(SecondFactorKind.None, "");
    }

    /// <summary>The authenticator key as people type it: groups of four, lower case ("abcd efgh …").</summary>
    public static string FormatKey(string key)
    {
        var parts = new List<string>();
        var clean = key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        for (var i = 0; i < clean.Length; i += 4)
        {
            parts.Add(clean.Substring(i, Math.Min(4, clean.Length - i)));
        }

        return string.Join(' ', parts);
    }

    /// <summary>
    /// The <c>otpauth://</c> address an authenticator app reads from the QR code (Google's key-URI format): issuer and
    /// account in the label and the issuer again as a parameter, the key in base32, six digits every 30 seconds.
    /// </summary>
    public static string AuthenticatorUri(string issuer, string account, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={Uri.EscapeDataString(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())}&issuer={Uri.EscapeDataString(issuer)}&digits={AuthenticatorDigits}&period=30";
}
