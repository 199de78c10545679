using System.Globalization;
using CoordinationPortal.Domain.Briefings;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Briefings.Pages;

/// <summary>What the Briefings page's address asks for.</summary>
public abstract record BriefingRequest
{
    /// <summary>Nothing chosen yet: the page shows the form.</summary>
    public sealed record None : BriefingRequest;

    /// <summary>A scope or subject the API does not take: the page says so beside the form (400).</summary>
    public sealed record Invalid : BriefingRequest;

    /// <summary>A briefing; <paramref name="FromForm"/> when it came from the form's drop-downs rather than its short address.</summary>
    public sealed record Asked(BriefingTarget Target, bool FromForm) : BriefingRequest;
}

/// <summary>The briefing the page's form shows as chosen, and how the page reads its address.</summary>
public sealed record BriefingChoice(BriefingScope Scope, string Subject, string Language)
{
    // The form's drop-downs, one per scope: without script a form cannot send only the chosen scope's one.
    public const string SectorField = "sector";
    public const string JurisdictionField = "jurisdiction";
    public const string AgencyField = "agency";
    public const string WorkingGroupField = "working-group";

    /// <summary>
    /// Reads <c>?scope=&amp;subject=&amp;lang=</c> (the short address, <see cref="Components.Common.BriefingLinks.Page"/>) or the
    /// form's <c>?scope=&amp;sector=&amp;jurisdiction=&amp;agency=&amp;working-group=&amp;lang=</c>, where the subject is the chosen
    /// scope's drop-down. A missing language is the page's; anything <see cref="BriefingTarget.TryParse"/> refuses is invalid.
    /// </summary>
    public static BriefingRequest FromQuery(
        string? scope, string? subject, string? language, string? sector, string? jurisdiction, string? agency, string? workingGroup, string pageLanguage)
    {
        if (string.IsNullOrEmpty(scope) && string.IsNullOrEmpty(subject))
        {
            return new BriefingRequest.None();
        }

        var fromForm = string.IsNullOrEmpty(subject);
        if (fromForm)
        {
            if (!BriefingTarget.TryParseScope(scope, out var parsed))
            {
                return new BriefingRequest.Invalid();
            }

            subject = parsed switch
            {
                BriefingScope.National => BriefingTarget.AllSubject,
                BriefingScope.Sector => sector,
                BriefingScope.Jurisdiction => jurisdiction,
                BriefingScope.Agency => agency,
                _ => workingGroup,
            };
        }

        return BriefingTarget.TryParse(scope, subject, string.IsNullOrEmpty(language) ? pageLanguage : language, out var target)
            ? new BriefingRequest.Asked(target, fromForm)
            : new BriefingRequest.Invalid();
    }

    /// <summary>What a briefing covers, in the page's words: "sector Health", or the code or id when the reader's lists lack it.</summary>
    public static string About(IStringLocalizer text, BriefingTarget target, BriefingSubjects subjects)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(subjects);
        static string NameIn(IReadOnlyList<BriefingSubject> list, string subject) =>
            list.FirstOrDefault(s => string.Equals(s.Subject, subject, StringComparison.OrdinalIgnoreCase))?.Name ?? subject;

        return target.Scope switch
        {
            BriefingScope.National => text["Briefings.About.National"],
            BriefingScope.Sector => text["Briefings.About.Sector", NameIn(subjects.Sectors, target.Subject)],
            BriefingScope.Jurisdiction => text["Briefings.About.Jurisdiction", NameIn(subjects.Jurisdictions, target.Subject)],
            BriefingScope.Agency => text["Briefings.About.Agency", NameIn(subjects.Agencies, target.Subject)],
            _ => text["Briefings.About.WorkingGroup", NameIn(subjects.WorkingGroups, target.Subject)],
        };
    }

    /// <summary>A file's size as a reader reads it: whole kilobytes below a megabyte, else megabytes to one decimal.</summary>
    public static string Size(IStringLocalizer text, long bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        return bytes < 1024 * 1024
            ? text["Briefings.Size.KB", Math.Max(1, (long)Math.Ceiling(bytes / 1024.0)).ToString(CultureInfo.CurrentCulture)]
            : text["Briefings.Size.MB", (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.CurrentCulture)];
    }

    /// <summary>Milliseconds as seconds to one decimal.</summary>
    public static string Seconds(int milliseconds) => (milliseconds / 1000.0).ToString("0.0", CultureInfo.CurrentCulture);
}
