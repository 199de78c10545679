using Hangfire;
using Marten;

namespace CoordinationPortal.Web.Kernel.Features;

/// <summary>
/// What a feature folder gives the host. The host walks <c>Hosting/PortalFeatures.All</c> in order and calls each step
/// on every feature; a feature implements only the steps it needs (the others do nothing). A feature never reads
/// another's registrations back: what it needs from outside is the kernel's (clock, data source, change feed, command
/// runner, outbound HTTP, data protection), in <see cref="FeatureSetup"/>, or another feature's published contract.
/// </summary>
public interface IPortalFeature
{
    /// <summary>Services and options.</summary>
    void AddServices(FeatureSetup setup)
    {
    }

    /// <summary>Marten: the feature's streams, projections, documents, indexes and extra schema objects.</summary>
    void ConfigureStore(StoreOptions options, IServiceProvider services)
    {
    }

    /// <summary>Start-up work once Marten's schema is in place (its own schema, a backfill, starting a helper server).</summary>
    Task PrepareAsync(IServiceProvider services, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Recurring Hangfire jobs, each on the feature's queue.</summary>
    void ScheduleJobs(IRecurringJobManager jobs)
    {
    }

    /// <summary>Recurring jobs (by id) to run once at start-up, when this process works jobs, rather than at their first schedule.</summary>
    IReadOnlyList<string> RunAtStart => [];

    /// <summary>HTTP routes (API, account endpoints, dashboards). Pages are found by the router, not listed here.</summary>
    void MapRoutes(WebApplication app)
    {
    }
}

/// <summary>What a feature may read while it registers: the builder, and the database this process uses.</summary>
public sealed record FeatureSetup(WebApplicationBuilder Builder, PortalDatabaseInfo Database)
{
    public IServiceCollection Services => Builder.Services;

    public ConfigurationManager Configuration => Builder.Configuration;

    public string ConnectionString => Database.ConnectionString;
}
