using System.Text.RegularExpressions;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// One OpenID Connect provider people may sign in with: <c>Oidc:Providers:N:*</c> (environment
/// <c>Oidc__Providers__0__Name</c> …). <see cref="Name"/> identifies the provider in the portal's routes and in the
/// linked logins, so it must not be reused for another issuer.
/// </summary>
public sealed class OidcProviderSettings
{
    public string Name { get; set; } = "";

    /// <summary>What the sign-in button says ("Sign in with …").</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The issuer URL; its discovery document must name exactly this issuer.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>Space- or comma-separated; <c>openid</c> is always asked for.</summary>
    public string Scopes { get; set; } = "openid email profile";

    /// <summary>False only for a provider on loopback in tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public string Scheme => "oidc-" + Name;

    public string CallbackPath => "/signin-oidc-" + Name;

    public string SignedOutCallbackPath => "/signout-callback-oidc-" + Name;

    public IReadOnlyList<string> ScopeList =>
        ["openid", .. Scopes.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s != "openid").Distinct(StringComparer.Ordinal)];
}

/// <summary>The configured providers (section <c>Oidc</c>), checked at start-up so a mistake stops the portal with a message.</summary>
public sealed partial class OidcSettings
{
    public const string Section = "Oidc";

    public List<OidcProviderSettings> Providers { get; set; } = [];

    public OidcProviderSettings? Find(string? name) =>
        Providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    public static OidcSettings Read(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<OidcSettings>() ?? new OidcSettings();
        var problems = new List<string>();
        foreach (var (p, i) in settings.Providers.Select((p, i) => (p, i)))
        {
            var at = $"{Section}:Providers:{i}";
            p.Name = p.Name.Trim().ToLowerInvariant();
            if (!NamePattern().IsMatch(p.Name))
            {
                problems.Add($"{at}:Name '{p.Name}' must be 1-32 lowercase letters, digits or '-'.");
            }

            if (!Uri.TryCreate(p.Authority.Trim(), UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            {
                problems.Add($"{at}:Authority '{p.Authority}' must be an absolute http(s) URL.");
            }
            else if (authority.Scheme == "http" && p.RequireHttpsMetadata)
            {
                problems.Add($"{at}:Authority must be https (RequireHttpsMetadata=false is for a loopback test provider only).");
            }

            if (string.IsNullOrWhiteSpace(p.ClientId))
            {
                problems.Add($"{at}:ClientId is missing.");
            }

            p.Authority = p.Authority.Trim();
            p.DisplayName = string.IsNullOrWhiteSpace(p.DisplayName) ? p.Name : p.DisplayName.Trim();
        }

        problems.AddRange(settings.Providers.GroupBy(p => p.Name).Where(g => g.Count() > 1).Select(g => $"{Section}:Providers: the name '{g.Key}' is used twice."));
        return problems.Count == 0
            ? settings
            : throw new InvalidOperationException("OpenID Connect configuration: " + string.Join(" ", problems));
    }

    /// <summary>Issuers compare as strings (OpenID Connect Discovery §4.3), a trailing slash aside.</summary>
    public static bool SameIssuer(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex NamePattern();
}
