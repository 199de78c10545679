using System.Runtime.InteropServices;

namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// PostgreSQL refuses to run as root, so a root launcher runs the server tools as the <c>postgres</c> OS account;
/// this decides whether that is needed.
/// </summary>
internal static class ServiceAccount
{
    /// <summary>The account the server tools run as when the launcher is root (Debian's postgresql package creates it).</summary>
    internal const string Name = "postgres";

    internal static bool IsRoot()
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

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "geteuid")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern uint geteuid();
    }
}
