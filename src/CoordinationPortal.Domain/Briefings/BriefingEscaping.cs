using System.Globalization;
using System.Text;

namespace CoordinationPortal.Domain.Briefings;

/// <summary>
/// Text put where a briefing's data could change the meaning of what surrounds it: a CSS string (the page furniture
/// prints names and dates through <c>@page</c> margin boxes) and a CSV cell (a spreadsheet runs a cell that starts
/// with a formula character).
/// </summary>
public static class BriefingEscaping
{
    /// <summary>
    /// A CSS string literal, quotes included, that reads as <paramref name="text"/>: quotes, backslashes, angle
    /// brackets (so no <c>&lt;/style&gt;</c> can close the element) and every control character become hex escapes.
    /// </summary>
    public static string CssString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var css = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\' or '<' or '>' or '&' || char.IsControl(c))
            {
                // A hex escape ends at its first non-hex character; the space that ends it is eaten by the parser.
                css.Append('\\').Append(((int)c).ToString("x", CultureInfo.InvariantCulture)).Append(' ');
            }
            else
            {
                css.Append(c);
            }
        }

        return css.Append('"').ToString();
    }
}
