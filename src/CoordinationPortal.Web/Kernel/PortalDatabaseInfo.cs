using Npgsql;

namespace CoordinationPortal.Web.Kernel;

/// <summary>Where the portal's data lives; <see cref="Embedded"/> is true for the private default cluster (demo data and accounts).</summary>
public sealed record PortalDatabaseInfo(string ConnectionString, bool Embedded, string? EmbeddedDataDirectory = null)
{
    public NpgsqlConnectionStringBuilder Parsed => new(ConnectionString);
}
