using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Components.Common;
using CoordinationPortal.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.OutOfStep.Pages;

/// <summary>How the board, the agency page and the roll-ups name flags and rules in the reader's language.</summary>
public sealed class FlagText(IStringLocalizer<SharedResource> text, RuleTitles titles, PortalClock clock)
{
    /// <summary>The title of the rule in the current language, or its id if the rule is no longer in the rules file.</summary>
    public string RuleTitle(string ruleId) => titles.Title(ruleId, Display.Language);

    /// <summary>The portal's calendar date of an instant.</summary>
    public DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(clock.Local(at).DateTime);

    /// <summary>The raisings and resolutions of the agency's flags, for its trend chart.</summary>
    public IReadOnlyList<TrendMarker> Markers(IReadOnlyList<Flag> flags) =>
        FlagRollups.Markers(
            flags,
            (flag, episode) => text["AgencyFlags.Chart.Flag", RuleTitle(flag.RuleId), text.SeverityWord(episode.Severity)].Value,
            DateOf);
}
