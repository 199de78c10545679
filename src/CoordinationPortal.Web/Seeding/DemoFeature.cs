using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.OutOfStep;

namespace CoordinationPortal.Web.Seeding;

/// <summary>
/// The first administrator of a fresh database, and on the embedded default the demo: agencies with their history, the
/// demo accounts, flags replayed over that history, and the simulator with its endpoints. Last in the feature list,
/// since it writes through the others.
/// </summary>
public sealed class DemoFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        setup.Services.AddScoped<DemoSeeder>();
        // Before the probes' client first reads the allowlist: the demo's simulator address is allowlisted.
        DemoSimulator.AllowInProbes(setup);
    }

    public async Task PrepareAsync(IServiceProvider services, CancellationToken ct)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        await DemoSeeder.EnsureFirstAdminAsync(services, configuration);
        if (configuration.GetValue("Seed:Demo", services.GetRequiredService<PortalDatabaseInfo>().Embedded))
        {
            await using var scope = services.CreateAsyncScope();
            var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(ct);
            var evaluator = scope.ServiceProvider.GetRequiredService<FlagEvaluator>();
            if (seeded.Agencies)
            {
                // Mark overdue demo scorecards now rather than at the first nightly run; give the demo's flags the history
                // its generated scorecards (and the working groups' action items, seeded before this) imply, month by
                // month; then flag the agencies out of step today.
                await scope.ServiceProvider.GetRequiredService<StaleScorecardJob>().RunAsync(ct);
                await evaluator.ReplayAsync(DemoSeeder.MonthEnds(services.GetRequiredService<PortalClock>()), ct);
                await evaluator.EvaluateAllAsync(ct);
            }
            else if (seeded.WorkingGroups)
            {
                // A demo portal seeded before working groups existed: its new action items may make flags today.
                await evaluator.EvaluateAllAsync(ct);
            }
        }

        await DemoSimulator.StartAsync(services);
    }
}
