using CoordinationPortal.Web.Kernel.Features;

namespace CoordinationPortal.Web.Localization;

/// <summary>English and Hindi: the strings, the request culture, and the language switch.</summary>
public sealed class LocalizationFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup) => setup.Builder.AddPortalLocalization();

    public void MapRoutes(WebApplication app) => app.MapCultureSwitch();
}
