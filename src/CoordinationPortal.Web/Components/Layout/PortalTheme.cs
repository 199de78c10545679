using MudBlazor;

namespace CoordinationPortal.Web.Components.Layout;

internal static class PortalTheme
{
    // System and Noto fonts only: the portal must not fetch fonts from elsewhere, and Devanagari needs Noto.
    private static readonly string[] Fonts = ["Noto Sans", "Noto Sans Devanagari", "system-ui", "Segoe UI", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e79",
            Secondary = "#6a3d9a",
            AppbarBackground = "#1f4e79",
            TextSecondary = "#4a4a4a",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            H1 = new H1Typography { FontFamily = Fonts },
            H2 = new H2Typography { FontFamily = Fonts },
            H3 = new H3Typography { FontFamily = Fonts },
            H4 = new H4Typography { FontFamily = Fonts },
            H5 = new H5Typography { FontFamily = Fonts },
            H6 = new H6Typography { FontFamily = Fonts },
            Body1 = new Body1Typography { FontFamily = Fonts },
            Body2 = new Body2Typography { FontFamily = Fonts },
            Button = new ButtonTypography { FontFamily = Fonts },
        },
    };
}
