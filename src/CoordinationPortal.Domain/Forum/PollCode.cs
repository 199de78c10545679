using System.Security.Cryptography;

namespace CoordinationPortal.Domain.Forum;

/// <summary>
/// The short code a phone joins a poll with: 6 characters from an alphabet without look-alikes (no 0, O, 1, I or L),
/// drawn at random. Typed codes are read without case, spaces or hyphens.
/// </summary>
public static class PollCode
{
    public const int Length = 6;
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>What was typed, upper case and without spaces and hyphens; null when it cannot be a code.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 40)
        {
            return null;
        }

        var code = string.Concat(typed.Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();
        return IsWellFormed(code) ? code : null;
    }

    public static bool IsWellFormed(string? code) => code is { Length: Length } && code.All(Alphabet.Contains);

    /// <summary>"ABC123" → "ABC 123", as screens show it.</summary>
    public static string Display(string code) => code.Length == Length ? code[..3] + " " + code[3..] : code;
}
