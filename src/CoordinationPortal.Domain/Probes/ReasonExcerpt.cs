using System.Text;
using System.Text.RegularExpressions;

namespace CoordinationPortal.Domain.Probes;

/// <summary>
/// What a probe may keep of a server's words (an error message, the start of a response body): one line of printable
/// text, at most <see cref="MaxLength"/> characters, with anything that looks like a secret replaced by
/// <see cref="Redacted"/>. Pure. A probe may reach a service that is not an inference server at all (an allowlisted
/// internal address), so its answer is treated as untrusted text that may carry credentials.
/// </summary>
public static partial class ReasonExcerpt
{
    public const int MaxLength = 200;
    public const string Redacted = "[redacted]";

    /// <summary>
    /// Null for nothing printable. Otherwise: control and format characters become spaces, runs of spaces one space,
    /// values of secret-looking names (<c>password=…</c>, <c>"api_key": "…"</c>, <c>token: …</c>), bearer and basic
    /// credentials, credentials in URLs and long opaque strings (keys, hashes, JWTs) are redacted, then the text is cut
    /// to <see cref="MaxLength"/> characters with an ellipsis.
    /// </summary>
    public static string? Sanitize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Work on a bounded prefix: the excerpt is short, and a secret split by the cut is redacted by the patterns below
        // only if it is whole, so cut generously first and finally after redaction.
        var prefix = text.Length > MaxLength * 4 ? text[..(MaxLength * 4)] : text;
        var line = new StringBuilder(prefix.Length);
        var space = false;
        foreach (var c in prefix)
        {
            var blank = char.IsControl(c) || char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.Surrogate or System.Globalization.UnicodeCategory.PrivateUse
                or System.Globalization.UnicodeCategory.OtherNotAssigned;
            if (blank)
            {
                space = line.Length > 0;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            line.Append(c);
        }

        string redacted;
        try
        {
            redacted = UrlCredentials().Replace(line.ToString(), "://" + Redacted + "@");
            redacted = SchemeCredentials().Replace(redacted, m => m.Groups[1].Value + " " + Redacted);
            redacted = SecretPair().Replace(redacted, m => m.Groups[1].Value + m.Groups[2].Value + Redacted);
            redacted = LongOpaque().Replace(redacted, Redacted);
        }
        catch (RegexMatchTimeoutException)
        {
            return Redacted; // text built to make the patterns slow: keep none of it
        }

        if (redacted.Length == 0)
        {
            return null;
        }

        return redacted.Length <= MaxLength ? redacted : redacted[..(MaxLength - 1)].TrimEnd() + "…";
    }

    /// <summary>A name that says its value is secret, then <c>=</c> or <c>:</c>, then the value (quoted or up to a separator).</summary>
    [GeneratedRegex("""
        (["']?[A-Za-z0-9_.\-]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_\-]?key|apikey|access[_\-]?key|private[_\-]?key|key|credential|auth|session|cookie|signature|salt|dsn|conn(?:ection)?[_\-]?string)[A-Za-z0-9_.\-]*["']?)(\s*[:=]\s*)("[^"]*"?|'[^']*'?|[^\s,;&}\])]+)
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex SecretPair();

    /// <summary><c>Bearer abc…</c>, <c>Basic dXNl…</c>.</summary>
    [GeneratedRegex(@"\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9\-._~+/=]{4,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex SchemeCredentials();

    /// <summary><c>postgres://user:pass@host</c>.</summary>
    [GeneratedRegex(@"://[^/\s:@]+:[^/\s@]+@", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex UrlCredentials();

    /// <summary>A run of 32 or more key-like characters (API keys, hashes, JWT parts): no sentence has one.</summary>
    [GeneratedRegex(@"[A-Za-z0-9+/_\-]{32,}={0,2}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex LongOpaque();
}
