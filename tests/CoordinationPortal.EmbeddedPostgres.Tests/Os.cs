using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace CoordinationPortal.EmbeddedPostgres.Tests;

/// <summary>What the operating system says about files and processes, asked the way an operator would.</summary>
internal static class Os
{
    /// <summary>The numeric owner of a file or directory, from <c>stat</c>.</summary>
    public static int OwnerUid(string path)
    {
        var startInfo = new ProcessStartInfo("stat", ["-c", "%u", path]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var stat = Process.Start(startInfo)!;
        var output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        Assert.Equal(0, stat.ExitCode);
        return int.Parse(output, CultureInfo.InvariantCulture);
    }

    /// <summary>The effective UID of a running process (second field of "Uid:" in /proc/PID/status).</summary>
    public static int EffectiveUid(int pid)
    {
        var uidLine = File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal));
        return int.Parse(uidLine.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
    }

    public static int CurrentUid() => EffectiveUid(Environment.ProcessId);

    /// <summary>The PID of the postmaster serving a cluster: the first line of its postmaster.pid.</summary>
    public static int PostmasterPid(string dataDirectory) =>
        int.Parse(File.ReadLines(System.IO.Path.Combine(dataDirectory, "pgdata", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>Whether the PID is a process that has not exited (a zombie counts as gone).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..] is not ['Z', ..] and not ['X', ..];
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits up to <paramref name="seconds"/> for the process to be gone; true when it is.</summary>
    public static async Task<bool> WaitUntilGoneAsync(int pid, int seconds = 15)
    {
        var deadline = Stopwatch.StartNew();
        while (IsRunning(pid) && deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(100);
        }

        return !IsRunning(pid);
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3 }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
