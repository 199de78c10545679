namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>Where each file of the launcher lives inside its data directory.</summary>
internal sealed record ClusterLayout(string Root)
{
    public string PgData => Path.Combine(Root, "pgdata");

    public string InitDbStaging => Path.Combine(Root, "pgdata.initdb");

    public string RunDirectory => Path.Combine(Root, "run");

    public string PasswordFile => Path.Combine(Root, "superuser.pwd");

    public string LogFile => Path.Combine(Root, "postgres.log");

    public string LockFile => Path.Combine(Root, "launcher.lock");

    public string PostmasterPidFile => Path.Combine(PgData, "postmaster.pid");
}
