using CoordinationPortal.Web.Kernel.Features;

namespace CoordinationPortal.Web.Briefings.Content;

/// <summary>What a briefing says: its reads (<see cref="BriefingQueries"/>), its HTML (<see cref="BriefingHtml"/>) and its annex (<see cref="BriefingAnnex"/>).</summary>
public static class ContentPart
{
    public static void AddServices(FeatureSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        setup.Services.AddScoped<BriefingQueries>();
        setup.Services.AddSingleton<BriefingHtml>();
    }
}
