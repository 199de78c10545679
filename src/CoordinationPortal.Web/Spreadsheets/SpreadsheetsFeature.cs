using CoordinationPortal.Web.Kernel.Features;
using Hangfire;
using Marten;

namespace CoordinationPortal.Web.Spreadsheets;

/// <summary>Spreadsheet export and import: exports of scorecards, the portfolio, the flags board and action items; scorecard imports.</summary>
public sealed class SpreadsheetsFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        setup.Services.AddSingleton(SpreadsheetLimits.From(setup.Configuration));
        setup.Services.AddScoped<SpreadsheetExports>();
        setup.Services.AddScoped<ScorecardImports>();
        setup.Services.AddScoped<ScorecardImportJob>();
        setup.Services.AddScoped<ExpiredUploadsJob>();
    }

    public void ScheduleJobs(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<ExpiredUploadsJob>(ExpiredUploadsJob.RecurringId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());

    public void ConfigureStore(StoreOptions options, IServiceProvider services) =>
        options.Schema.For<SpreadsheetImport>().Index(x => x.Sha256).Index(x => x.AgencyId);

    public void MapRoutes(WebApplication app) => app.MapSpreadsheetApi();
}
