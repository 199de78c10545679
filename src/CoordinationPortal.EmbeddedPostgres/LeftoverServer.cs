using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// Orphan detection: a server that an earlier launcher left running on this cluster (it died without stopping it) is
/// stopped before a new one starts; a postmaster.pid whose PID is dead, a zombie or another program is stale and removed.
/// </summary>
internal static class LeftoverServer
{
    /// <summary>A server left running by a launcher that died without stopping it is stopped before starting anew.</summary>
    [UnsupportedOSPlatform("windows")]
    internal static async Task StopLeftoverServerAsync(ClusterLayout layout, Toolchain tools, ILogger logger, CancellationToken ct)
    {
        if (!File.Exists(layout.PostmasterPidFile))
        {
            return;
        }

        var pid = ReadPostmasterPid(layout.PostmasterPidFile);
        var status = await tools.RunAsync("pg_ctl", ["-D", layout.PgData, "status"], Toolchain.QuickToolTimeout, ct);
        if (status.Succeeded && (pid is null || IsOurLiveServer(pid.Value, layout.PgData)))
        {
            Log.LeftoverServer(logger, pid ?? 0, layout.PgData);
            if (!await PostgresServer.TryStopServerAsync(layout, tools))
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
            Log.StalePidFile(logger, layout.PostmasterPidFile, pid ?? 0);
            File.Delete(layout.PostmasterPidFile);
        }
    }

    internal static int? ReadPostmasterPid(string pidFile)
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
    internal static bool IsOurLiveServer(int pid, string pgData)
    {
        if (!IsLivePostgresProcess(pid))
        {
            return false;
        }

        var workingDirectory = TryReadWorkingDirectory(pid.ToString(CultureInfo.InvariantCulture));
        return workingDirectory is null || string.Equals(workingDirectory, RealPath(pgData), StringComparison.Ordinal);
    }

    internal static string? TryReadWorkingDirectory(string pid)
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
    internal static bool IsLivePostgresProcess(int pid)
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
    internal static async Task WaitForOrphanedServerProcessesAsync(string pgData, CancellationToken ct)
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

    internal static bool ProcessesWorkingIn(string directory)
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
    internal static string RealPath(string path)
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
}
