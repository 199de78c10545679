using System.Text;
using CoordinationPortal.Domain.Forum;
using QRCoder;

namespace CoordinationPortal.Web.Forum.Polls;

/// <summary>
/// Where a phone joins a poll, and the QR code that says so: an SVG (scaled by its view box) as a <c>data:</c> URI for
/// an &lt;img&gt; with alternative text, which the CSP allows (<c>img-src 'self' data:</c>) and which needs no script.
/// </summary>
public static class PollQr
{
    /// <summary>The page that asks for a code: <c>{origin}/vote</c>.</summary>
    public static string VotePage(string origin) => origin.TrimEnd('/') + "/vote";

    /// <summary>The absolute voting address of a poll: <c>{origin}/vote/{code}</c>.</summary>
    public static string JoinUrl(string origin, string code) => VotePage(origin) + "/" + code;

    /// <summary>The origin (scheme, host and path base) a request came to.</summary>
    public static string Origin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}{request.PathBase}";
    }

    /// <summary>An address as a screen shows it, without the scheme: "portal.gov.in/vote".</summary>
    public static string Host(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? uri.Authority + uri.AbsolutePath.TrimEnd('/') : origin;

    /// <summary>The QR code of <paramref name="url"/> as a <c>data:image/svg+xml</c> URI, black on white with its quiet zone.</summary>
    public static string DataUri(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(10, "#000000", "#ffffff", true, SvgQRCode.SizingMode.ViewBoxAttribute);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }

    /// <summary>The code as people read it aloud and type it: "ABC 234".</summary>
    public static string Spaced(string code) => PollCode.Display(code);
}
