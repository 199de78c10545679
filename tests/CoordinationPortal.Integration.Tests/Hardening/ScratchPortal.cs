using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.Integration.Tests.Hardening;

/// <summary>
/// A portal of its own on an empty database of the shared cluster, logging at Information (as in production) into a
/// <see cref="LogCapture"/>, with a first admin: for tests that break its database or read its log.
/// </summary>
public sealed class ScratchPortal : IAsyncDisposable
{
    public const string AdminEmail = "scratch.admin@example.gov.in";
    public const string AdminPassword = "Scratch-admin-2026!";

    private ScratchPortal(string connectionString, WebApplicationFactory<Program> factory, LogCapture log)
    {
        ConnectionString = connectionString;
        Factory = factory;
        Log = log;
    }

    public string ConnectionString { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public LogCapture Log { get; }

    public IServiceProvider Services => Factory.Services;

    public static async Task<ScratchPortal> StartAsync(PortalFixture portal, string prefix)
    {
        var connectionString = await ScratchDatabase.CreateAsync(portal, prefix);
        var log = new LogCapture();
        var factory = new PortalHostFactory(connectionString, seedDemo: false, new Dictionary<string, string>(portal.ProbeSettings)
        {
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            ["Logging:LogLevel:Default"] = "Information",
        }).WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(log))));
        _ = factory.Server;
        return new ScratchPortal(connectionString, factory, log);
    }

    public async Task<HttpClient> AdminAsync()
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await PortalForms.SignInAsync(client, AdminEmail, AdminPassword);
        return client;
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
