using CoordinationPortal.Tests.Support;

namespace CoordinationPortal.Browser.Tests.Oidc;

/// <summary>
/// Two real OpenID providers on loopback — one honest, one whose clock runs an hour behind (every token it issues is
/// long expired) — and a portal process (on the browser suite's database, demo accounts included) configured with three
/// providers: <c>test</c> (the honest one), <c>wrongissuer</c> (the honest one under another name, so its discovery
/// document names an issuer that is not the configured authority) and <c>late</c>. Started once for the test class; the
/// portal starts at the first test, because it needs the browser suite's database.
/// </summary>
public sealed class OidcPortal : IAsyncLifetime, IAsyncDisposable
{
    public const string ClientSecret = "test-client-secret-for-loopback-only";
    private readonly SemaphoreSlim _starting = new(1, 1);
    private PortalHostFactory? _portal;

    public OidcProviderProcess Provider { get; private set; } = null!;

    public OidcProviderProcess LateProvider { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public IServiceProvider Services => _portal?.Services ?? throw new InvalidOperationException("The portal has not started.");

    public async Task InitializeAsync()
    {
        Provider = await OidcProviderProcess.StartAsync();
        LateProvider = await OidcProviderProcess.StartAsync(clockOffsetSeconds: -3600);
    }

    public async Task<string> StartAsync(BrowserFixture browser)
    {
        await _starting.WaitAsync();
        try
        {
            if (_portal is null)
            {
                var wrongAuthority = Provider.Issuer.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
                var settings = new Dictionary<string, string>();
                AddProvider(settings, 0, "test", "Test provider", Provider.Issuer, "portal-test");
                AddProvider(settings, 1, "wrongissuer", "Mislabelled provider", wrongAuthority, "portal-test");
                AddProvider(settings, 2, "late", "Late provider", LateProvider.Issuer, "portal-late");
                (_portal, BaseUrl) = browser.StartSecondPortal(settings);
                await Provider.RegisterClientAsync("portal-test", ClientSecret,
                    [$"{BaseUrl}/signin-oidc-test", $"{BaseUrl}/signin-oidc-wrongissuer"], [$"{BaseUrl}/signout-callback-oidc-test"]);
                await LateProvider.RegisterClientAsync("portal-late", ClientSecret, [$"{BaseUrl}/signin-oidc-late"], []);
            }

            return BaseUrl;
        }
        finally
        {
            _starting.Release();
        }
    }

    private static void AddProvider(Dictionary<string, string> settings, int index, string name, string displayName, string authority, string clientId)
    {
        var prefix = $"Oidc:Providers:{index}:";
        settings[prefix + "Name"] = name;
        settings[prefix + "DisplayName"] = displayName;
        settings[prefix + "Authority"] = authority;
        settings[prefix + "ClientId"] = clientId;
        settings[prefix + "ClientSecret"] = ClientSecret;
        settings[prefix + "Scopes"] = "openid email profile";
        settings[prefix + "RequireHttpsMetadata"] = "false";
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        if (_portal is not null) await _portal.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
        if (LateProvider is not null) await LateProvider.DisposeAsync();
        _starting.Dispose();
    }
}
