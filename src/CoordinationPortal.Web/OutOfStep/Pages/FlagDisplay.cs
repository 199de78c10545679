using CoordinationPortal.Domain.OutOfStep;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CoordinationPortal.Web.OutOfStep.Pages;

/// <summary>
/// How flags are shown: severity is always an icon and a word; the colour only repeats it.
/// </summary>
public static class FlagDisplay
{
    /// <summary>The order severities are listed in wherever they are counted or offered: the worst first.</summary>
    public static IReadOnlyList<FlagSeverity> SeveritiesWorstFirst { get; } = [FlagSeverity.High, FlagSeverity.Medium, FlagSeverity.Low];

    /// <summary>The severity as a word in the reader's language ("High"), the same on every page.</summary>
    public static string SeverityWord(this IStringLocalizer text, FlagSeverity severity) => text["Flags.Severity." + severity].Value;

    public static string Icon(FlagSeverity severity) => severity switch
    {
        FlagSeverity.High => Icons.Material.Filled.Error,
        FlagSeverity.Medium => Icons.Material.Filled.Warning,
        _ => Icons.Material.Filled.Info,
    };

    // The health badge's colours, all with text at 4.5:1 or better.
    public static string CssClass(FlagSeverity severity) => severity switch
    {
        FlagSeverity.High => "health-badge health-down",
        FlagSeverity.Medium => "health-badge health-degraded",
        _ => "health-badge health-unknown",
    };
}
