using CoordinationPortal.Web.Kernel.Features;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Tokens;

/// <summary>
/// Personal API tokens: stored hashed, presented as <c>Authorization: Bearer</c> on any API route, each limited by its
/// scopes, its agencies and its owner's rights at the time of the request. The portal's default authentication scheme
/// becomes a selector: a request with a bearer token is the token's, any other the sign-in cookie's.
/// </summary>
public sealed class TokensFeature : IPortalFeature
{
    /// <summary>The selector scheme: the token's when a bearer token is sent, the cookie's otherwise.</summary>
    public const string PortalScheme = "Portal";

    public void AddServices(FeatureSetup setup)
    {
        var services = setup.Services;
        services.AddScoped<ApiTokens>();
        services.AddAuthentication(o =>
            {
                // After Identity's own defaults (its feature comes first), so these win.
                o.DefaultScheme = PortalScheme;
                o.DefaultAuthenticateScheme = PortalScheme;
                o.DefaultChallengeScheme = PortalScheme;
                o.DefaultForbidScheme = PortalScheme;
            })
            .AddPolicyScheme(PortalScheme, "Sign-in cookie or API token", o => o.ForwardDefaultSelector = context =>
                ApiTokenAuthentication.HasBearer(context.Request) ? ApiTokenAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
    }

    public void ConfigureStore(Marten.StoreOptions options, IServiceProvider services)
    {
        options.Schema.For<ApiToken>().UniqueIndex(x => x.Hash).Index(x => x.OwnerId);
        options.Schema.For<ApiTokenUse>();
    }

    public void MapRoutes(WebApplication app) => app.MapTokenApi();
}
