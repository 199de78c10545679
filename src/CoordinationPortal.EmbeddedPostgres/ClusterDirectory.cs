using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;

namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// The launcher's data directory: where it is, its owner-only permissions (handed to the <c>postgres</c> account when the
/// launcher is root), the exclusive launcher lock, the generated superuser password and the cluster initdb creates in it.
/// </summary>
internal static class ClusterDirectory
{
    internal const string RootDefaultDataDirectory = "/var/lib/coordination-portal";

    internal const int MaxUnixSocketPathBytes = 107;

    internal static readonly TimeSpan InitDbTimeout = TimeSpan.FromMinutes(3);

    internal static readonly UnixFileMode OwnerOnlyDirectory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    internal static readonly UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    internal static readonly UnixFileMode PublicDirectory = OwnerOnlyDirectory |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>
    /// Where the embedded cluster lives by default: /var/lib/coordination-portal for root, otherwise
    /// $XDG_DATA_HOME/coordination-portal or ~/.local/share/coordination-portal.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        if (ServiceAccount.IsRoot())
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

    internal static string NormalizeDataDirectory(string dataDirectory)
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
                $"The embedded PostgreSQL data directory '{EmbeddedPostgresUnavailableException.OneLine(full)}' contains quotes, $, `, \\ or control characters, which pg_ctl cannot handle; choose a plainer path for Database:EmbeddedDataDirectory.");
        }

        var socketPath = Path.Combine(full, "run", ".s.PGSQL.65535");
        if (Encoding.UTF8.GetByteCount(socketPath) > MaxUnixSocketPathBytes)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"The embedded PostgreSQL data directory {full} is too long for a Unix socket path (max {MaxUnixSocketPathBytes} bytes for {socketPath}); choose a shorter Database:EmbeddedDataDirectory.");
        }

        return full;
    }

    /// <summary>As root the server runs as postgres, which must be able to enter every folder above the data directory.</summary>
    [UnsupportedOSPlatform("windows")]
    internal static void EnsureTraversableByServiceAccount(string dataDirectory)
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

    [UnsupportedOSPlatform("windows")]
    internal static async Task PrepareDirectoriesAsync(ClusterLayout layout, Toolchain tools, CancellationToken ct)
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
    internal static void CreateDirectoryChain(string directory, UnixFileMode mode)
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
    internal static FileStream AcquireLauncherLock(ClusterLayout layout)
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
    internal static async Task<string> LoadOrCreatePasswordAsync(ClusterLayout layout, bool clusterExists, CancellationToken ct)
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
    internal static async Task WriteSecretFileAsync(string path, string secret, CancellationToken ct)
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
    internal static async Task InitializeClusterAsync(ClusterLayout layout, Toolchain tools, string password, CancellationToken ct)
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
    internal static Task<ProcessResult> RunInitDbAsync(ClusterLayout layout, Toolchain tools, string passwordFile, string localeArgument, CancellationToken ct) =>
        tools.RunAsync(
            "initdb",
            [
                "-D", layout.InitDbStaging,
                "-U", EmbeddedPostgres.SuperUser,
                "--pwfile=" + passwordFile,
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "-E", "UTF8",
                localeArgument,
            ],
            InitDbTimeout,
            ct);

    internal static void DeleteDirectoryIfExists(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
