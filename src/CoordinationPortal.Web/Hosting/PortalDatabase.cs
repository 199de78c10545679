using Npgsql;

namespace CoordinationPortal.Web.Hosting;

// Inside the namespace on purpose: from within CoordinationPortal.*, a using at the top of the file loses to the
// namespace CoordinationPortal.EmbeddedPostgres itself, and "EmbeddedPostgres" would name the namespace, not the class.
using CoordinationPortal.EmbeddedPostgres;

public static class PortalDatabase
{
    public const string ConnectionStringName = "Portal";

    /// <summary>
    /// Uses <c>ConnectionStrings:Portal</c> when set. Otherwise starts the embedded default: a private PostgreSQL
    /// cluster from this machine's binaries, kept across restarts, stopped with the portal. Returns false (after
    /// printing one line that says what to install or set) when neither is possible; otherwise the database in use.
    /// </summary>
    public static async Task<PortalDatabaseInfo?> AddPortalDatabaseAsync(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var external = new PortalDatabaseInfo(configured, Embedded: false);
            builder.Services.AddSingleton(external);
            return external;
        }

        using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggerFactory.CreateLogger("CoordinationPortal.EmbeddedPostgres");
        var dataDirectory = builder.Configuration["Database:EmbeddedDataDirectory"];
        try
        {
            var server = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions
                {
                    DataDirectory = string.IsNullOrWhiteSpace(dataDirectory) ? EmbeddedPostgres.DefaultDataDirectory() : dataDirectory,
                    Port = int.TryParse(builder.Configuration["Database:EmbeddedPort"], out var port) ? port : null,
                },
                logger);
            builder.Configuration[$"ConnectionStrings:{ConnectionStringName}"] = server.ConnectionString;
            builder.Services.AddSingleton(server);
            builder.Services.AddHostedService<EmbeddedPostgresStopper>();
            var embedded = new PortalDatabaseInfo(server.ConnectionString, Embedded: true, server.DataDirectory);
            builder.Services.AddSingleton(embedded);
            return embedded;
        }
        catch (EmbeddedPostgresUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"CoordinationPortal cannot start: {e.Message}");
            return null;
        }
    }
}

/// <summary>Stops the embedded cluster when the portal stops.</summary>
internal sealed class EmbeddedPostgresStopper(EmbeddedPostgres server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync();
}
