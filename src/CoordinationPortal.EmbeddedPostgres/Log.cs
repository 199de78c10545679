using Microsoft.Extensions.Logging;

namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>The launcher's log messages (source-generated, so a disabled level costs nothing).</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Starting embedded PostgreSQL: data directory {DataDirectory}, binaries {BinDirectory}, running as {Account}")]
    internal static partial void Starting(ILogger logger, string dataDirectory, string binDirectory, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created a new embedded PostgreSQL cluster in {PgData} (initdb took {ElapsedMs} ms)")]
    internal static partial void ClusterCreated(ILogger logger, string pgData, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the existing embedded PostgreSQL cluster in {PgData}")]
    internal static partial void ClusterReused(ILogger logger, string pgData);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A PostgreSQL server (PID {Pid}) left over from an earlier run is still running on {PgData}; stopping it before starting")]
    internal static partial void LeftoverServer(ILogger logger, int pid, string pgData);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing stale {PidFile}: PID {Pid} is not a running server of this cluster")]
    internal static partial void StalePidFile(ILogger logger, string pidFile, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Port {Port} was taken before PostgreSQL could bind it; retrying on another port")]
    internal static partial void PortRace(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL ready: data directory {DataDirectory}, port {Port}, cluster {ClusterState}, database {Database} ({DatabaseState}), started in {ElapsedMs} ms")]
    internal static partial void Ready(ILogger logger, string dataDirectory, int port, string clusterState, string database, string databaseState, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped embedded PostgreSQL (data directory {DataDirectory}, port {Port})")]
    internal static partial void Stopped(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping embedded PostgreSQL in {DataDirectory} failed")]
    internal static partial void StopFailed(ILogger logger, Exception exception, string dataDirectory);
}
