using System.Globalization;
using System.Net;
using System.Text;
using CoordinationPortal.Domain;

namespace CoordinationPortal.Web.Briefings.Content;

/// <summary>
/// The peer comparison as a small grouped bar chart: an SVG document in a <c>data:</c> URI, so the page fetches
/// nothing. Each series has its own fill and pattern and every bar its number, so colour is never the only cue; the
/// image's alternative text (set by the caller) states every number too.
/// </summary>
public static class BriefingChart
{
    /// <summary>At most this many series are drawn.</summary>
    public const int MaxSeries = 3;

    /// <summary>
    /// The series the chart draws: the subject and what it is compared with; for the national briefing, whose table
    /// lists every sector, the national averages alone.
    /// </summary>
    public static IReadOnlyList<PeerSeries> Charted(BriefingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.Peers.Take(model.Target.Scope == Domain.Briefings.BriefingScope.National ? 1 : MaxSeries)];
    }

    public static string DataUri(BriefingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var series = Charted(model);
        const int width = 640, height = 250, top = 34, bottom = 40, left = 34;
        var plot = height - top - bottom;
        var groupWidth = (width - left - 10) / Layers.All.Count;
        var barWidth = (groupWidth - 16) / Math.Max(1, series.Count);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" ")
            .Append("font-family=\"Noto Sans, Noto Sans Devanagari, sans-serif\" font-size=\"11\">")
            .Append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
            .Append("<rect width=\"6\" height=\"6\" fill=\"#e0a030\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a5a00\" stroke-width=\"2\"/></pattern>")
            .Append("<pattern id=\"dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\"><rect width=\"5\" height=\"5\" fill=\"#bbbbbb\"/>")
            .Append("<circle cx=\"2.5\" cy=\"2.5\" r=\"1.2\" fill=\"#333\"/></pattern></defs>")
            .Append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");

        // Legend along the top.
        for (var s = 0; s < series.Count; s++)
        {
            var x = left + (s * 200);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{Fill(s)}\" stroke=\"#333\" stroke-width=\"0.5\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 16}\" y=\"18\">{Escape(Shorten(series[s].Label, 26))}</text>");
        }

        // Axis: 0, 50, 100.
        foreach (var tick in new[] { 0, 50, 100 })
        {
            var y = top + plot - (plot * tick / 100.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{width - 10}\" y2=\"{y:0.#}\" stroke=\"#ccc\" stroke-width=\"0.5\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" fill=\"#555\">{tick}</text>");
        }

        for (var g = 0; g < Layers.All.Count; g++)
        {
            var layer = Layers.All[g];
            var x0 = left + (g * groupWidth) + 8;
            for (var s = 0; s < series.Count; s++)
            {
                var x = x0 + (s * barWidth);
                if (series[s].Scores[layer] is not { } score)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (barWidth / 2)}\" y=\"{top + plot - 3}\" text-anchor=\"middle\" fill=\"#555\">–</text>");
                    continue;
                }

                var h = plot * Math.Clamp(score, 0, 100) / 100.0;
                var y = top + plot - h;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y:0.#}\" width=\"{barWidth - 3}\" height=\"{h:0.#}\" fill=\"{Fill(s)}\" stroke=\"#333\" stroke-width=\"0.5\"/>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + ((barWidth - 3) / 2.0):0.#}\" y=\"{y - 3:0.#}\" text-anchor=\"middle\" font-size=\"10\">{BriefingWords.Score(score)}</text>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + ((groupWidth - 16) / 2)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{Escape(Shorten(model.LayerName(layer), 22))}</text>");
        }

        svg.Append("</svg>");
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg.ToString()));
    }

    private static string Fill(int series) => series switch
    {
        0 => "#2f6fad",
        1 => "url(#hatch)",
        _ => "url(#dots)",
    };

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
