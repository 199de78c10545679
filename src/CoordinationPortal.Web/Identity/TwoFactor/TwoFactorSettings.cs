using CoordinationPortal.Domain.Security;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Identity.TwoFactor;

/// <summary>
/// Which roles must sign in with a second factor: <c>Security:RequireTwoFactorFor</c>, a list of role names
/// (<c>Security__RequireTwoFactorFor__0=Admin</c>, <c>…__1=AgencyLead</c>). Empty by default, so the demo accounts sign
/// in with their passwords alone; anyone may still turn two-factor authentication on for themselves.
/// </summary>
public sealed class TwoFactorSettings
{
    public const string RequiredRolesKey = "Security:RequireTwoFactorFor";

    public IReadOnlyList<string> RequiredRoles { get; set; } = [];

    /// <summary>The name authenticator apps show for the portal's entries.</summary>
    public const string Issuer = "CoordinationPortal";
}

/// <summary>Registers two-factor authentication: the setting, the second sign-in step, enrolment and the requirement's gate.</summary>
public static class TwoFactorSetup
{
    public static void AddTwoFactor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TwoFactorSettings>()
            .Configure(o => o.RequiredRoles =
            [
                .. (configuration.GetSection(TwoFactorSettings.RequiredRolesKey).Get<string[]>() ?? [])
                    .Where(r => !string.IsNullOrWhiteSpace(r))
                    .Select(r => Roles.All.FirstOrDefault(known => string.Equals(known, r.Trim(), StringComparison.OrdinalIgnoreCase)) ?? r.Trim()),
            ])
            // A misspelt role would silently require nothing: refuse to start instead, naming the roles there are.
            .Validate(o => o.RequiredRoles.All(r => Roles.All.Contains(r, StringComparer.Ordinal)),
                $"{TwoFactorSettings.RequiredRolesKey} lists a role that does not exist; the roles are {string.Join(", ", Roles.All)}.")
            .ValidateOnStart();
        services.AddScoped<TwoFactorSignIn>();
        services.AddScoped<TwoFactorAccount>();
    }

    /// <summary>Whether this principal must still enrol (or pass its second factor) before it may use the portal.</summary>
    public static bool MustEnrol(System.Security.Claims.ClaimsPrincipal user, TwoFactorSettings settings) =>
        user.Identity?.IsAuthenticated == true
        && TwoFactorRules.MustEnrol(
            user.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value),
            user.FindAll(TwoFactorRules.AmrClaim).Select(c => c.Value),
            [.. settings.RequiredRoles]);
}
