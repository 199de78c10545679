using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Hosting;

/// <summary>The identity schema comes from EF Core migrations; databases made before them are adopted, not rebuilt.</summary>
[Collection(PortalTests.Name)]
public sealed class IdentityMigrationTests(PortalFixture portal)
{
    private const string History = "SELECT \"MigrationId\" FROM identity.__ef_migrations ORDER BY \"MigrationId\"";

    [Fact]
    public async Task a_fresh_database_gets_the_identity_schema_by_migration()
    {
        var database = await ScratchDatabase.CreateAsync(portal, "identity_fresh");
        await using (var factory = Portal(database))
        {
            _ = factory.Server;
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.NotEmpty(db.Database.GetMigrations());
            Assert.Equal(db.Database.GetMigrations(), await ScratchDatabase.LinesAsync(database, History));
        }

        Assert.Equal(4L, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM identity.\"AspNetRoles\""));
        Assert.Equal(1L, await ScratchDatabase.ScalarAsync<long>(database,
            "SELECT count(*) FROM identity.\"AspNetUsers\" WHERE \"NormalizedEmail\" = 'FIRST.ADMIN@EXAMPLE.GOV.IN'"));
    }

    [Fact]
    public async Task a_database_whose_tables_were_created_without_migrations_is_adopted_and_keeps_its_users()
    {
        var database = await ScratchDatabase.CreateAsync(portal, "identity_legacy");
        await CreateTheOldWayAsync(database);
        await ScratchDatabase.ExecuteAsync(database, """
            INSERT INTO identity."AspNetUsers" ("Id", "DisplayName", "UserName", "NormalizedUserName", "Email", "NormalizedEmail",
                "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            VALUES ('legacy-user', 'Legacy User', 'legacy@example.gov.in', 'LEGACY@EXAMPLE.GOV.IN', 'legacy@example.gov.in',
                'LEGACY@EXAMPLE.GOV.IN', true, false, false, true, 0);
            """);
        Assert.False(await ScratchDatabase.ScalarAsync<bool>(database, "SELECT to_regclass('identity.__ef_migrations') IS NOT NULL"));

        await using (var factory = Portal(database))
        {
            _ = factory.Server;
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await ScratchDatabase.LinesAsync(database, History));

            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var legacy = await users.FindByEmailAsync("legacy@example.gov.in");
            Assert.Equal("Legacy User", legacy?.DisplayName);
        }

        // The portal wrote to the adopted tables as well: the roles and the configured first admin.
        Assert.Equal(4L, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM identity.\"AspNetRoles\""));
        Assert.Equal(2L, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM identity.\"AspNetUsers\""));
    }

    [Fact]
    public async Task processes_starting_together_migrate_once()
    {
        var database = await ScratchDatabase.CreateAsync(portal, "identity_race");
        await using var services = IdentityServices(database);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => new IdentityFeature().PrepareAsync(services, CancellationToken.None)));

        await using (var scope = services.CreateAsyncScope())
        {
            // Each migration recorded once, in order.
            Assert.Equal(scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>().Database.GetMigrations(), await ScratchDatabase.LinesAsync(database, History));
        }

        Assert.Equal(4L, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM identity.\"AspNetRoles\""));
    }

    /// <summary>What the portal did before migrations: the schema, then the tables from the model (EnsureCreated-style).</summary>
    private static async Task CreateTheOldWayAsync(string database)
    {
        await ScratchDatabase.ExecuteAsync(database, "CREATE SCHEMA identity");
        await using var services = IdentityServices(database);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
        await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
        // The model has grown since (SingleSignOnInvitations): take its columns off again, so the tables are those the
        // portal made then, which the initial migration describes.
        await ScratchDatabase.ExecuteAsync(database,
            "ALTER TABLE identity.\"AspNetUsers\" DROP COLUMN \"InvitedForSingleSignOn\", DROP COLUMN \"AwaitingApproval\"");
    }

    private static ServiceProvider IdentityServices(string database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<PortalIdentityDbContext>(o => o.UseIdentityDatabase(database));
        services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<PortalIdentityDbContext>();
        return services.BuildServiceProvider();
    }

    private PortalHostFactory Portal(string database) => new(database, seedDemo: false, new Dictionary<string, string>(portal.ProbeSettings)
    {
        ["Bootstrap:AdminEmail"] = "first.admin@example.gov.in",
        ["Bootstrap:AdminPassword"] = "First-admin-2026!",
    });
}
