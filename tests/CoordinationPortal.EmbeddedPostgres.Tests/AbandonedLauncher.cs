using Microsoft.Extensions.Logging.Abstractions;

namespace CoordinationPortal.EmbeddedPostgres.Tests;

/// <summary>
/// This assembly's entry point, used only by <see cref="LeftoverServerTests"/>: run as a child process with
/// <c>--start-and-wait DIR</c>, it starts a server on DIR, prints its connection string and waits to be killed. A killed
/// process runs no disposal and no exit handler, so its server is left running: what a portal that crashed leaves.
/// </summary>
public static class AbandonedLauncher
{
    public const string StartAndWait = "--start-and-wait";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [StartAndWait, var dataDirectory])
        {
            await Console.Error.WriteLineAsync($"Usage: {StartAndWait} DATA_DIRECTORY (for the tests only)");
            return 2;
        }

        var server = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = dataDirectory }, NullLogger.Instance);
        await Console.Out.WriteLineAsync(server.ConnectionString);
        await Console.Out.FlushAsync();
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
