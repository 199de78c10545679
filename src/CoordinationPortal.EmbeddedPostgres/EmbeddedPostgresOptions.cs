namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>Settings for <see cref="EmbeddedPostgres"/>.</summary>
public sealed record EmbeddedPostgresOptions
{
    /// <summary>
    /// Folder owned by the launcher. The cluster lives in <c>{DataDirectory}/pgdata</c>, the generated superuser
    /// password in <c>{DataDirectory}/superuser.pwd</c> (mode 0600), the server log in <c>{DataDirectory}/postgres.log</c>
    /// and the Unix socket in <c>{DataDirectory}/run</c>.
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>Database created on first start (if missing) and used by <see cref="EmbeddedPostgres.ConnectionString"/>.</summary>
    public string DatabaseName { get; init; } = "coordination_portal";

    /// <summary>TCP port on 127.0.0.1; <see langword="null"/> picks a free loopback port on every start.</summary>
    public int? Port { get; init; }

    /// <summary>Directory holding initdb, pg_ctl and postgres; <see langword="null"/> uses <see cref="EmbeddedPostgres.FindBinDirectory"/>.</summary>
    public string? BinDirectory { get; init; }
}
