using CoordinationPortal.Web.Kernel.Features;

namespace CoordinationPortal.Web.Briefings.Content;

/// <summary>What a briefing says: its reads (<c>BriefingQueries</c>), its HTML (<c>BriefingHtml</c>) and its annex.</summary>
public static class ContentPart
{
    public static void AddServices(FeatureSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        setup.Services.AddScoped<BriefingQueries>();
        setup.Services.AddSingleton<BriefingHtml>();
    }
}
