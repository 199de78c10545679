using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// Runs a private PostgreSQL cluster from the locally installed server binaries: initdb on first use, pg_ctl start on
/// every start (listening on 127.0.0.1 only), pg_ctl stop -m fast on stop. When the process runs as root, the server
/// tools run as the <c>postgres</c> OS account through <c>runuser</c>, because PostgreSQL refuses to run as root.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    /// <summary>The cluster's superuser, created by initdb and used in <see cref="ConnectionString"/>.</summary>
    internal const string SuperUser = "portal";

    private readonly ILogger logger;
    private readonly Toolchain tools;
    private readonly ClusterLayout layout;
    private readonly FileStream launcherLock;
    private readonly Lock stopGate = new();
    private Task? stopTask;

    private EmbeddedPostgres(ILogger logger, Toolchain tools, ClusterLayout layout, FileStream launcherLock, int port, string connectionString)
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
    public static string? FindBinDirectory() => PostgresBinaries.FindBinDirectory();

    /// <summary>
    /// Where the embedded cluster lives by default: /var/lib/coordination-portal for root, otherwise
    /// $XDG_DATA_HOME/coordination-portal or ~/.local/share/coordination-portal.
    /// </summary>
    public static string DefaultDataDirectory() => ClusterDirectory.DefaultDataDirectory();

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
            Log.StopFailed(logger, ex, layout.Root);
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
                $"Could not set up the embedded PostgreSQL data directory {options.DataDirectory}: {EmbeddedPostgresUnavailableException.OneLine(ex.Message).TrimEnd('.')}; set Database:EmbeddedDataDirectory to a folder this account can write.",
                ex);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static async Task<EmbeddedPostgres> StartCoreAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var layout = new ClusterLayout(ClusterDirectory.NormalizeDataDirectory(options.DataDirectory));
        PostgresServer.ValidateDatabaseName(options.DatabaseName);
        if (options.Port is { } fixedPort && (fixedPort < 1 || fixedPort > 65535))
        {
            throw new ArgumentOutOfRangeException(nameof(options), fixedPort, "Port must be between 1 and 65535.");
        }

        var binDirectory = PostgresBinaries.ResolveBinDirectory(options.BinDirectory);
        var runAsServiceAccount = ServiceAccount.IsRoot();
        string? runUser = null;
        if (runAsServiceAccount)
        {
            runUser = PostgresBinaries.FindSystemTool("runuser")
                ?? throw new EmbeddedPostgresUnavailableException(
                    "Running as root, but 'runuser' (util-linux) was not found to run PostgreSQL as the 'postgres' account; run the portal as a normal user or install util-linux.");
            ClusterDirectory.EnsureTraversableByServiceAccount(layout.Root);
        }

        var tools = new Toolchain(binDirectory, runUser, layout.Root);
        Log.Starting(logger, layout.Root, binDirectory, runAsServiceAccount ? ServiceAccount.Name : Environment.UserName);

        await ClusterDirectory.PrepareDirectoriesAsync(layout, tools, ct);
        var launcherLock = ClusterDirectory.AcquireLauncherLock(layout);
        var serverStarted = false;
        try
        {
            var clusterExists = File.Exists(Path.Combine(layout.PgData, "PG_VERSION"));
            var password = await ClusterDirectory.LoadOrCreatePasswordAsync(layout, clusterExists, ct);

            if (clusterExists)
            {
                Log.ClusterReused(logger, layout.PgData);
            }
            else
            {
                var initStopwatch = Stopwatch.StartNew();
                await ClusterDirectory.InitializeClusterAsync(layout, tools, password, ct);
                Log.ClusterCreated(logger, layout.PgData, initStopwatch.ElapsedMilliseconds);
            }

            await LeftoverServer.StopLeftoverServerAsync(layout, tools, logger, ct);

            serverStarted = true;
            var port = await PostgresServer.StartServerAsync(layout, tools, options.Port, logger, ct);

            var databaseCreated = await PostgresServer.EnsureDatabaseAsync(port, password, options.DatabaseName, ct);
            var connectionString = new NpgsqlConnectionStringBuilder
            {
                Host = IPAddress.Loopback.ToString(),
                Port = port,
                Database = options.DatabaseName,
                Username = SuperUser,
                Password = password,
            }.ConnectionString;

            Log.Ready(
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
                await PostgresServer.TryStopServerAsync(layout, tools);
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
            if (!await PostgresServer.TryStopServerAsync(layout, tools))
            {
                throw new EmbeddedPostgresUnavailableException(
                    $"Could not stop the embedded PostgreSQL server in {layout.PgData}; see {layout.LogFile}.");
            }

            Log.Stopped(logger, layout.Root, Port);
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
}
