using CoordinationPortal.Web.Components;
using CoordinationPortal.Web.Hosting.Edge;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Kernel.Errors;
using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Operations;
using CoordinationPortal.Web.Outbound;
using JasperFx;
using JasperFx.Events;
using Marten;
using MudBlazor.Services;
using Npgsql;
using Weasel.Core;

namespace CoordinationPortal.Web.Hosting;

/// <summary>
/// Composition of the portal: the kernel's shared services, then every feature of <see cref="PortalFeatures.All"/>
/// step by step (services, store, preparation, jobs, routes). Nothing feature-specific is written here.
/// </summary>
public static class HostingExtensions
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder, PortalDatabaseInfo database)
    {
        // Serve package assets (MudBlazor's CSS and JS) when running from the build output in any environment,
        // as the README's run command does; a published app ships them in wwwroot and this is a no-op there.
        builder.WebHost.UseStaticWebAssets();
        builder.AddPortalEdge(); // Edge/: forwarded headers from known proxies, secure cookies, security headers
        AddKernel(builder, database);

        var setup = new FeatureSetup(builder, database);
        foreach (var feature in PortalFeatures.All)
        {
            feature.AddServices(setup);
        }

        builder.Services.AddMarten(sp =>
            {
                var options = new StoreOptions();
                options.Connection(database.ConnectionString);
                options.DatabaseSchemaName = "portal";
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                // Conflicts at Debug (the runners log them once), real failures at Error without parameter values.
                options.Logger(new Kernel.Errors.PortalMartenLogger(sp.GetRequiredService<ILogger<Kernel.Errors.PortalMartenLogger>>()));
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                // The Data Protection key ring (sign-in cookies, antiforgery, encrypted secrets) is shared by every feature.
                options.Schema.For<DataProtectionKey>();
                foreach (var feature in PortalFeatures.All)
                {
                    feature.ConfigureStore(options, sp);
                }

                return options;
            })
            .UseLightweightSessions();

        builder.Services.AddPortalErrors();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddMudServices();
        // Emit Hindi (and every other script) as characters, not numeric entities: pages stay a fraction of the
        // size on slow connections. Markup-significant characters are still encoded.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        // The live render starts from the prerender's persisted state (no flicker), which the browser hands back in the
        // circuit's first message: an endpoint page with six hours of probes is more than SignalR's default 32 KB.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 1024 * 1024);
        builder.Services.AddAntiforgery();
        builder.AddPortalPerformance(); // compression, the read cache and its eviction by the change feed
        return builder;
    }

    /// <summary>What every feature may use: the clock, the data source, the change feed, the command runner, outbound HTTP and data protection.</summary>
    private static void AddKernel(WebApplicationBuilder builder, PortalDatabaseInfo database)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PortalClock>();
        services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<ChangeFeedListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeFeedListener>());
        services.AddScoped<Kernel.Commands.StreamCommandRunner>();
        services.AddSingleton<Kernel.Commands.DocumentCommandRunner>();
        services.AddOutboundHttp();
        builder.AddPortalDataProtection(database);
    }

    /// <summary>
    /// Creates what the portal needs in the database and lets each feature prepare (the demo loads last). A database that
    /// does not answer yet (a server still starting, a network not up) is tried again with a growing pause, each attempt
    /// logged, for <c>Database:StartupRetrySeconds</c> (default 60; 0 tries once). Returns false, after one line saying
    /// what to check, when it still cannot be reached.
    /// </summary>
    public static async Task<bool> PreparePortalAsync(this WebApplication app)
    {
        var limit = TimeSpan.FromSeconds(Math.Max(0, app.Configuration.GetValue("Database:StartupRetrySeconds", 60)));
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CoordinationPortal.Startup");
        var target = app.Services.GetRequiredService<PortalDatabaseInfo>().Parsed;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await PrepareDatabaseAsync(app);
                return true;
            }
            catch (Exception e) when (DatabaseOutage.Is(e))
            {
                var reason = e.GetBaseException().Message;
                var left = limit - started.Elapsed;
                if (left <= TimeSpan.Zero || app.Lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    var message = $"CoordinationPortal cannot start: the database at {target.Host}:{target.Port} ({target.Database}) did not answer within {limit.TotalSeconds:0} s after {attempt} attempt(s) ({reason}). Check ConnectionStrings__Portal, or unset it to use the embedded default; Database:StartupRetrySeconds sets how long to wait.";
                    StartupLog.GaveUp(logger, message);
                    await Console.Error.WriteLineAsync(message);
                    return false;
                }

                var wait = pause < left ? pause : left;
                StartupLog.Retrying(logger, attempt, target.Host ?? "", target.Port, target.Database ?? "", reason, wait.TotalSeconds);
                await Task.Delay(wait);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private static async Task PrepareDatabaseAsync(WebApplication app)
    {
        var ct = app.Lifetime.ApplicationStopping;
        await app.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        foreach (var feature in PortalFeatures.All)
        {
            await feature.PrepareAsync(app.Services, ct);
        }

        var jobs = app.Services.GetRequiredService<Hangfire.IRecurringJobManager>();
        foreach (var feature in PortalFeatures.All)
        {
            feature.ScheduleJobs(jobs);
        }

        if (app.Configuration.GetValue("Jobs:RunServer", true))
        {
            foreach (var id in PortalFeatures.All.SelectMany(f => f.RunAtStart))
            {
                jobs.Trigger(id);
            }
        }
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UsePortalEdge(); // Edge/: first, so HTTPS behind a proxy, secure cookies and the security headers reach every response
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UsePortalExceptionHandling();
        // Pages get the portal's not-found page (and its other error statuses); the API keeps its status codes and
        // ProblemDetails bodies. On the main pipeline, not in a UseWhen branch: a branch's re-execution is routed against
        // no endpoints at all, so an unknown address used to get an empty 404. A new scope for the re-executed request:
        // the not-found page is a component, and the first request's renderer may already have run.
        app.UseStatusCodePagesWithReExecute("/not-found", "?status={0}", createScopeForStatusCodePages: true);
        app.Use((ctx, next) =>
        {
            if (StatusPage.IsApi(ctx) && ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(ctx);
        });
        app.UseRequestLocalization();
        app.UseInputGuard();
        app.UseAuthentication();
        app.UseSameOriginStateChanges(); // Edge/: a cookie-authenticated change must come from the portal's own pages
        app.UseAuthorization();
        app.UseMiddleware<CoordinationPortal.Web.Identity.TwoFactor.TwoFactorGate>(); // a role that needs a second factor reaches only enrolment until it has one
        app.UseMiddleware<CoordinationPortal.Web.Tokens.ApiTokenScopeGate>(); // a token goes no further than its scopes, before any cached answer
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.UsePortalPerformance(); // the read cache, then compression

        var assets = app.MapPortalStaticAssets(); // pre-compressed, fingerprinted assets immutable
        foreach (var feature in PortalFeatures.All)
        {
            feature.MapRoutes(app);
        }

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().WithStaticAssets(assets);
        return app;
    }
}

internal static partial class StartupLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The database at {Host}:{Port} ({Database}) did not answer (attempt {Attempt}: {Reason}); trying again in {Seconds:0.#} s")]
    public static partial void Retrying(ILogger logger, int attempt, string host, int port, string database, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    public static partial void GaveUp(ILogger logger, string message);
}
