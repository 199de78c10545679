using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CoordinationPortal.Web.Kernel.Security;

/// <summary>
/// The portal's content security policy allows no inline script. A page that a library writes with an inline script of
/// its own (the API reference page) is allowed exactly those scripts: <see cref="AllowInlineScripts{TBuilder}"/> reads the
/// page its endpoint wrote, and the policy of that one response names each inline script by its SHA-256. Any other
/// inline script, such as one injected into the page, still does not run.
/// </summary>
public static partial class InlineScripts
{
    private const string ItemKey = "portal.csp.script-hashes";

    /// <summary>The <c>'sha256-…'</c> sources allowed for this response, if its endpoint allowed any.</summary>
    public static IReadOnlyList<string> AllowedFor(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is List<string> hashes ? hashes : [];

    /// <summary>Buffers the endpoint's HTML answer (small pages only) and allows the inline scripts it contains.</summary>
    public static TBuilder AllowInlineScripts<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate;
            if (inner is null)
            {
                return;
            }

            endpoint.RequestDelegate = async context =>
            {
                // The page only: the library's script and image files (a path with an extension) pass unbuffered.
                if (Path.HasExtension(context.Request.Path.Value))
                {
                    await inner(context);
                    return;
                }

                var original = context.Response.Body;
                await using var buffer = new MemoryStream();
                context.Response.Body = buffer;
                try
                {
                    await inner(context);
                }
                finally
                {
                    context.Response.Body = original;
                }

                if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    var hashes = Hashes(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
                    context.Items[ItemKey] = hashes;
                }

                buffer.Position = 0;
                await buffer.CopyToAsync(original, context.RequestAborted);
            };
        });
        return builder;
    }

    /// <summary>The CSP hash source of each inline script (one without <c>src</c>) of <paramref name="html"/>.</summary>
    internal static List<string> Hashes(string html) =>
    [
        .. Inline().Matches(html).Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["body"].Value)))}'").Distinct(),
    ];

    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(?<body>.*?)</script\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Inline();
}
