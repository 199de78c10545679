using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// The identity schema is EF Core migrations (<c>Identity/Migrations</c>), with the history table in schema
/// <c>identity</c> beside the tables it describes.
/// </summary>
public static class IdentityMigrations
{
    public const string HistoryTable = "__ef_migrations";

    /// <summary>The one place the identity context's provider options are set: the portal and <c>dotnet ef</c> share it.</summary>
    public static DbContextOptionsBuilder UseIdentityDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable(HistoryTable, PortalIdentityDbContext.Schema));

    /// <summary>
    /// Brings the identity schema up to date. The caller holds the advisory lock that serialises portal processes.
    /// A database from before migrations has the tables but no history; the initial migration is recorded as applied
    /// there (it describes exactly those tables, made from the same model), so the later migrations apply on top and
    /// nothing is created twice or dropped.
    /// </summary>
    public static async Task MigrateAsync(PortalIdentityDbContext db, NpgsqlConnection connection, CancellationToken ct)
    {
        if (await ScalarAsync(connection, "SELECT to_regclass('identity.\"AspNetUsers\"') IS NOT NULL", ct) is true
            && !await AnyMigrationRecordedAsync(connection, ct))
        {
            var history = db.GetService<IHistoryRepository>();
            await history.CreateIfNotExistsAsync(ct);
            var initial = db.Database.GetMigrations().First();
            await using var record = new NpgsqlCommand(history.GetInsertScript(new HistoryRow(initial, ProductInfo.GetVersion())), connection);
            await record.ExecuteNonQueryAsync(ct);
        }

        await db.Database.MigrateAsync(ct);
    }

    /// <summary>An empty history table counts as none: a first migration that failed part-way may have left one behind.</summary>
    private static async Task<bool> AnyMigrationRecordedAsync(NpgsqlConnection connection, CancellationToken ct) =>
        await ScalarAsync(connection, $"SELECT to_regclass('identity.{HistoryTable}') IS NOT NULL", ct) is true
        && await ScalarAsync(connection, $"SELECT EXISTS (SELECT 1 FROM identity.{HistoryTable})", ct) is true;

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct);
    }
}

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the context without starting the portal (which would launch the embedded
/// PostgreSQL). Adding a migration needs no database, so the connection string only names the provider's dialect.
/// </summary>
public sealed class PortalIdentityDesignTimeFactory : IDesignTimeDbContextFactory<PortalIdentityDbContext>
{
    public PortalIdentityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PortalIdentityDbContext>();
        options.UseIdentityDatabase("Host=localhost;Database=portal_design_time");
        return new PortalIdentityDbContext(options.Options);
    }
}
