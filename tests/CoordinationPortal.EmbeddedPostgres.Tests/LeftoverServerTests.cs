using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoordinationPortal.EmbeddedPostgres.Tests;

/// <summary>
/// Orphan detection: a launcher that dies leaves its server running on the cluster; the next launcher on that data
/// directory finds it, stops it and starts its own, keeping the data. A crashed server's stale postmaster.pid does
/// not stop the next start either.
/// </summary>
public sealed class LeftoverServerTests : IDisposable
{
    private readonly ScratchDirectory _directory = new();

    [Fact]
    public async Task a_server_left_running_by_a_launcher_that_died_is_stopped_and_replaced()
    {
        var (launcher, orphanConnectionString) = await StartLauncherInChildProcessAsync(_directory.Path);
        await Os.ScalarAsync(orphanConnectionString, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before the crash')");
        var orphanPid = Os.PostmasterPid(_directory.Path);

        launcher.Kill(); // SIGKILL: no disposal, no exit handler
        await launcher.WaitForExitAsync();
        launcher.Dispose();
        Assert.True(Os.IsRunning(orphanPid), "the server outlives the launcher that died");

        var logger = new RecordingLogger();
        await using var server = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = _directory.Path }, logger);

        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"(PID {orphanPid}) left over from an earlier run", StringComparison.Ordinal));
        Assert.True(await Os.WaitUntilGoneAsync(orphanPid), "the leftover server was stopped");
        Assert.NotEqual(orphanPid, Os.PostmasterPid(_directory.Path));
        Assert.Equal("written before the crash", await Os.ScalarAsync(server.ConnectionString, "SELECT note FROM kept"));
    }

    [Fact]
    public async Task a_server_that_crashed_starts_again_with_its_data_despite_its_stale_pid_file()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = _directory.Path };
        var first = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);
        await Os.ScalarAsync(first.ConnectionString, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before the crash')");
        var crashedPid = Os.PostmasterPid(_directory.Path);
        using (var postmaster = Process.GetProcessById(crashedPid))
        {
            postmaster.Kill(); // SIGKILL: postmaster.pid stays behind
        }

        Assert.True(await Os.WaitUntilGoneAsync(crashedPid));
        Assert.True(File.Exists(Path.Combine(_directory.Path, "pgdata", "postmaster.pid")));
        await first.DisposeAsync(); // releases the launcher lock; nothing of ours is left to stop

        await using var second = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);

        Assert.NotEqual(crashedPid, Os.PostmasterPid(_directory.Path));
        Assert.Equal("written before the crash", await Os.ScalarAsync(second.ConnectionString, "SELECT note FROM kept"));
    }

    /// <summary>Runs this test assembly as <see cref="AbandonedLauncher"/> and waits for its server to be ready.</summary>
    private static async Task<(Process Launcher, string ConnectionString)> StartLauncherInChildProcessAsync(string dataDirectory)
    {
        // DOTNET_HOST_PATH is the dotnet that runs the tests; its absence means "dotnet" on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var startInfo = new ProcessStartInfo(dotnet, ["exec", typeof(AbandonedLauncher).Assembly.Location, AbandonedLauncher.StartAndWait, dataDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var launcher = Process.Start(startInfo)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var connectionString = await launcher.StandardOutput.ReadLineAsync(timeout.Token);
        if (string.IsNullOrEmpty(connectionString))
        {
            var error = await launcher.StandardError.ReadToEndAsync(timeout.Token);
            launcher.Kill();
            launcher.Dispose();
            Assert.Fail($"The child launcher did not start its server: {error}");
        }

        return (launcher, connectionString!);
    }

    public void Dispose()
    {
        // The tests stop what they start; this is for a failed assertion that left an orphan behind.
        var pidFile = Path.Combine(_directory.Path, "pgdata", "postmaster.pid");
        if (File.Exists(pidFile) && Os.IsRunning(Os.PostmasterPid(_directory.Path)))
        {
            using var leftover = Process.GetProcessById(Os.PostmasterPid(_directory.Path));
            leftover.Kill();
        }

        _directory.Dispose();
    }
}
