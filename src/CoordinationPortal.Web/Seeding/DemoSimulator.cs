using System.Net;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Simulator;
using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Probes;
using Marten;

namespace CoordinationPortal.Web.Seeding;

/// <summary>
/// On the embedded default, starts the inference simulator beside the portal and registers demo endpoints against it
/// (healthy, slow, flaky, loading, down), so a new user sees live probes at once. Only the simulator's own loopback
/// address is allowlisted for probes; the portal and its database stay unreachable to them.
/// </summary>
public static partial class DemoSimulator
{
    public const string DefaultAddress = "127.77.0.1";
    public const int DefaultPort = 5091;

    /// <summary>A demo endpoint: the simulator profile it points at, or null for a port nothing listens on.</summary>
    public sealed record DemoEndpoint(string Slug, string AgencySlug, string Name, ServerKind Kind, string? Profile, int P95TtftMs, double MinTokensPerSecond);

    public static readonly IReadOnlyList<DemoEndpoint> Endpoints =
    [
        new("aiims-triage", "health-ministry", "Clinical triage assistant", ServerKind.Vllm, "healthy", 800, 20),
        new("sbi-explain", "state-bank-of-india", "Credit decision explainer", ServerKind.Tgi, "slow", 800, 10),
        new("mh-health-chat", "maharashtra-health-services", "Patient helpline chat", ServerKind.Ollama, "flaky", 1000, 10),
        new("ntpc-maintenance", "ntpc", "Turbine maintenance copilot", ServerKind.KServeV2, "healthy", 800, 20),
        new("railways-nim", "indian-railways", "Passenger assistance (NIM)", ServerKind.Nim, "loading", 800, 20),
        new("karnataka-llamacpp", "karnataka-egovernance", "Citizen services summariser", ServerKind.LlamaCpp, "healthy", 600, 20),
        new("bsnl-down", "bsnl", "Network operations assistant", ServerKind.OpenAi, null, 800, 20),
    ];

    /// <summary>
    /// Only with the demo on (<c>Seed:Demo</c>, by default on the embedded database only): its control API has no sign-in,
    /// so <c>Simulator:Enabled</c> can turn it off in a demo, never on without one.
    /// </summary>
    private static bool Enabled(IConfiguration configuration, bool embedded) =>
        configuration.GetValue("Seed:Demo", embedded) && configuration.GetValue("Simulator:Enabled", embedded);

    /// <summary>
    /// Allowlists the simulator's address and port (every port when it takes any free one) before the probe client reads
    /// the allowlist: an entry without a port would open only 80 and 443.
    /// </summary>
    public static void AllowInProbes(FeatureSetup setup)
    {
        if (Enabled(setup.Configuration, setup.Database.Embedded))
        {
            var allow = setup.Configuration.GetSection("Probes:Network:Allow").Get<string[]>() ?? [];
            var port = setup.Configuration.GetValue("Simulator:Port", DefaultPort);
            setup.Configuration[$"Probes:Network:Allow:{allow.Length}"] =
                $"{Address(setup.Configuration)}/32:{(port > 0 ? port.ToString(System.Globalization.CultureInfo.InvariantCulture) : "*")}";
        }
    }

    public static async Task StartAsync(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var embedded = services.GetRequiredService<PortalDatabaseInfo>().Embedded;
        if (!Enabled(configuration, embedded))
        {
            return;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CoordinationPortal.DemoSimulator");
        var address = Address(configuration);
        InferenceSimulator simulator;
        try
        {
            simulator = await InferenceSimulator.StartAsync(new SimulatorOptions
            {
                Address = address,
                Port = configuration.GetValue("Simulator:Port", DefaultPort),
            });
        }
        catch (IOException e)
        {
            LogNotStarted(logger, e, address);
            return;
        }

        lifetime.ApplicationStopped.Register(() => simulator.DisposeAsync().AsTask().GetAwaiter().GetResult());
        LogStarted(logger, simulator.BaseAddress);
        await SeedEndpointsAsync(services, simulator, lifetime.ApplicationStopping);
    }

    /// <summary>Registers the demo endpoints that are not registered yet (as the system; idempotent).</summary>
    public static async Task SeedEndpointsAsync(IServiceProvider services, InferenceSimulator simulator, CancellationToken ct)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        var probes = services.GetRequiredService<Probes.Storage.ProbeStore>();
        var time = services.GetRequiredService<TimeProvider>();
        await using var session = store.LightweightSession();
        foreach (var demo in Endpoints)
        {
            var id = SeedHistory.StableId("endpoint:" + demo.Slug);
            var agencyId = SeedHistory.StableId("agency:" + demo.AgencySlug);
            if (await session.LoadAsync<InferenceEndpoint>(id, ct) is not null
                || await session.LoadAsync<Domain.Agencies.Agency>(agencyId, ct) is null)
            {
                continue;
            }

            var baseUrl = demo.Profile is { } profile
                ? simulator.ProfileAddress(profile).ToString().TrimEnd('/')
                : $"http://{simulator.BaseAddress.Host}:{UnusedPortBeside(simulator.BaseAddress.Port)}";
            var model = demo.Profile is { } p ? simulator.GetProfile(p).Model : "sim-llama-3-8b";
            var settings = new EndpointSettings(demo.Name, baseUrl, demo.Kind, model, 30,
                new SloTargets(99, demo.P95TtftMs, demo.MinTokensPerSecond), null);
            var decision = EndpointDecider.Decide(new RegisterEndpoint(id, agencyId, settings, false, "system", time.GetUtcNow()), null);
            session.Events.StartStream<InferenceEndpoint>(id, decision.Events);
            await session.SaveChangesAsync(ct);
            await probes.ScheduleAsync(id, settings.IntervalSeconds, active: true, ct);
        }
    }

    private static IPAddress Address(IConfiguration configuration) =>
        IPAddress.TryParse(configuration["Simulator:Address"], out var a) ? a : IPAddress.Parse(DefaultAddress);

    /// <summary>A port beside the simulator's, on its private address, where nothing listens: the "down" demo endpoint.</summary>
    private static int UnusedPortBeside(int port) => port + 8;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The inference simulator could not start on {Address}; demo endpoints will show as down")]
    private static partial void LogNotStarted(ILogger logger, Exception e, IPAddress address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inference simulator listening on {BaseAddress} (control page: /_sim)")]
    private static partial void LogStarted(ILogger logger, Uri baseAddress);
}
