using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CoordinationPortal.Web.Forum.Links;

/// <summary>What a screen-link token says: which link, which session, and until when it was signed to work.</summary>
public sealed record ScreenLinkClaim(Guid LinkId, Guid SessionId, DateTimeOffset ExpiresAt);

/// <summary>
/// Signs and reads screen-link tokens with the portal's Data Protection key ring (kept in PostgreSQL, so every portal
/// process reads what another signed). A token is authenticated and encrypted: it cannot be forged or altered, it
/// names one link and one session, and the portal stores only the link's record, never the token. A key-ring rotation
/// keeps old tokens readable until their keys expire.
/// </summary>
public sealed class ScreenLinkTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("CoordinationPortal.Forum.ScreenLink.v1");

    public string Issue(Guid linkId, Guid sessionId, DateTimeOffset expiresAt) =>
        _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{linkId:N}|{sessionId:N}|{expiresAt.ToUnixTimeSeconds()}"));

    /// <summary>The token's claim, or null for anything the portal did not sign (or that was altered).</summary>
    public ScreenLinkClaim? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1024)
        {
            return null;
        }

        string plain;
        try
        {
            plain = _protector.Unprotect(token.Trim());
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = plain.Split('|');
        return parts.Length == 3
            && Guid.TryParseExact(parts[0], "N", out var link)
            && Guid.TryParseExact(parts[1], "N", out var session)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? new ScreenLinkClaim(link, session, DateTimeOffset.FromUnixTimeSeconds(seconds))
                : null;
    }
}
