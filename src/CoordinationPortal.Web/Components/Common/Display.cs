using System.Globalization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.Scoring;

namespace CoordinationPortal.Web.Components.Common;

/// <summary>How numbers, levels and names are shown, in the current language.</summary>
public static class Display
{
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    /// <summary>
    /// The <c>lang</c> of a text people typed (an evidence note, a maintenance note) when it differs from the page's:
    /// "en" for Latin-script text on a Hindi page, "hi" for Devanagari text on an English page, otherwise null (no
    /// attribute), so a screen reader reads each note in its own language.
    /// </summary>
    public static string? LangOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var devanagari = text.Any(c => c is >= '\u0900' and <= '\u097F');
        var latin = text.Any(char.IsAsciiLetter);
        return Language switch
        {
            "hi" when latin && !devanagari => "en",
            "en" when devanagari && !latin => "hi",
            _ => null,
        };
    }

    public static string LayerName(this ReadinessFramework framework, Layer layer) => framework.LayerOf(layer).Name.For(Language);

    public static string Score(double? score) => score is { } s ? s.ToString("0", CultureInfo.CurrentCulture) : "–";

    public static string Level(double? score) => score is { } s ? Scores.AsLevel(s).ToString("0.0", CultureInfo.CurrentCulture) : "–";

    /// <summary>Colour band 1–5 for a 0–100 score (level 1.0–1.5 is band 1, and so on); 0 when not assessed.</summary>
    public static int Band(double? score) => score is { } s ? Math.Clamp((int)Math.Round(Scores.AsLevel(s), MidpointRounding.AwayFromZero), 1, 5) : 0;

    public static string Date(DateTimeOffset? at) => at is { } a ? a.ToString("d MMM yyyy", CultureInfo.CurrentCulture) : "–";

    public static string DateTime(DateTimeOffset at) => at.ToString("d MMM yyyy HH:mm", CultureInfo.CurrentCulture);
}
