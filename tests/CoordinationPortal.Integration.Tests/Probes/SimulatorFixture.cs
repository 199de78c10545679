using System.Net;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Simulator;
using CoordinationPortal.Web.Probes.Engine;
using CoordinationPortal.Web.Outbound;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Integration.Tests.Probes;

/// <summary>
/// A real inference simulator on its own loopback address (127.77.0.2), and probe engines built exactly as the portal
/// builds them (the same handler, the same connect-time SSRF guard), with the simulator's address allowlisted.
/// </summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public static readonly IPAddress Address = IPAddress.Parse("127.77.0.2");

    public InferenceSimulator Simulator { get; private set; } = null!;

    public IReadOnlyList<IPNetwork> Allowlist { get; } = [IPNetwork.Parse("127.77.0.2/32")];

    public async Task InitializeAsync() =>
        Simulator = await InferenceSimulator.StartAsync(new SimulatorOptions { Address = Address, Port = 0 });

    public async Task DisposeAsync() => await Simulator.DisposeAsync();

    /// <summary>Registers <paramref name="profile"/> under a fresh name and returns its base URL.</summary>
    public string Profile(SimulatorProfile profile, string? name = null)
    {
        name ??= "t" + Guid.NewGuid().ToString("N")[..10];
        Simulator.SetProfile(name, profile);
        return Simulator.ProfileAddress(name).ToString().TrimEnd('/');
    }

    public static ProbeOptions FastOptions() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        HeadersTimeout = TimeSpan.FromSeconds(4), // generous: a loaded CI machine can take 2 s to send the first headers of a healthy stream
        StreamTimeout = TimeSpan.FromSeconds(3),
        MaxBodyBytes = 1 << 20,
    };

    public ProbeEngine Engine(ProbeOptions? options = null, IReadOnlyList<IPNetwork>? allowlist = null)
    {
        options ??= FastOptions();
        var allowed = allowlist ?? Allowlist;
        // The simulator listens on a port of its own choosing: its /32 is open on every port here.
        IReadOnlyList<AllowlistRule> rules = allowed.Select(AllowlistRule.AnyPort).ToList();
        var connector = new ProbeConnector(_ => ValueTask.FromResult(rules), options.ConnectTimeout);
        var http = new HttpClient(OutboundHttp.CreateHandler(connector)) { Timeout = Timeout.InfiniteTimeSpan };
        return new ProbeEngine(http, Options.Create(options), TimeProvider.System);
    }

    public static ProbeTarget Target(string baseUrl, ServerKind kind, string model = "sim-llama-3-8b", int p95TtftMs = 10_000,
        double minTokensPerSecond = 1, string? metricsUrl = null, string? apiKey = null) =>
        new(Guid.NewGuid(), new EndpointSettings("test", baseUrl, kind, model, 60, new SloTargets(99, p95TtftMs, minTokensPerSecond), metricsUrl), apiKey);
}
