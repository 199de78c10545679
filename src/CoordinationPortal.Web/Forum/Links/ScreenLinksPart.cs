using CoordinationPortal.Web.Kernel.Features;
using Marten;

namespace CoordinationPortal.Web.Forum.Links;

/// <summary>Screen links: signed, expiring, revocable links that open one session's screen read-only.</summary>
internal static class ScreenLinksPart
{
    public static void AddServices(FeatureSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
    }

    public static void ConfigureStore(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
    }

    public static void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
    }
}
