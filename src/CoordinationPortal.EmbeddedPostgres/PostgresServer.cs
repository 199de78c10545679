using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// The server process: pg_ctl start on a free 127.0.0.1 port with its Unix socket in the private run/ folder (retrying when
/// another process takes the port first), the database the portal uses, and pg_ctl stop.
/// </summary>
internal static class PostgresServer
{
    internal const int PortAttempts = 3;

    internal static readonly TimeSpan PgCtlTimeout = TimeSpan.FromSeconds(90);

    internal static readonly TimeSpan ConnectRetryWindow = TimeSpan.FromSeconds(10);

    internal static void ValidateDatabaseName(string databaseName)
    {
        if (string.IsNullOrWhiteSpace(databaseName) || databaseName.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(databaseName) > 63)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"'{EmbeddedPostgresUnavailableException.OneLine(databaseName ?? string.Empty)}' is not a valid PostgreSQL database name (1 to 63 bytes, no NUL).");
        }
    }

    [UnsupportedOSPlatform("windows")]
    internal static async Task<int> StartServerAsync(ClusterLayout layout, Toolchain tools, int? fixedPort, ILogger logger, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = fixedPort ?? PickFreeLoopbackPort();
            var logOffset = FileLength(layout.LogFile);
            var portText = port.ToString(CultureInfo.InvariantCulture);
            var serverOptions = string.Join(
                ' ',
                "-c listen_addresses=127.0.0.1",
                "-c port=" + portText,
                "-c unix_socket_directories='\"" + layout.RunDirectory + "\"'",
                "-c max_connections=200",
                "-c shared_buffers=128MB",
                "-c fsync=on");

            ProcessResult result;
            try
            {
                result = await tools.RunAsync(
                    "pg_ctl",
                    ["-D", layout.PgData, "-l", layout.LogFile, "-w", "-t", "60", "-o", serverOptions, "start"],
                    PgCtlTimeout,
                    ct);
            }
            catch (OperationCanceledException)
            {
                await TryStopServerAsync(layout, tools);
                throw;
            }

            if (result.Succeeded)
            {
                return port;
            }

            var logTail = ReadNewLogLines(layout.LogFile, logOffset);
            await TryStopServerAsync(layout, tools); // pg_ctl may have given up while the server was still coming up

            var portTaken = logTail.Any(line => line.Contains("Address already in use", StringComparison.OrdinalIgnoreCase));
            if (portTaken && fixedPort is null && attempt < PortAttempts)
            {
                Log.PortRace(logger, port);
                continue;
            }

            var meaningful = logTail
                .Where(line => !line.Contains("database system is shut down", StringComparison.Ordinal)
                    && !line.Contains("LOG:  starting PostgreSQL", StringComparison.Ordinal))
                .ToList();
            var details = ProcessResult.FormatTail(meaningful.Count > 0 ? meaningful : result.Output);
            throw new EmbeddedPostgresUnavailableException(
                $"PostgreSQL failed to start on 127.0.0.1:{portText} ({result.Describe()}): {details} (log: {layout.LogFile})");
        }
    }

    internal static async Task<bool> EnsureDatabaseAsync(int port, string password, string databaseName, CancellationToken ct)
    {
        var adminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = port,
            Database = "postgres",
            Username = EmbeddedPostgres.SuperUser,
            Password = password,
            Pooling = false,
            Timeout = 5,
        }.ConnectionString;

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var connection = new NpgsqlConnection(adminConnectionString);
                await using (connection)
                {
                    await connection.OpenAsync(ct);

                    var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
                    await using (exists)
                    {
                        exists.Parameters.Add(new NpgsqlParameter { Value = databaseName });
                        if (await exists.ExecuteScalarAsync(ct) is not null)
                        {
                            return false;
                        }
                    }

                    var create = new NpgsqlCommand("CREATE DATABASE " + QuoteIdentifier(databaseName), connection);
                    await using (create)
                    {
                        await create.ExecuteNonQueryAsync(ct);
                    }

                    return true;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                return false;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                throw new EmbeddedPostgresUnavailableException(
                    "The embedded PostgreSQL server rejected the password from superuser.pwd; restore the original file or delete the data directory to start over.",
                    ex);
            }
            catch (Exception ex) when (IsTransientConnectError(ex) && deadline.Elapsed < ConnectRetryWindow)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                throw new EmbeddedPostgresUnavailableException(
                    $"Could not prepare database '{databaseName}' on the embedded PostgreSQL server (127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}): {EmbeddedPostgresUnavailableException.OneLine(ex.Message)}",
                    ex);
            }
        }
    }

    internal static bool IsTransientConnectError(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.CannotConnectNow,
        NpgsqlException => true,
        TimeoutException => true,
        _ => false,
    };

    /// <summary>pg_ctl stop -m fast, falling back to -m immediate; true when no server is left running.</summary>
    [UnsupportedOSPlatform("windows")]
    internal static async Task<bool> TryStopServerAsync(ClusterLayout layout, Toolchain tools)
    {
        if (!File.Exists(layout.PostmasterPidFile))
        {
            return true;
        }

        if (LeftoverServer.ReadPostmasterPid(layout.PostmasterPidFile) is { } pid && !LeftoverServer.IsOurLiveServer(pid, layout.PgData))
        {
            return true; // died, a zombie, or a reused PID: nothing of ours to stop, and nothing else to signal
        }

        foreach (var mode in new[] { "fast", "immediate" })
        {
            var stop = await tools.RunAsync(
                "pg_ctl",
                ["-D", layout.PgData, "-m", mode, "-w", "-t", "60", "stop"],
                PgCtlTimeout,
                CancellationToken.None);
            if (stop.Succeeded || !File.Exists(layout.PostmasterPidFile))
            {
                return true;
            }

            var status = await tools.RunAsync("pg_ctl", ["-D", layout.PgData, "status"], Toolchain.QuickToolTimeout, CancellationToken.None);
            if (!status.Succeeded)
            {
                return true; // not running (the PID file is stale)
            }
        }

        return false;
    }

    internal static int PickFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static long FileLength(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    internal static List<string> ReadNewLogLines(string logFile, long offset)
    {
        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(offset <= stream.Length ? offset : 0, SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }

            return lines;
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    internal static string QuoteIdentifier(string identifier) =>
        "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
