using CoordinationPortal.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CoordinationPortal.Integration.Tests.Hosting;

/// <summary>The launcher behind the portal's embedded default, on a cluster of its own.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"cp-epg-{Guid.NewGuid():N}");

    [Fact]
    public async Task a_second_start_reuses_the_cluster_and_its_data()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = _directory };
        await using (var first = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance))
        {
            await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives a restart')");
            await first.StopAsync();
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(first.ConnectionString, "SELECT 1"));
        }

        await using var second = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);
        await using var connection = new NpgsqlConnection(second.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT note FROM kept", connection);
        Assert.Equal("survives a restart", await read.ExecuteScalarAsync());
        Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(second.ConnectionString).Host);
    }

    [Fact]
    public async Task missing_binaries_give_one_clear_line()
    {
        var error = await Assert.ThrowsAsync<EmbeddedPostgresUnavailableException>(() => EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = _directory, BinDirectory = "/nonexistent/postgresql/bin" }, NullLogger.Instance));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("/nonexistent/postgresql/bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_binaries_of_this_machine_are_found()
    {
        var bin = EmbeddedPostgres.FindBinDirectory();
        Assert.NotNull(bin);
        Assert.True(File.Exists(Path.Combine(bin, "initdb")));
        Assert.True(File.Exists(Path.Combine(bin, "pg_ctl")));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3 }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
