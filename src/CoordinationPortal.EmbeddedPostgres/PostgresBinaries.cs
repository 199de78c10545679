using System.Globalization;

namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>Finds the PostgreSQL server binaries (initdb, pg_ctl, postgres) and the system tools the launcher needs.</summary>
internal static class PostgresBinaries
{
    internal const string DebianInstallRoot = "/usr/lib/postgresql";

    internal const string NoBinariesMessage =
        "No PostgreSQL server binaries found (looked on PATH and in /usr/lib/postgresql/*/bin). " +
        "Install them (Debian: apt-get install postgresql) or set ConnectionStrings__Portal to an existing server.";

    internal static readonly string[] ServerBinaries = ["initdb", "pg_ctl", "postgres"];

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

    internal static string ResolveBinDirectory(string? configured)
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

    internal static bool HasServerBinaries(string directory) =>
        ServerBinaries.All(name => File.Exists(Path.Combine(directory, name)));

    /// <summary>The real directory of <c>{entry}/pg_ctl</c> with symlinks followed, or null when there is none.</summary>
    internal static string? ResolveToolDirectory(string entry)
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

    internal static Version? ParseMajorVersion(string? name)
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

    internal static string? FindSystemTool(string name)
    {
        string[] fallbacks = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathRooted)
            .Concat(fallbacks)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}
