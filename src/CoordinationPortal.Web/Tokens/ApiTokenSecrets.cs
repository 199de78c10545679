using System.Security.Cryptography;
using System.Text;

namespace CoordinationPortal.Web.Tokens;

/// <summary>
/// The token itself: <c>cpt_</c> and 43 URL-safe characters (256 random bits), recognisable in logs and by secret
/// scanners, stored only as its SHA-256. A token of 256 random bits needs no salt or slow hash: nothing can be guessed.
/// </summary>
public static class ApiTokenSecrets
{
    public const string Prefix = "cpt_";
    private const int RandomBytes = 32;
    private const int EncodedLength = 43; // 32 bytes in base64url, unpadded
    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string New() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>Whether <paramref name="token"/> has the shape of a portal token (checked before any lookup).</summary>
    public static bool LooksValid(string token) =>
        token.Length == Prefix.Length + EncodedLength
        && token.StartsWith(Prefix, StringComparison.Ordinal)
        && token.AsSpan(Prefix.Length).IndexOfAnyExcept(Base64UrlCharacters) < 0;

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>What the token list shows of a token: its prefix and first six characters.</summary>
    public static string Hint(string token) => token[..(Prefix.Length + 6)] + "…";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
