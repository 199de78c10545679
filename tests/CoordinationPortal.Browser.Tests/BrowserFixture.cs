using System.Net;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Simulator;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

// Inside the namespace: a using at the top of the file would lose to the namespace CoordinationPortal.EmbeddedPostgres.
using CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// The real portal on Kestrel (loopback), on its own throwaway embedded PostgreSQL with the demo seed, driven by
/// Debian's Chromium through Playwright (Playwright's own browser download cannot work on these machines).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-browser-{Guid.NewGuid():N}");
    private EmbeddedPostgres? _database;
    private PortalHostFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>An inference simulator on 127.77.0.4, the only loopback address this portal's probes may reach.</summary>
    public InferenceSimulator Simulator { get; private set; } = null!;

    // Probes settle at once (one probe changes the health) and give up quickly, so a test sees each change after one click.
    private static readonly Dictionary<string, string> ProbeSettings = new()
    {
        ["Probes:Network:Allow:0"] = "127.77.0.4/32:*", // the test simulators listen on any free port
        ["Probes:DownAfter"] = "1",
        ["Probes:UpAfter"] = "1",
        ["Probes:HeadersTimeout"] = "00:00:02",
        ["Probes:StreamTimeout"] = "00:00:03",
        // Open pages re-check their session every two seconds, so a test sees a sign-out reach an open page quickly.
        ["Security:Sessions:RevalidationInterval"] = "00:00:02",
        // The portal prints briefings as a real one does (its other jobs stay off, so tests control probes and flags).
        ["Briefings:RunServer"] = "true",
    };

    public string BaseUrl { get; private set; } = "";

    /// <summary>The running portal's services, for tests that put data in place the way a job would (e.g. flags).</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The portal has not started.");

    /// <summary>The framework's indicators whose ids start with <paramref name="prefix"/> (e.g. "data."), in framework order.</summary>
    public IReadOnlyList<string> IndicatorIds(string prefix) =>
        [.. Services.GetRequiredService<ReadinessFramework>().Layers.SelectMany(l => l.Indicators).Select(i => i.Id).Where(id => id.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>
    /// Another portal process on the same database (another replica behind a load balancer), on Kestrel at a port of its
    /// own: for tests of what one process's change does to a page served by another, or of a setting the main portal
    /// keeps off (<paramref name="settings"/> are added to the fixture's). The caller disposes it.
    /// </summary>
    /// <param name="settings">More configuration for this process only (e.g. OpenID Connect providers).</param>
    public (PortalHostFactory Portal, string BaseUrl) StartSecondPortal(IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(ProbeSettings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var second = new PortalHostFactory(_database!.ConnectionString, seedDemo: false, all);
        second.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        second.StartServer();
        var address = second.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.SingleOrDefault()
            ?? throw new InvalidOperationException("The second portal should listen on one address.");
        return (second, address.TrimEnd('/'));
    }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath}: apt-get install -y chromium (infra/test.sh does this).");
        }

        _database = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = _dataDirectory }, NullLogger.Instance);
        Simulator = await InferenceSimulator.StartAsync(new SimulatorOptions { Address = IPAddress.Parse("127.77.0.4") });
        _factory = new PortalHostFactory(_database.ConnectionString, seedDemo: true, ProbeSettings);
        // Port 0: Kestrel binds a free port itself, so no other process can take it between choosing and binding.
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        BaseUrl = addresses.SingleOrDefault()?.TrimEnd('/')
            ?? throw new InvalidOperationException($"The portal should listen on one address; it listens on {addresses.Count}.");

        // Chromium, PostgreSQL and Kestrel share the test machine, which in CI may have 2 busy cores: Playwright's
        // assertions wait up to 15 s for what they expect (their default is 5 s).
        Assertions.SetDefaultExpectTimeout(15_000);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Registers <paramref name="profile"/> under a fresh name and returns its base URL, without a trailing slash.</summary>
    public string SimulatorProfile(SimulatorProfile profile, out string name)
    {
        name = "b" + Guid.NewGuid().ToString("N")[..10];
        Simulator.SetProfile(name, profile);
        return Simulator.ProfileAddress(name).ToString().TrimEnd('/');
    }

    public async Task<IPage> SignedInPageAsync(string email, string password, string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl ?? BaseUrl, Locale = "en-IN", ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        return page;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (Simulator is not null) await Simulator.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A new directory is used each run.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
