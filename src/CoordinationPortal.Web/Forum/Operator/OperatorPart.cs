using CoordinationPortal.Web.Kernel.Features;
using Marten;

namespace CoordinationPortal.Web.Forum.Operator;

/// <summary>The operator's panel: the screen state document and its handler, and the panel page.</summary>
internal static class OperatorPart
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
