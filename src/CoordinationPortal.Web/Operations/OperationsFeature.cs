using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Identity;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CoordinationPortal.Web.Operations;

/// <summary>Running the portal: Hangfire (jobs and its admin-only dashboard) and the health check.</summary>
public sealed class OperationsFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        var (builder, connectionString) = (setup.Builder, setup.ConnectionString);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddSingleton(new DatabaseHealthCheck(connectionString));

        // Sliding: a fetched job's lease is renewed while it runs, so a job longer than the invisibility timeout
        // (5 min) is not fetched again by another server and run twice.
        var storageOptions = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, UseSlidingInvisibilityTimeout = true };

        // This host's own storage, registered before AddHangfire: left to itself Hangfire.AspNetCore hands every server,
        // client and dashboard the process-wide JobStorage.Current, which belongs to whichever host configured Hangfire
        // last. With several hosts in one process on different databases (the test suites), a job server could work
        // another database's queues and a job could be enqueued into another database.
        builder.Services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        builder.Services.AddHangfire((services, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(services.GetRequiredService<JobStorage>()));

        // Every portal process also works jobs unless told not to; several processes share the queue. A probe
        // dispatch round holds one worker for its minute, so there are workers to spare for everything else.
        if (builder.Configuration.GetValue("Jobs:RunServer", true))
        {
            builder.Services.AddHangfireServer(o =>
            {
                o.WorkerCount = builder.Configuration.GetValue("Jobs:Workers", 4);
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                o.Queues = JobQueues.ByPriority;
            });
        }
    }

    public void MapRoutes(WebApplication app)
    {
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminOnlyDashboardFilter()],
            DashboardTitle = "CoordinationPortal jobs",
            AppPath = "/",
        });
    }
}

/// <summary>Hangfire's dashboard shows job arguments and can delete or trigger jobs: admins only.</summary>
internal sealed class AdminOnlyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
}

/// <summary>Healthy when PostgreSQL answers a query within three seconds.</summary>
public sealed class DatabaseHealthCheck(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3, Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}
