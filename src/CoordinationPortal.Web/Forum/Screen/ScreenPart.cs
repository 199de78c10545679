using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Web.Kernel.Features;
using Marten;

namespace CoordinationPortal.Web.Forum.Screen;

/// <summary>The room screen: its read model, the push of rendered panels to open screens, the page and its event stream.</summary>
internal static class ScreenPart
{
    public static void AddServices(FeatureSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        setup.Services.AddScoped<ForumScreenQueries>();
        setup.Services.AddSingleton<ScreenRenderer>();
        setup.Services.AddSingleton<ScreenBroadcaster>();
    }

    public static void ConfigureStore(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
    }

    public static void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        ScreenEvents.Map(app);
    }
}
