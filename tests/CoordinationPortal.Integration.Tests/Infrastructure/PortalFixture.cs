using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoordinationPortal.Integration.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster (the same embedded launcher the portal uses) and one portal on it, seeded with
/// the demo data, shared by every integration test class. Tests that change data use their own agencies.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-it-{Guid.NewGuid():N}");

    public EmbeddedPostgres Database { get; private set; } = null!;

    public PortalHostFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = _dataDirectory }, NullLogger.Instance);
        Factory = new PortalHostFactory(Database.ConnectionString, seedDemo: true);
        _ = Factory.Server; // starts the portal: schema, identity tables, seed
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
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
