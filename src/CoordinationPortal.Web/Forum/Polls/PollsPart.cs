using CoordinationPortal.Web.Kernel.Features;
using Marten;

namespace CoordinationPortal.Web.Forum.Polls;

/// <summary>Quick polls: the poll streams, their handler, the API and the voting pages.</summary>
internal static class PollsPart
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
