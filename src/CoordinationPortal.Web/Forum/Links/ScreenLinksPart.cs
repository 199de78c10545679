using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Web.Kernel.Features;
using Marten;

namespace CoordinationPortal.Web.Forum.Links;

/// <summary>Screen links: signed, expiring, revocable links that open one session's screen read-only.</summary>
internal static class ScreenLinksPart
{
    public static void AddServices(FeatureSetup setup)
    {
        setup.Services.AddSingleton<ScreenLinkTokens>();
        setup.Services.AddScoped<ScreenAccess>();
        setup.Services.AddScoped<ScreenLinkHandler>();
    }

    public static void ConfigureStore(StoreOptions options) =>
        options.Schema.For<ScreenLink>().Index(x => x.SessionId);

    public static void MapRoutes(WebApplication app) => app.MapScreenLinkApi();
}
