using System.Net;
using CoordinationPortal.Simulator;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoordinationPortal.Integration.Tests.Infrastructure;

// Inside the namespace: a using at the top of the file would lose to the namespace CoordinationPortal.EmbeddedPostgres.
using CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// One throwaway PostgreSQL cluster (the same embedded launcher the portal uses) and one portal on it, seeded with
/// the demo data, shared by every integration test class. Tests that change data use their own agencies.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-it-{Guid.NewGuid():N}");

    public EmbeddedPostgres Database { get; private set; } = null!;

    public PortalHostFactory Factory { get; private set; } = null!;

    /// <summary>An inference simulator on 127.77.0.3, the only loopback address this portal's probes may reach.</summary>
    public InferenceSimulator Simulator { get; private set; } = null!;

    /// <summary>The key-encryption certificate for the Data Protection key ring, outside the database.</summary>
    public string CertificatePath { get; } = Path.Combine(Path.GetTempPath(), $"cp-it-{Guid.NewGuid():N}.pfx");

    public IReadOnlyDictionary<string, string> ProbeSettings => new Dictionary<string, string>
    {
        ["DataProtection:CertificatePath"] = CertificatePath,
        ["Probes:Network:Allow:0"] = "127.77.0.3/32:*", // the test simulators listen on any free port
        ["Probes:MaxEndpointsPerAgency"] = "1000", // the suite registers many endpoints into the same demo agencies
        ["Probes:HeadersTimeout"] = "00:00:02",
        ["Probes:StreamTimeout"] = "00:00:03",
        ["Probes:ConnectTimeout"] = "00:00:02",
    };

    public async Task InitializeAsync()
    {
        Database = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = _dataDirectory }, NullLogger.Instance);
        CoordinationPortal.Web.Operations.DataProtectionKeys.CreateCertificate(CertificatePath);
        Simulator = await InferenceSimulator.StartAsync(new SimulatorOptions { Address = IPAddress.Parse("127.77.0.3") });
        Factory = new PortalHostFactory(Database.ConnectionString, seedDemo: true, ProbeSettings);
        _ = Factory.Server; // starts the portal: schema, identity tables, seed
    }

    /// <summary>A second portal process on the same database (another worker), with the same probe settings.</summary>
    public PortalHostFactory SecondProcess() => new(Database.ConnectionString, seedDemo: false, ProbeSettings);

    /// <summary>Registers <paramref name="profile"/> under a fresh name and returns its base URL.</summary>
    public string SimulatorProfile(SimulatorProfile profile, out string name)
    {
        name = "p" + Guid.NewGuid().ToString("N")[..10];
        Simulator.SetProfile(name, profile);
        return Simulator.ProfileAddress(name).ToString().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Simulator.DisposeAsync();
        File.Delete(CertificatePath);
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; the next run uses a new directory.
        }
    }

    /// <summary>A client signed in as <paramref name="email"/> through the real sign-in form.</summary>
    public async Task<HttpClient> SignedInClientAsync(string email, string password)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await SignInAsync(client, email, password);
        return client;
    }

    public HttpClient AnonymousClient() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static Task SignInAsync(HttpClient client, string email, string password) => PortalForms.SignInAsync(client, email, password);
}

[CollectionDefinition(Name)]
public sealed class PortalTests : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}
