using System.Globalization;
using CoordinationPortal.Domain.Briefings;

namespace CoordinationPortal.Web.Components.Common;

/// <summary>
/// The addresses of a briefing, for the pages that offer one (the portfolio, roll-ups, agency and working-group pages)
/// without depending on the Briefings feature, which reads theirs.
/// </summary>
public static class BriefingLinks
{
    /// <summary>The API's download address: the PDF when ready, else 202 with a status address.</summary>
    public static string Download(BriefingTarget target) =>
        $"/api/v1/briefings/{target.ScopeSlug}/{Uri.EscapeDataString(target.Subject)}?lang={target.Language}";

    /// <summary>The Briefings page with this briefing chosen: it asks for it, shows progress and then the download button.</summary>
    public static string Page(BriefingTarget target) =>
        $"/briefings?scope={target.ScopeSlug}&subject={Uri.EscapeDataString(target.Subject)}&lang={target.Language}";

    /// <summary>
    /// An address above, asking for a briefing of data at least at <paramref name="sequence"/>: the one a pending answer
    /// gives, so that asking again is served as soon as that data (or newer) is printed, however busy the portal is.
    /// </summary>
    public static string After(string address, long sequence) =>
        sequence > 0 ? $"{address}&after={sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : address;

    /// <summary>The long tables of a briefing (every agency of its scope) as CSV, UTF-8 with a byte-order mark.</summary>
    public static string AnnexCsv(BriefingTarget target) =>
        $"/api/v1/briefings/{target.ScopeSlug}/{Uri.EscapeDataString(target.Subject)}/annex.csv?lang={target.Language}";

    /// <summary>The portal's culture for a briefing language (<c>en</c> → en-IN, <c>hi</c> → hi-IN): to word a link in the language it offers.</summary>
    public static CultureInfo Culture(string language) =>
        CultureInfo.GetCultureInfo(language == "hi" ? "hi-IN" : "en-IN");
}
