using System.Security.Cryptography;
using System.Text;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Web.Briefings.Content;

namespace CoordinationPortal.Web.Briefings;

/// <summary>
/// The cache key of a briefing: its target (scope, subject, language), the data version it reflects, the template
/// version that drew it, and the portal address its links point at. Any of them changing makes a new briefing.
/// </summary>
public static class BriefingKeys
{
    public static string For(BriefingTarget target, DataVersion version, string origin)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(origin);
        var originHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(origin)))[..12];
        return $"{target}/{version.Tag}/{Template}/{originHash}";
    }

    /// <summary>The key's template segment.</summary>
    public static string Template => $"t{BriefingHtml.TemplateVersion}";

    /// <summary>A strong ETag from the PDF's bytes: the same bytes always give the same tag.</summary>
    public static string ETagOf(byte[] pdf) => $"\"{Convert.ToHexStringLower(SHA256.HashData(pdf))[..32]}\"";
}
