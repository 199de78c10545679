using Microsoft.AspNetCore.RateLimiting;

namespace CoordinationPortal.Web.Identity;

/// <summary>Registers sign-in's defences: the per-client rate limit, the per-account backoff and the sign-in service.</summary>
public static class SignInSecurity
{
    public static void AddSignInSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SignInSettings>(configuration.GetSection(SignInSettings.Section));
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<UnknownAccountHash>();
        services.AddSingleton<CommonPasswords>();
        services.AddScoped<PortalSignIn>();
        services.AddScoped<UserAdministration>();
        // The policy applies where a page or endpoint asks for it ([EnableRateLimiting] on the sign-in page).
        services.AddRateLimiter(o => o.AddPolicy<string, SignInClientPolicy>(SignInClientPolicy.Name));
    }
}
