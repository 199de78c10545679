using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoordinationPortal.Web.Hosting;

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

/// <summary>The embedded PostgreSQL server could not be provided. The message is a single line meant for a user.</summary>
public sealed class EmbeddedPostgresUnavailableException : Exception
{
    public EmbeddedPostgresUnavailableException()
        : base("The embedded PostgreSQL server is unavailable.")
    {
    }

    public EmbeddedPostgresUnavailableException(string message)
        : base(message)
    {
    }

    public EmbeddedPostgresUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Runs a private PostgreSQL cluster from the locally installed server binaries: initdb on first use, pg_ctl start on
/// every start (listening on 127.0.0.1 only), pg_ctl stop -m fast on stop. When the process runs as root, the server
/// tools run as the <c>postgres</c> OS account through <c>runuser</c>, because PostgreSQL refuses to run as root.
/// </summary>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "portal";
    private const string ServiceAccount = "postgres";
    private const string RootDefaultDataDirectory = "/var/lib/coordination-portal";
    private const string DebianInstallRoot = "/usr/lib/postgresql";
    private const int TailLineCount = 5;
    private const int MaxUnixSocketPathBytes = 107;
    private const int PortAttempts = 3;

    private const string NoBinariesMessage =
        "No PostgreSQL server binaries found (looked on PATH and in /usr/lib/postgresql/*/bin). " +
        "Install them (Debian: apt-get install postgresql) or set ConnectionStrings__Portal to an existing server.";

    private static readonly string[] ServerBinaries = ["initdb", "pg_ctl", "postgres"];
    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan PgCtlTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan QuickToolTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectRetryWindow = TimeSpan.FromSeconds(10);
    private static readonly UnixFileMode OwnerOnlyDirectory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly UnixFileMode PublicDirectory = OwnerOnlyDirectory |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly ILogger logger;
    private readonly Toolchain tools;
    private readonly Layout layout;
    private readonly FileStream launcherLock;
    private readonly Lock stopGate = new();
    private Task? stopTask;

    private EmbeddedPostgres(ILogger logger, Toolchain tools, Layout layout, FileStream launcherLock, int port, string connectionString)
    {
        this.logger = logger;
        this.tools = tools;
        this.layout = layout;
        this.launcherLock = launcherLock;
        Port = port;
        ConnectionString = connectionString;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Npgsql connection string for the configured database on 127.0.0.1:<see cref="Port"/> as user <c>portal</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>The TCP port the server listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>The absolute data directory (the cluster itself is in its <c>pgdata</c> subfolder).</summary>
    public string DataDirectory => layout.Root;

    /// <summary>
    /// The directory that holds initdb, pg_ctl and postgres: the first PATH entry that has them (symlinks resolved, so
    /// pg_ctl finds postgres beside it), else the highest version under /usr/lib/postgresql/*/bin; null if none.
    /// </summary>
    public static string? FindBinDirectory()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        if (!string.IsNullOrEmpty(path))
        {
            foreach (var entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Path.IsPathRooted(entry))
                {
                    continue;
                }

                var resolved = ResolveToolDirectory(entry);
                if (resolved is not null && HasServerBinaries(resolved))
                {
                    return resolved;
                }
            }
        }

        if (!Directory.Exists(DebianInstallRoot))
        {
            return null;
        }

        string? best = null;
        Version? bestVersion = null;
        foreach (var versionDirectory in Directory.EnumerateDirectories(DebianInstallRoot))
        {
            var version = ParseMajorVersion(Path.GetFileName(versionDirectory));
            var bin = Path.Combine(versionDirectory, "bin");
            if (version is not null && (bestVersion is null || version > bestVersion) && HasServerBinaries(bin))
            {
                best = bin;
                bestVersion = version;
            }
        }

        return best;
    }

    /// <summary>
    /// Where the embedded cluster lives by default: /var/lib/coordination-portal for root, otherwise
    /// $XDG_DATA_HOME/coordination-portal or ~/.local/share/coordination-portal.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        if (IsRoot())
        {
            return RootDefaultDataDirectory;
        }

        var xdgDataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrWhiteSpace(xdgDataHome) && Path.IsPathRooted(xdgDataHome))
        {
            return Path.Combine(xdgDataHome, "coordination-portal");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "coordination-portal");
    }

    /// <summary>
    /// Creates the cluster if needed, starts the server, makes sure the database exists and returns the running
    /// instance. Throws <see cref="EmbeddedPostgresUnavailableException"/> with a one-line message when that fails.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (OperatingSystem.IsWindows())
        {
            throw new EmbeddedPostgresUnavailableException(
                "The embedded PostgreSQL server is not supported on Windows; set ConnectionStrings__Portal to an existing server.");
        }

        return await StartOnUnixAsync(options, logger, ct);
    }

    /// <summary>Stops the server with <c>pg_ctl stop -m fast</c>. Safe to call more than once.</summary>
    public Task StopAsync()
    {
        if (OperatingSystem.IsWindows())
        {
            return Task.CompletedTask;
        }

        lock (stopGate)
        {
            return stopTask ??= StopCoreAsync();
        }
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>); failures are logged, not thrown.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (EmbeddedPostgresUnavailableException ex)
        {
            LogStopFailed(logger, ex, layout.Root);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static async Task<EmbeddedPostgres> StartOnUnixAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        try
        {
            return await StartCoreAsync(options, logger, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"Could not set up the embedded PostgreSQL data directory {options.DataDirectory}: {OneLine(ex.Message).TrimEnd('.')}; set Database:EmbeddedDataDirectory to a folder this account can write.",
                ex);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static async Task<EmbeddedPostgres> StartCoreAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var layout = new Layout(NormalizeDataDirectory(options.DataDirectory));
        ValidateDatabaseName(options.DatabaseName);
        if (options.Port is { } fixedPort && (fixedPort < 1 || fixedPort > 65535))
        {
            throw new ArgumentOutOfRangeException(nameof(options), fixedPort, "Port must be between 1 and 65535.");
        }

        var binDirectory = ResolveBinDirectory(options.BinDirectory);
        var runAsServiceAccount = IsRoot();
        string? runUser = null;
        if (runAsServiceAccount)
        {
            runUser = FindSystemTool("runuser")
                ?? throw new EmbeddedPostgresUnavailableException(
                    "Running as root, but 'runuser' (util-linux) was not found to run PostgreSQL as the 'postgres' account; run the portal as a normal user or install util-linux.");
            EnsureTraversableByServiceAccount(layout.Root);
        }

        var tools = new Toolchain(binDirectory, runUser, layout.Root);
        LogStarting(logger, layout.Root, binDirectory, runAsServiceAccount ? ServiceAccount : Environment.UserName);

        await PrepareDirectoriesAsync(layout, tools, ct);
        var launcherLock = AcquireLauncherLock(layout);
        var serverStarted = false;
        try
        {
            var clusterExists = File.Exists(Path.Combine(layout.PgData, "PG_VERSION"));
            var password = await LoadOrCreatePasswordAsync(layout, clusterExists, ct);

            if (clusterExists)
            {
                LogClusterReused(logger, layout.PgData);
            }
            else
            {
                var initStopwatch = Stopwatch.StartNew();
                await InitializeClusterAsync(layout, tools, password, ct);
                LogClusterCreated(logger, layout.PgData, initStopwatch.ElapsedMilliseconds);
            }

            await StopLeftoverServerAsync(layout, tools, logger, ct);

            serverStarted = true;
            var port = await StartServerAsync(layout, tools, options.Port, logger, ct);

            var databaseCreated = await EnsureDatabaseAsync(port, password, options.DatabaseName, ct);
            var connectionString = new NpgsqlConnectionStringBuilder
            {
                Host = IPAddress.Loopback.ToString(),
                Port = port,
                Database = options.DatabaseName,
                Username = SuperUser,
                Password = password,
            }.ConnectionString;

            LogReady(
                logger,
                layout.Root,
                port,
                clusterExists ? "reused" : "created",
                options.DatabaseName,
                databaseCreated ? "created" : "existing",
                stopwatch.ElapsedMilliseconds);
            return new EmbeddedPostgres(logger, tools, layout, launcherLock, port, connectionString);
        }
        catch
        {
            if (serverStarted)
            {
                await TryStopServerAsync(layout, tools);
            }

            await launcherLock.DisposeAsync();
            throw;
        }
    }

    [UnsupportedOSPlatform("windows")]
    private async Task StopCoreAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            if (!await TryStopServerAsync(layout, tools))
            {
                throw new EmbeddedPostgresUnavailableException(
                    $"Could not stop the embedded PostgreSQL server in {layout.PgData}; see {layout.LogFile}.");
            }

            LogStopped(logger, layout.Root, Port);
        }
        finally
        {
            await launcherLock.DisposeAsync();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // Last resort when the host exits without disposing: do not leave an orphaned server behind.
        try
        {
            StopAsync().Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Already logged by whoever awaited the stop; nothing more can be done while the process exits.
        }
    }

    // ----- start-up steps -------------------------------------------------------------------------------------------

    [UnsupportedOSPlatform("windows")]
    private static async Task PrepareDirectoriesAsync(Layout layout, Toolchain tools, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(layout.Root)!;
        CreateDirectoryChain(parent, PublicDirectory);
        if (!Directory.Exists(layout.Root))
        {
            Directory.CreateDirectory(layout.Root, OwnerOnlyDirectory);
            File.SetUnixFileMode(layout.Root, OwnerOnlyDirectory);
        }

        if (!Directory.Exists(layout.RunDirectory))
        {
            Directory.CreateDirectory(layout.RunDirectory, OwnerOnlyDirectory);
        }

        File.SetUnixFileMode(layout.RunDirectory, OwnerOnlyDirectory);

        if (tools.RunsAsServiceAccount)
        {
            // The server (running as postgres) writes postgres.log and pgdata.initdb here and its socket into run/.
            await tools.GiveToServiceAccountAsync([layout.Root, layout.RunDirectory], ct);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static void CreateDirectoryChain(string directory, UnixFileMode mode)
    {
        var missing = new Stack<string>();
        for (var current = directory; current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        while (missing.TryPop(out var toCreate))
        {
            Directory.CreateDirectory(toCreate, mode);
            File.SetUnixFileMode(toCreate, mode); // the umask may have narrowed it
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static FileStream AcquireLauncherLock(Layout layout)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock; the kernel drops it if this process dies.
            var stream = new FileStream(layout.LockFile, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = OwnerOnlyFile,
            });
            stream.SetLength(0);
            stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush();
            return stream;
        }
        catch (IOException ex)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"The embedded PostgreSQL data directory {layout.Root} is already in use by another running process (lock {layout.LockFile} is held); stop it or choose another Database:EmbeddedDataDirectory.",
                ex);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static async Task<string> LoadOrCreatePasswordAsync(Layout layout, bool clusterExists, CancellationToken ct)
    {
        if (File.Exists(layout.PasswordFile))
        {
            var stored = (await File.ReadAllTextAsync(layout.PasswordFile, ct)).Trim();
            if (stored.Length == 0)
            {
                throw new EmbeddedPostgresUnavailableException(
                    $"The embedded PostgreSQL password file {layout.PasswordFile} is empty; restore it or delete {layout.Root} to start over.");
            }

            if (File.GetUnixFileMode(layout.PasswordFile) != OwnerOnlyFile)
            {
                File.SetUnixFileMode(layout.PasswordFile, OwnerOnlyFile);
            }

            return stored;
        }

        if (clusterExists)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"The embedded PostgreSQL cluster in {layout.PgData} exists but its password file {layout.PasswordFile} is missing; restore the file or delete {layout.Root} to start over.");
        }

        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var password = new string(RandomNumberGenerator.GetItems<char>(alphabet, 32));
        var staging = layout.PasswordFile + ".tmp";
        await WriteSecretFileAsync(staging, password, ct);
        File.Move(staging, layout.PasswordFile, overwrite: true);
        return password;
    }

    [UnsupportedOSPlatform("windows")]
    private static async Task WriteSecretFileAsync(string path, string secret, CancellationToken ct)
    {
        File.Delete(path);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = OwnerOnlyFile,
        };
        var stream = new FileStream(path, options);
        await using (stream)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(secret + "\n"), ct);
        }

        File.SetUnixFileMode(path, OwnerOnlyFile);
    }

    [UnsupportedOSPlatform("windows")]
    private static async Task InitializeClusterAsync(Layout layout, Toolchain tools, string password, CancellationToken ct)
    {
        if (Directory.Exists(layout.PgData))
        {
            if (Directory.EnumerateFileSystemEntries(layout.PgData).Any())
            {
                throw new EmbeddedPostgresUnavailableException(
                    $"{layout.PgData} exists but is not a PostgreSQL cluster (no PG_VERSION); move it away or choose another Database:EmbeddedDataDirectory.");
            }

            Directory.Delete(layout.PgData);
        }

        // initdb works in a staging folder that is renamed on success, so an interrupted initdb never looks like a cluster.
        DeleteDirectoryIfExists(layout.InitDbStaging);

        string? serviceAccountCopy = null;
        try
        {
            var passwordFileForInitDb = layout.PasswordFile;
            if (tools.RunsAsServiceAccount)
            {
                serviceAccountCopy = Path.Combine(layout.RunDirectory, "initdb.pwd");
                await WriteSecretFileAsync(serviceAccountCopy, password, ct);
                await tools.GiveToServiceAccountAsync([serviceAccountCopy], ct);
                passwordFileForInitDb = serviceAccountCopy;
            }

            var result = await RunInitDbAsync(layout, tools, passwordFileForInitDb, "--locale=C.UTF-8", ct);
            if (!result.Succeeded && result.Mentions("invalid locale"))
            {
                // C.UTF-8 is missing on this system: fall back to the plain C locale.
                DeleteDirectoryIfExists(layout.InitDbStaging);
                result = await RunInitDbAsync(layout, tools, passwordFileForInitDb, "--no-locale", ct);
            }

            if (!result.Succeeded)
            {
                DeleteDirectoryIfExists(layout.InitDbStaging);
                throw new EmbeddedPostgresUnavailableException($"initdb failed ({result.Describe()}): {result.Tail()}");
            }

            Directory.Move(layout.InitDbStaging, layout.PgData);
        }
        finally
        {
            if (serviceAccountCopy is not null)
            {
                File.Delete(serviceAccountCopy);
            }
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static Task<ProcessResult> RunInitDbAsync(Layout layout, Toolchain tools, string passwordFile, string localeArgument, CancellationToken ct) =>
        tools.RunAsync(
            "initdb",
            [
                "-D", layout.InitDbStaging,
                "-U", SuperUser,
                "--pwfile=" + passwordFile,
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "-E", "UTF8",
                localeArgument,
            ],
            InitDbTimeout,
            ct);

    /// <summary>A server left running by a launcher that died without stopping it is stopped before starting anew.</summary>
    [UnsupportedOSPlatform("windows")]
    private static async Task StopLeftoverServerAsync(Layout layout, Toolchain tools, ILogger logger, CancellationToken ct)
    {
        if (!File.Exists(layout.PostmasterPidFile))
        {
            return;
        }

        var pid = ReadPostmasterPid(layout.PostmasterPidFile);
        var status = await tools.RunAsync("pg_ctl", ["-D", layout.PgData, "status"], QuickToolTimeout, ct);
        if (status.Succeeded && (pid is null || IsOurLiveServer(pid.Value, layout.PgData)))
        {
            LogLeftoverServer(logger, pid ?? 0, layout.PgData);
            if (!await TryStopServerAsync(layout, tools))
            {
                throw new EmbeddedPostgresUnavailableException(
                    $"A PostgreSQL server left over from an earlier run (PID {pid}) is still using {layout.PgData} and could not be stopped; stop it and retry.");
            }

            return;
        }

        // The server is gone. Give its orphaned backends a moment to notice and exit, so the new server does not find
        // the old shared memory still attached.
        await WaitForOrphanedServerProcessesAsync(layout.PgData, ct);
        if (status.Succeeded)
        {
            // pg_ctl (and the server's own lock check) see the PID as alive, but it is a zombie nobody reaped or a PID
            // now used by another process (possibly another cluster, which must not be touched): the file is stale.
            LogStalePidFile(logger, layout.PostmasterPidFile, pid ?? 0);
            File.Delete(layout.PostmasterPidFile);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static async Task<int> StartServerAsync(Layout layout, Toolchain tools, int? fixedPort, ILogger logger, CancellationToken ct)
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
                LogPortRace(logger, port);
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

    private static async Task<bool> EnsureDatabaseAsync(int port, string password, string databaseName, CancellationToken ct)
    {
        var adminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = port,
            Database = "postgres",
            Username = SuperUser,
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
                    $"Could not prepare database '{databaseName}' on the embedded PostgreSQL server (127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}): {OneLine(ex.Message)}",
                    ex);
            }
        }
    }

    private static bool IsTransientConnectError(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.CannotConnectNow,
        NpgsqlException => true,
        TimeoutException => true,
        _ => false,
    };

    /// <summary>pg_ctl stop -m fast, falling back to -m immediate; true when no server is left running.</summary>
    [UnsupportedOSPlatform("windows")]
    private static async Task<bool> TryStopServerAsync(Layout layout, Toolchain tools)
    {
        if (!File.Exists(layout.PostmasterPidFile))
        {
            return true;
        }

        if (ReadPostmasterPid(layout.PostmasterPidFile) is { } pid && !IsOurLiveServer(pid, layout.PgData))
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

            var status = await tools.RunAsync("pg_ctl", ["-D", layout.PgData, "status"], QuickToolTimeout, CancellationToken.None);
            if (!status.Succeeded)
            {
                return true; // not running (the PID file is stale)
            }
        }

        return false;
    }

    // ----- validation and discovery ---------------------------------------------------------------------------------

    private static string NormalizeDataDirectory(string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            throw new EmbeddedPostgresUnavailableException(
                "No data directory was given for the embedded PostgreSQL server; set Database:EmbeddedDataDirectory.");
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        if (Path.GetDirectoryName(full) is null)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"The embedded PostgreSQL data directory cannot be the file system root ({full}); set Database:EmbeddedDataDirectory to a dedicated folder.");
        }

        // pg_ctl passes -D, -l and -o through /bin/sh inside double quotes; these characters would break that.
        if (full.AsSpan().IndexOfAny("\"'`$\\") >= 0 || full.Any(char.IsControl))
        {
            throw new EmbeddedPostgresUnavailableException(
                $"The embedded PostgreSQL data directory '{OneLine(full)}' contains quotes, $, `, \\ or control characters, which pg_ctl cannot handle; choose a plainer path for Database:EmbeddedDataDirectory.");
        }

        var socketPath = Path.Combine(full, "run", ".s.PGSQL.65535");
        if (Encoding.UTF8.GetByteCount(socketPath) > MaxUnixSocketPathBytes)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"The embedded PostgreSQL data directory {full} is too long for a Unix socket path (max {MaxUnixSocketPathBytes} bytes for {socketPath}); choose a shorter Database:EmbeddedDataDirectory.");
        }

        return full;
    }

    private static void ValidateDatabaseName(string databaseName)
    {
        if (string.IsNullOrWhiteSpace(databaseName) || databaseName.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(databaseName) > 63)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"'{OneLine(databaseName ?? string.Empty)}' is not a valid PostgreSQL database name (1 to 63 bytes, no NUL).");
        }
    }

    private static string ResolveBinDirectory(string? configured)
    {
        if (configured is null)
        {
            return FindBinDirectory() ?? throw new EmbeddedPostgresUnavailableException(NoBinariesMessage);
        }

        var full = Path.GetFullPath(configured);
        if (!HasServerBinaries(full))
        {
            throw new EmbeddedPostgresUnavailableException(
                $"The configured PostgreSQL bin directory {full} does not contain initdb, pg_ctl and postgres. Install the server (Debian: apt-get install postgresql) or set ConnectionStrings__Portal to an existing server.");
        }

        return full;
    }

    private static bool HasServerBinaries(string directory) =>
        ServerBinaries.All(name => File.Exists(Path.Combine(directory, name)));

    /// <summary>The real directory of <c>{entry}/pg_ctl</c> with symlinks followed, or null when there is none.</summary>
    private static string? ResolveToolDirectory(string entry)
    {
        var pgCtl = Path.Combine(entry, "pg_ctl");
        if (!File.Exists(pgCtl))
        {
            return null;
        }

        try
        {
            var target = File.ResolveLinkTarget(pgCtl, returnFinalTarget: true);
            return Path.GetDirectoryName(target?.FullName ?? Path.GetFullPath(pgCtl));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Version? ParseMajorVersion(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return new Version(major, 0);
        }

        return Version.TryParse(name, out var version) ? version : null;
    }

    private static string? FindSystemTool(string name)
    {
        string[] fallbacks = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathRooted)
            .Concat(fallbacks)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>As root the server runs as postgres, which must be able to enter every folder above the data directory.</summary>
    [UnsupportedOSPlatform("windows")]
    private static void EnsureTraversableByServiceAccount(string dataDirectory)
    {
        for (var directory = Path.GetDirectoryName(dataDirectory); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (Directory.Exists(directory) && (File.GetUnixFileMode(directory) & UnixFileMode.OtherExecute) == 0)
            {
                throw new EmbeddedPostgresUnavailableException(
                    $"The embedded PostgreSQL data directory {dataDirectory} is inside {directory}, which the 'postgres' account (used because PostgreSQL refuses to run as root) cannot enter; set Database:EmbeddedDataDirectory to a path outside /root, e.g. {RootDefaultDataDirectory}.");
            }
        }
    }

    private static bool IsRoot()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return NativeMethods.geteuid() == 0;
        }
        catch (DllNotFoundException)
        {
        }
        catch (EntryPointNotFoundException)
        {
        }

        // Fallback: the effective UID is the second field of "Uid:" in /proc/self/status.
        try
        {
            var uidLine = File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = uidLine?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields is { Length: > 2 })
            {
                return string.Equals(fields[2], "0", StringComparison.Ordinal);
            }
        }
        catch (IOException)
        {
        }

        return string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
    }

    // ----- small helpers --------------------------------------------------------------------------------------------

    private static int PickFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int? ReadPostmasterPid(string pidFile)
    {
        try
        {
            var firstLine = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(firstLine, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the PID is a running postgres process working in this cluster (every server process changes into its
    /// data directory). Unknowable parts (no /proc, unreadable working directory) count as yes.
    /// </summary>
    private static bool IsOurLiveServer(int pid, string pgData)
    {
        if (!IsLivePostgresProcess(pid))
        {
            return false;
        }

        var workingDirectory = TryReadWorkingDirectory(pid.ToString(CultureInfo.InvariantCulture));
        return workingDirectory is null || string.Equals(workingDirectory, RealPath(pgData), StringComparison.Ordinal);
    }

    private static string? TryReadWorkingDirectory(string pid)
    {
        try
        {
            return new DirectoryInfo(Path.Combine("/proc", pid, "cwd")).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the PID is a running (not zombie) postgres process; true when there is no /proc to ask.</summary>
    private static bool IsLivePostgresProcess(int pid)
    {
        if (!Directory.Exists("/proc/self"))
        {
            return true;
        }

        try
        {
            // /proc/PID/stat: "PID (COMM) STATE ..."; COMM may contain spaces or parentheses, so split at the last ')'.
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || close + 2 >= stat.Length)
            {
                return false;
            }

            var command = stat[(open + 1)..close];
            var state = stat[close + 2];
            return state is not ('Z' or 'X' or 'x')
                && (command.StartsWith("postgres", StringComparison.Ordinal) || command.StartsWith("postmaster", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false; // no such process
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>Waits up to 10 s for live processes whose working directory is the cluster (old backends) to exit.</summary>
    private static async Task WaitForOrphanedServerProcessesAsync(string pgData, CancellationToken ct)
    {
        if (!Directory.Exists("/proc/self"))
        {
            return;
        }

        var realPgData = RealPath(pgData);
        var deadline = Stopwatch.StartNew();
        while (ProcessesWorkingIn(realPgData) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    private static bool ProcessesWorkingIn(string directory)
    {
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(entry);
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId
                && string.Equals(TryReadWorkingDirectory(name), directory, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path with every symlink resolved (what the kernel reports as a working directory).</summary>
    private static string RealPath(string path)
    {
        try
        {
            var resolved = Path.GetPathRoot(path) ?? "/";
            foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var next = Path.Combine(resolved, part);
                var info = new DirectoryInfo(next);
                if (info.LinkTarget is not null)
                {
                    next = RealPath(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next);
                }

                resolved = next;
            }

            return resolved;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static long FileLength(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    private static List<string> ReadNewLogLines(string logFile, long offset)
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

    private static void DeleteDirectoryIfExists(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static string QuoteIdentifier(string identifier) =>
        "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    // ----- logging --------------------------------------------------------------------------------------------------

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting embedded PostgreSQL: data directory {DataDirectory}, binaries {BinDirectory}, running as {Account}")]
    private static partial void LogStarting(ILogger logger, string dataDirectory, string binDirectory, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created a new embedded PostgreSQL cluster in {PgData} (initdb took {ElapsedMs} ms)")]
    private static partial void LogClusterCreated(ILogger logger, string pgData, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the existing embedded PostgreSQL cluster in {PgData}")]
    private static partial void LogClusterReused(ILogger logger, string pgData);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A PostgreSQL server (PID {Pid}) left over from an earlier run is still running on {PgData}; stopping it before starting")]
    private static partial void LogLeftoverServer(ILogger logger, int pid, string pgData);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing stale {PidFile}: PID {Pid} is not a running server of this cluster")]
    private static partial void LogStalePidFile(ILogger logger, string pidFile, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Port {Port} was taken before PostgreSQL could bind it; retrying on another port")]
    private static partial void LogPortRace(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL ready: data directory {DataDirectory}, port {Port}, cluster {ClusterState}, database {Database} ({DatabaseState}), started in {ElapsedMs} ms")]
    private static partial void LogReady(ILogger logger, string dataDirectory, int port, string clusterState, string database, string databaseState, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped embedded PostgreSQL (data directory {DataDirectory}, port {Port})")]
    private static partial void LogStopped(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping embedded PostgreSQL in {DataDirectory} failed")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string dataDirectory);

    // ----- nested types ---------------------------------------------------------------------------------------------

    private sealed record Layout(string Root)
    {
        public string PgData => Path.Combine(Root, "pgdata");

        public string InitDbStaging => Path.Combine(Root, "pgdata.initdb");

        public string RunDirectory => Path.Combine(Root, "run");

        public string PasswordFile => Path.Combine(Root, "superuser.pwd");

        public string LogFile => Path.Combine(Root, "postgres.log");

        public string LockFile => Path.Combine(Root, "launcher.lock");

        public string PostmasterPidFile => Path.Combine(PgData, "postmaster.pid");
    }

    /// <summary>Runs the PostgreSQL tools, through <c>runuser -u postgres --</c> when the launcher is root.</summary>
    private sealed class Toolchain(string binDirectory, string? runUser, string workingDirectory)
    {
        public bool RunsAsServiceAccount => runUser is not null;

        public Task<ProcessResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken ct)
        {
            var executable = Path.Combine(binDirectory, tool);
            return runUser is null
                ? ProcessResult.RunAsync(tool, executable, arguments, workingDirectory, timeout, ct)
                : ProcessResult.RunAsync(tool, runUser, ["-u", ServiceAccount, "--", executable, .. arguments], workingDirectory, timeout, ct);
        }

        public async Task GiveToServiceAccountAsync(IReadOnlyList<string> paths, CancellationToken ct)
        {
            var chown = FindSystemTool("chown")
                ?? throw new EmbeddedPostgresUnavailableException("Running as root, but 'chown' was not found to hand the data directory to the 'postgres' account.");
            var result = await ProcessResult.RunAsync("chown", chown, [ServiceAccount + ":", .. paths], workingDirectory, QuickToolTimeout, ct);
            if (!result.Succeeded)
            {
                throw new EmbeddedPostgresUnavailableException(
                    $"Could not hand {paths[0]} to the 'postgres' account ({result.Describe()}): {result.Tail()}. Running as root needs a 'postgres' OS account (Debian: apt-get install postgresql creates it).");
            }
        }
    }

    private sealed class ProcessResult
    {
        private const int MaxKeptLines = 400;

        private ProcessResult(string fileName, int exitCode, bool timedOut, IReadOnlyList<string> output)
        {
            FileName = fileName;
            ExitCode = exitCode;
            TimedOut = timedOut;
            Output = output;
        }

        public string FileName { get; }

        public int ExitCode { get; }

        public bool TimedOut { get; }

        public IReadOnlyList<string> Output { get; }

        public bool Succeeded => !TimedOut && ExitCode == 0;

        public static async Task<ProcessResult> RunAsync(
            string displayName, string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken ct)
        {
            var startInfo = new ProcessStartInfo(fileName)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
                WorkingDirectory = workingDirectory,
            };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            // Keep the caller's libpq settings (PGDATA, PGPORT, PGOPTIONS...) away from the tools; English messages.
            foreach (var key in startInfo.Environment.Keys.Where(key => key.StartsWith("PG", StringComparison.Ordinal)).ToList())
            {
                startInfo.Environment.Remove(key);
            }

            startInfo.Environment["LC_ALL"] = "C";

            using var process = new Process { StartInfo = startInfo };
            try
            {
                process.Start();
            }
            catch (Win32Exception ex)
            {
                throw new EmbeddedPostgresUnavailableException($"Could not run {fileName}: {ex.Message}", ex);
            }

            process.StandardInput.Close();
            var output = new List<string>();
            var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, output), PumpAsync(process.StandardError, output));

            var timedOut = false;
            using (var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeoutSource.CancelAfter(timeout);
                try
                {
                    await process.WaitForExitAsync(timeoutSource.Token);
                }
                catch (OperationCanceledException)
                {
                    Kill(process);
                    ct.ThrowIfCancellationRequested();
                    timedOut = true;
                }
            }

            // A daemon that inherited the pipes must not hold us up: wait only briefly for the rest of the output.
            await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
            var exitCode = process.HasExited ? process.ExitCode : -1;
            lock (output)
            {
                return new ProcessResult(displayName, exitCode, timedOut, [.. output]);
            }
        }

        public bool Mentions(string text) =>
            Output.Any(line => line.Contains(text, StringComparison.OrdinalIgnoreCase));

        public string Describe() => TimedOut
            ? $"{FileName} timed out"
            : $"{FileName} exit code {ExitCode.ToString(CultureInfo.InvariantCulture)}";

        /// <summary>The last few error lines of the output, or its last few lines when none looks like an error.</summary>
        public string Tail()
        {
            var errors = Output.Where(line => ErrorLine().IsMatch(line)).ToList();
            return FormatTail(errors.Count > 0 ? errors : Output);
        }

        public static string FormatTail(IEnumerable<string> lines)
        {
            var meaningful = lines
                .Select(line => LogLinePrefix().Replace(line, string.Empty).Trim())
                .Where(line => line.Length > 0)
                .ToList();
            return meaningful.Count == 0
                ? "(no output)"
                : string.Join(" | ", meaningful.Skip(Math.Max(0, meaningful.Count - TailLineCount)));
        }

        private static async Task PumpAsync(StreamReader reader, List<string> sink)
        {
            try
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    lock (sink)
                    {
                        sink.Add(line);
                        if (sink.Count > MaxKeptLines)
                        {
                            sink.RemoveAt(0);
                        }
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private static void Kill(Process process)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already exited
            }
            catch (Win32Exception)
            {
                // could not be killed; the exit code will say so
            }
        }
    }

    /// <summary>"2025-01-31 12:00:00.000 UTC [1234] " at the start of a server log line.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? \S+ \[\d+\] ")]
    private static partial Regex LogLinePrefix();

    [GeneratedRegex(@"error|fatal|panic|could not|cannot|denied|not permitted|does not exist", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "geteuid")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern uint geteuid();
    }
}
