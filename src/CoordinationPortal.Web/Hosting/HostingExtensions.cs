using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Components;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.Notifications;
using CoordinationPortal.Web.Operations;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.Probes;
using CoordinationPortal.Web.Seeding;
using JasperFx;
using JasperFx.Events;
using Marten;
using MudBlazor.Services;
using Weasel.Core;

namespace CoordinationPortal.Web.Hosting;

/// <summary>Composition of the portal: each feature registers itself; this only puts them in order.</summary>
public static class HostingExtensions
{
    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(PortalDatabase.ConnectionStringName)!;

        // Serve package assets (MudBlazor's CSS and JS) when running from the build output in any environment,
        // as the README's run command does; a published app ships them in wwwroot and this is a no-op there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PortalClock>();
        builder.AddPortalLocalization();
        builder.AddReadinessFramework();
        builder.AddPortalIdentity(connectionString);

        builder.Services.AddMarten(sp =>
            {
                var options = new StoreOptions();
                options.Connection(connectionString);
                options.DatabaseSchemaName = "portal";
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.ConfigureAgencies(sp.GetRequiredService<ReadinessFramework>());
                options.ConfigureProbes();
                options.ConfigureOutOfStep();
                options.ConfigureNotifications();
                return options;
            })
            .UseLightweightSessions();

        builder.Services.AddAgencies();
        builder.AddProbes(connectionString);
        builder.AddOutOfStep();
        builder.AddNotifications();
        builder.AddDemoSimulator();
        builder.Services.AddScoped<DemoSeeder>();
        builder.AddPortalOperations(connectionString);

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddMudServices();
        // Emit Hindi (and every other script) as characters, not numeric entities: pages stay a fraction of the
        // size on slow connections. Markup-significant characters are still encoded.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddAntiforgery();
        return builder;
    }

    /// <summary>
    /// Creates what the portal needs in the database and, on the embedded default, loads the demo data. Returns false,
    /// after one line saying what to check, when the database cannot be reached.
    /// </summary>
    public static async Task<bool> PreparePortalAsync(this WebApplication app)
    {
        try
        {
            await PrepareDatabaseAsync(app);
            return true;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException
            || e.InnerException is Npgsql.NpgsqlException)
        {
            var target = app.Services.GetRequiredService<PortalDatabaseInfo>().Parsed;
            await Console.Error.WriteLineAsync(
                $"CoordinationPortal cannot start: the database at {target.Host}:{target.Port} ({target.Database}) did not answer ({(e.InnerException ?? e).Message}). Check ConnectionStrings__Portal, or unset it to use the embedded default.");
            return false;
        }
    }

    private static async Task PrepareDatabaseAsync(WebApplication app)
    {
        var ct = app.Lifetime.ApplicationStopping;
        await IdentityModule.EnsureIdentitySchemaAsync(app.Services, ct);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        await DemoSeeder.EnsureFirstAdminAsync(app.Services, app.Configuration);
        var embedded = app.Services.GetRequiredService<PortalDatabaseInfo>().Embedded;
        if (app.Configuration.GetValue("Seed:Demo", embedded))
        {
            await using var scope = app.Services.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(ct))
            {
                // Mark overdue demo scorecards now rather than at the first nightly run; give the demo's flags the history its
                // generated scorecards imply (month by month), then flag the agencies out of step today.
                await scope.ServiceProvider.GetRequiredService<StaleScorecardJob>().RunAsync(ct);
                var evaluator = scope.ServiceProvider.GetRequiredService<FlagEvaluator>();
                await evaluator.ReplayAsync(DemoSeeder.MonthEnds(app.Services.GetRequiredService<PortalClock>()), ct);
                await evaluator.EvaluateAllAsync(ct);
            }
        }

        await OutOfStepModule.PrepareOutOfStepAsync(app.Services, ct);
        await DemoSimulator.StartAsync(app);
        OperationsModule.ScheduleRecurringJobs(app.Services);
        ProbesModule.ScheduleRecurringJobs(app.Services);
        OutOfStepModule.ScheduleRecurringJobs(app.Services);
        NotificationsModule.ScheduleRecurringJobs(app.Services);
        if (app.Configuration.GetValue("Jobs:RunServer", true))
        {
            // Start probing, and evaluate every agency, now rather than at the next scheduled round.
            var jobs = app.Services.GetRequiredService<Hangfire.IRecurringJobManager>();
            jobs.Trigger(ProbeDispatcher.RecurringId);
            jobs.Trigger(FlagEvaluationJob.RecurringId);
        }
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseExceptionHandler("/error", createScopeForErrors: true);
        // Pages get a friendly "not found" page; the API keeps its status codes and ProblemDetails bodies.
        app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"), branch => branch.UseStatusCodePagesWithReExecute("/not-found"));
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapPortalOperations();
        app.MapCultureSwitch();
        app.MapAccountEndpoints();
        app.MapAgencyApi();
        app.MapEndpointApi();
        app.MapFlagApi();
        app.MapNotifications();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
