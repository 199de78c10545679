using Microsoft.Extensions.Logging.Abstractions;

namespace CoordinationPortal.EmbeddedPostgres.Tests;

/// <summary>Finding initdb, pg_ctl and postgres, and saying what to install when they are not there.</summary>
public sealed class BinaryDiscoveryTests : IDisposable
{
    private readonly ScratchDirectory _directory = new();
    private readonly ScratchDirectory _binDirectory = new();

    [Fact]
    public void the_binaries_of_this_machine_are_found_in_their_real_directory()
    {
        var bin = EmbeddedPostgres.FindBinDirectory();

        Assert.NotNull(bin);
        Assert.All(["initdb", "pg_ctl", "postgres"], tool => Assert.True(File.Exists(Path.Combine(bin, tool)), $"{tool} missing in {bin}"));
        // PATH may hold symlinks (here /usr/local/bin/pg_ctl); pg_ctl looks for postgres beside its real file.
        Assert.Null(new FileInfo(Path.Combine(bin, "pg_ctl")).LinkTarget);
    }

    [Fact]
    public async Task a_missing_bin_directory_names_it_and_what_to_install_in_one_line()
    {
        var error = await Assert.ThrowsAsync<EmbeddedPostgresUnavailableException>(() => EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = _directory.Path, BinDirectory = "/nonexistent/postgresql/bin" }, NullLogger.Instance));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("/nonexistent/postgresql/bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory.Path), "nothing is created before the binaries are found");
    }

    [Fact]
    public async Task a_bin_directory_without_the_server_itself_is_refused()
    {
        var realBin = EmbeddedPostgres.FindBinDirectory()!;
        Directory.CreateDirectory(_binDirectory.Path);
        File.CreateSymbolicLink(Path.Combine(_binDirectory.Path, "initdb"), Path.Combine(realBin, "initdb"));
        File.CreateSymbolicLink(Path.Combine(_binDirectory.Path, "pg_ctl"), Path.Combine(realBin, "pg_ctl"));

        var error = await Assert.ThrowsAsync<EmbeddedPostgresUnavailableException>(() => EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = _directory.Path, BinDirectory = _binDirectory.Path }, NullLogger.Instance));

        Assert.Contains("does not contain initdb, pg_ctl and postgres", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _directory.Dispose();
        _binDirectory.Dispose();
    }
}
