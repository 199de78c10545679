using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.ApiDescription;
using CoordinationPortal.Web.Briefings;
using CoordinationPortal.Web.Forum;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.Notifications;
using CoordinationPortal.Web.Operations;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.Probes;
using CoordinationPortal.Web.Seeding;
using CoordinationPortal.Web.Spreadsheets;
using CoordinationPortal.Web.Tokens;
using CoordinationPortal.Web.WorkingGroups;

namespace CoordinationPortal.Web.Hosting;

/// <summary>
/// Every feature of the portal, in the order the host walks them. A new feature is one line here; everything else it
/// needs lives in its own folder (see docs/architecture.md, "Adding a feature").
/// </summary>
public static class PortalFeatures
{
    public static IReadOnlyList<IPortalFeature> All { get; } =
    [
        new LocalizationFeature(),
        new FrameworkFeature(),
        new IdentityFeature(),
        // After Identity: it makes the default scheme a selector between Identity's cookie and a bearer token.
        new TokensFeature(),
        new OperationsFeature(),
        new AgenciesFeature(),
        new ProbesFeature(),
        new OutOfStepFeature(),
        new NotificationsFeature(),
        new WorkingGroupsFeature(),
        new ForumFeature(),
        new BriefingsFeature(),
        new SpreadsheetsFeature(),
        // The API's description and reference page: the routes above, described.
        new ApiDescriptionFeature(),
        // Last: it writes the demo through the features above.
        new DemoFeature(),
    ];
}
