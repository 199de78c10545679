using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CoordinationPortal.EmbeddedPostgres.Tests;

/// <summary>The launcher behind the portal's embedded default, on a cluster of its own.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly ScratchDirectory _directory = new();

    [Fact]
    public async Task a_second_start_reuses_the_cluster_and_its_data()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = _directory.Path };
        await using (var first = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance))
        {
            await Os.ScalarAsync(first.ConnectionString, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives a restart')");
            await first.StopAsync();
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Os.ScalarAsync(first.ConnectionString, "SELECT 1"));
        }

        await using var second = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);
        Assert.Equal("survives a restart", await Os.ScalarAsync(second.ConnectionString, "SELECT note FROM kept"));
        Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(second.ConnectionString).Host);
    }

    public void Dispose() => _directory.Dispose();
}
