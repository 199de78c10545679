using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Components;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.Operations;
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
                return options;
            })
            .UseLightweightSessions();

        builder.Services.AddAgencies();
        builder.Services.AddScoped<DemoSeeder>();
        builder.AddPortalOperations(connectionString);

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddMudServices();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddAntiforgery();
        return builder;
    }

    /// <summary>Creates what the portal needs in the database and, on the embedded default, loads the demo data.</summary>
    public static async Task PreparePortalAsync(this WebApplication app)
    {
        var ct = app.Lifetime.ApplicationStopping;
        await IdentityModule.EnsureIdentitySchemaAsync(app.Services, ct);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        var embedded = app.Services.GetRequiredService<PortalDatabaseInfo>().Embedded;
        if (app.Configuration.GetValue("Seed:Demo", embedded))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(ct);
        }

        OperationsModule.ScheduleRecurringJobs(app.Services);
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapPortalOperations();
        app.MapCultureSwitch();
        app.MapAccountEndpoints();
        app.MapAgencyApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
