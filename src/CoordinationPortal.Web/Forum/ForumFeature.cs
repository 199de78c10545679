using CoordinationPortal.Web.Forum.Links;
using CoordinationPortal.Web.Forum.Operator;
using CoordinationPortal.Web.Forum.Polls;
using CoordinationPortal.Web.Forum.Screen;
using CoordinationPortal.Web.Kernel.Features;
using Marten;

namespace CoordinationPortal.Web.Forum;

/// <summary>
/// The live forum of a working-group session: the room screen (pushed to by the change feed), the operator's panel,
/// quick polls that become decisions, and the signed links that open the screen on a TV nobody signs in on. It reads
/// working groups, agencies and flags; nothing depends on it. Each part registers itself.
/// </summary>
public sealed class ForumFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        PollsPart.AddServices(setup);
        ScreenPart.AddServices(setup);
        OperatorPart.AddServices(setup);
        ScreenLinksPart.AddServices(setup);
    }

    public void ConfigureStore(StoreOptions options, IServiceProvider services)
    {
        PollsPart.ConfigureStore(options);
        ScreenPart.ConfigureStore(options);
        OperatorPart.ConfigureStore(options);
        ScreenLinksPart.ConfigureStore(options);
    }

    public void MapRoutes(WebApplication app)
    {
        PollsPart.MapRoutes(app);
        ScreenPart.MapRoutes(app);
        OperatorPart.MapRoutes(app);
        ScreenLinksPart.MapRoutes(app);
    }
}
