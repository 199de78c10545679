using System.Text;
using CoordinationPortal.Domain.Briefings;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Briefings.Content;

/// <summary>
/// The briefing's only style sheet, inline: A4 pages whose margin boxes carry the scope, the language, the date, the
/// data version and "page N of M" on every page (Chromium prints CSS paged-media margin boxes), fonts by name only
/// (Debian's Noto, which Chromium embeds), and shading that prints (<c>print-color-adjust: exact</c>). Every text that
/// comes from data goes in as an escaped CSS string.
/// </summary>
public static class BriefingStyle
{
    private const string Fonts = "\"Noto Sans\", \"Noto Sans Devanagari\", sans-serif";

    public static string Css(BriefingModel model, IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(text);
        var q = BriefingEscaping.CssString;
        var css = new StringBuilder();
        css.Append("@page { size: A4; margin: 20mm 15mm 18mm 15mm;\n")
            .Append("  @top-left { content: ").Append(q(model.Title)).Append("; font: 8pt ").Append(Fonts).Append("; color: #333; }\n")
            .Append("  @top-right { content: ").Append(q(text["Briefing.LanguageName"].Value + " · " + BriefingWords.Date(model.GeneratedOn)))
            .Append("; font: 8pt ").Append(Fonts).Append("; color: #333; }\n")
            .Append("  @bottom-left { content: ").Append(q(text["Briefing.Furniture.Version", model.Version.Tag].Value))
            .Append("; font: 8pt ").Append(Fonts).Append("; color: #333; }\n")
            .Append("  @bottom-right { content: ").Append(PageOf(text["Briefing.Furniture.PageOf"].Value))
            .Append("; font: 8pt ").Append(Fonts).Append("; color: #333; }\n")
            .Append("}\n");
        css.Append(
            $$"""
            html { font-family: {{Fonts}}; font-size: 10pt; color: #111; line-height: 1.4; }
            body { margin: 0; }
            * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            h1 { font-size: 18pt; margin: 0 0 6pt; }
            h2 { font-size: 13pt; margin: 14pt 0 6pt; border-bottom: 1px solid #999; padding-bottom: 2pt; break-after: avoid; }
            h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
            p { margin: 0 0 6pt; }
            a { color: #0b4f8a; }
            table { border-collapse: collapse; width: 100%; margin: 0 0 8pt; font-size: 8.5pt; }
            caption { text-align: left; font-weight: 600; padding: 0 0 3pt; caption-side: top; }
            th, td { border: 1px solid #bbb; padding: 2pt 4pt; vertical-align: top; text-align: left; }
            thead th { background: #eee; }
            thead { display: table-header-group; }
            tr { break-inside: avoid; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            .meta th { width: 28%; background: #f4f4f4; }
            .summary { font-size: 10.5pt; }
            nav ol { margin: 0 0 6pt 14pt; padding: 0; }
            .band-0 { background: #ffffff; }
            .band-1 { background: #f1f6fb; }
            .band-2 { background: #d3e3f2; }
            .band-3 { background: #a9c8e6; }
            .band-4 { background: #6fa3d4; }
            .band-5 { background: #2f6fad; color: #fff; }
            .missed { font-weight: 600; }
            .chart { width: 100%; max-width: 170mm; height: auto; display: block; margin: 4pt 0 8pt; }
            .note { font-size: 8.5pt; color: #333; }
            section { break-inside: auto; }
            """);
        return css.ToString();
    }

    /// <summary>"Page {0} of {1}" as CSS content: the words as escaped strings around <c>counter(page)</c> and <c>counter(pages)</c>.</summary>
    public static string PageOf(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var parts = new List<string>();
        var rest = format;
        while (rest.Length > 0)
        {
            var page = rest.IndexOf("{0}", StringComparison.Ordinal);
            var pages = rest.IndexOf("{1}", StringComparison.Ordinal);
            var next = new[] { page, pages }.Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            if (next < 0)
            {
                parts.Add(BriefingEscaping.CssString(rest));
                break;
            }

            if (next > 0)
            {
                parts.Add(BriefingEscaping.CssString(rest[..next]));
            }

            parts.Add(next == page ? "counter(page)" : "counter(pages)");
            rest = rest[(next + 3)..];
        }

        return string.Join(" ", parts);
    }
}
