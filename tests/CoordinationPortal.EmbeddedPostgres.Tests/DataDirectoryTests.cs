using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoordinationPortal.EmbeddedPostgres.Tests;

/// <summary>The data directory: who owns it, who may enter it, and that one launcher at a time uses it.</summary>
[UnsupportedOSPlatform("windows")] // Unix modes; the launcher itself refuses Windows
public sealed class DataDirectoryTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly ScratchDirectory _directory = new();

    [Fact]
    public async Task after_start_the_directory_belongs_to_the_account_running_postgres_and_only_it_may_enter()
    {
        await using var server = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = _directory.Path }, NullLogger.Instance);

        var serverUid = Os.EffectiveUid(Os.PostmasterPid(server.DataDirectory));
        if (Os.CurrentUid() == 0)
        {
            Assert.NotEqual(0, serverUid); // PostgreSQL refuses root, so the launcher hands it to the postgres account
        }

        Assert.Equal(serverUid, Os.OwnerUid(server.DataDirectory));
        Assert.Equal(serverUid, Os.OwnerUid(Path.Combine(server.DataDirectory, "pgdata")));
        Assert.Equal(serverUid, Os.OwnerUid(Path.Combine(server.DataDirectory, "run")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(server.DataDirectory));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(server.DataDirectory, "pgdata")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(server.DataDirectory, "run")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(server.DataDirectory, "superuser.pwd")));
    }

    [Fact]
    public async Task a_second_launcher_on_a_directory_in_use_is_refused_and_the_first_keeps_serving()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = _directory.Path };
        await using var first = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<EmbeddedPostgresUnavailableException>(() => EmbeddedPostgres.StartAsync(options, NullLogger.Instance));

        Assert.Contains("already in use by another running process", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await Os.ScalarAsync(first.ConnectionString, "SELECT 1"));
    }

    [Theory]
    [InlineData("it's")]
    [InlineData("cost$HOME")]
    [InlineData("a-folder-name-long-enough-that-the-unix-socket-path-inside-it-passes-the-kernel-limit-of-107-bytes")]
    public async Task a_path_pg_ctl_cannot_handle_is_refused_before_anything_is_created(string leaf)
    {
        var dataDirectory = Path.Combine(_directory.Path, leaf);

        var error = await Assert.ThrowsAsync<EmbeddedPostgresUnavailableException>(() =>
            EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = dataDirectory }, NullLogger.Instance));

        Assert.Contains("Database:EmbeddedDataDirectory", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory.Path));
    }

    public void Dispose() => _directory.Dispose();
}
