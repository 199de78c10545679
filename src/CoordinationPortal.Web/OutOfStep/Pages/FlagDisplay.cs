using CoordinationPortal.Domain.OutOfStep;
using MudBlazor;

namespace CoordinationPortal.Web.OutOfStep.Pages;

/// <summary>
/// How flags are shown: severity is always an icon and a word; the colour only repeats it.
/// </summary>
public static class FlagDisplay
{
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
