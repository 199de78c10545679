using CoordinationPortal.Web.Kernel.Features;

namespace CoordinationPortal.Web.Identity;

/// <summary>Accounts, roles and sign-in (ASP.NET Core Identity in its own schema), and who may do what.</summary>
public sealed class IdentityFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup) => setup.Builder.AddPortalIdentity(setup.ConnectionString);

    public Task PrepareAsync(IServiceProvider services, CancellationToken ct) => IdentityModule.EnsureIdentitySchemaAsync(services, ct);

    public void MapRoutes(WebApplication app) => app.MapAccountEndpoints();
}
