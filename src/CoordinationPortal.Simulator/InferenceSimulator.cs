using System.Diagnostics;
using System.Net;

namespace CoordinationPortal.Simulator;

/// <summary>Where an in-process simulator listens and what it serves.</summary>
public sealed record SimulatorOptions
{
    /// <summary>The address Kestrel binds to, exactly (any 127.x address works on Linux).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port; 0 picks a free one (read it from <see cref="InferenceSimulator.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>The profiles served; null serves <see cref="SimulatorProfile.DefaultProfiles"/>. A missing <c>default</c> is added.</summary>
    public IReadOnlyDictionary<string, SimulatorProfile>? Profiles { get; init; }
}

/// <summary>
/// A running inference simulator: Kestrel on one address and port, serving every surface at the root
/// (profile <c>default</c>) and under <c>/p/{profile}/</c>, plus the control API under <c>/_sim</c>.
/// </summary>
public sealed class InferenceSimulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SimulatorState state;
    private int disposed;

    private InferenceSimulator(WebApplication app, SimulatorState state, Uri baseAddress)
    {
        this.app = app;
        this.state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>The root, e.g. <c>http://127.0.0.1:41234/</c>; its routes use the <c>default</c> profile.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts a simulator and returns once it accepts connections.</summary>
    public static async Task<InferenceSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var state = new SimulatorState(options.Profiles ?? SimulatorProfile.DefaultProfiles);

        // The empty builder reads no appsettings, environment variables or command line, so hosting the
        // simulator inside another application (or its tests) picks up none of that application's settings.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(InferenceSimulator).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Address, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinResponseDataRate = null;
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use(static (context, next) =>
        {
            context.Features.Set(new RequestArrival(Stopwatch.GetTimestamp()));
            return next(context);
        });
        app.UseRouting();
        app.Use((context, next) => Misbehaviour.GateAsync(context, next, state, stopping));

        SurfaceRoutes.MapAll(app);
        SurfaceRoutes.MapAll(app.MapGroup("/p/{profile}"));
        ControlSurface.Map(app, state);

        await app.StartAsync(cancellationToken);
        var address = app.Urls.Single();
        return new InferenceSimulator(app, state, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Where profile <paramref name="profile"/>'s routes live: <see cref="BaseAddress"/> + <c>p/{profile}/</c>.</summary>
    public Uri ProfileAddress(string profile) => new(BaseAddress, $"p/{Uri.EscapeDataString(profile)}/");

    /// <summary>Creates or replaces a profile; the next request uses it. Replacing restarts its error sequence.</summary>
    /// <exception cref="ArgumentException">The name or the profile is invalid.</exception>
    public void SetProfile(string name, SimulatorProfile profile) => state.Set(name, profile);

    /// <exception cref="KeyNotFoundException">No profile has that name.</exception>
    public SimulatorProfile GetProfile(string name) =>
        state.TryGet(name, out var runtime) ? runtime.Profile : throw new KeyNotFoundException($"Unknown simulator profile '{name}'.");

    /// <summary>Requests seen by a profile, optionally only those of one route template such as <c>/v1/chat/completions</c>.</summary>
    public long RequestCount(string profile, string? route = null) =>
        state.TryGet(profile, out var runtime) ? runtime.RequestCount(route) : 0;

    /// <summary>Zeroes every profile's request, error and token counters and restarts error sequences.</summary>
    public void ResetCounters() => state.ResetCounters();

    /// <summary>Stops the server, cutting hung and streaming requests short.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }
}
