using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Web.Kernel.Features;
using Marten;

namespace CoordinationPortal.Web.Forum.Operator;

/// <summary>The operator's panel: the screen state document and its handler, its API, and the panel page.</summary>
internal static class OperatorPart
{
    public static void AddServices(FeatureSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        setup.Services.AddScoped<ScreenStateHandler>();
    }

    public static void ConfigureStore(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Two operators (the chair on a laptop, the secretary on a tablet) change the same document: neither overwrites
        // the other's change unseen; the runner decides again on what is stored.
        options.Schema.For<ScreenState>().UseOptimisticConcurrency(true);
    }

    public static void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapScreenStateApi();
    }
}
