using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Web.Probes.Engine;

/// <summary>How probes behave; bound from the <c>Probes</c> configuration section.</summary>
public sealed class ProbeOptions
{
    public const string Section = "Probes";

    /// <summary>Opening a TCP connection (after the address check).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>From sending a request to its response headers.</summary>
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>From sending the completion request to the end of its stream.</summary>
    public TimeSpan StreamTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest body read from any probe response; a larger one ends the probe (Down, "response too large").</summary>
    public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>Largest Prometheus exposition read.</summary>
    public int MaxMetricsBytes { get; set; } = 4 << 20;

    /// <summary>Output tokens asked of the probe's completion: small, so probing costs the server little.</summary>
    public int MaxTokens { get; set; } = 16;

    public string Prompt { get; set; } = "Reply with one short sentence about the weather.";

    public int DownAfter { get; set; } = 3;
    public int UpAfter { get; set; } = 2;
    public int DegradedAfter { get; set; } = 2;

    /// <summary>Probes run at once by one process.</summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>How long raw samples are kept; hourly roll-ups are kept for <see cref="RollupRetention"/>.</summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromDays(8);

    public TimeSpan RollupRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>The window whose SLO misses become SloBreached events.</summary>
    public SloWindow AlertWindow { get; set; } = SloWindow.Day;

    /// <summary>Endpoints one agency may have registered (not retired); a registration beyond it is refused.</summary>
    public int MaxEndpointsPerAgency { get; set; } = EndpointDecider.DefaultMaxEndpointsPerAgency;

    /// <summary>*Probe now* runs of one endpoint in any sliding minute, whoever asks.</summary>
    public int ProbeNowPerEndpointPerMinute { get; set; } = 2;

    /// <summary>*Probe now* runs one person may start in any sliding minute, over all endpoints.</summary>
    public int ProbeNowPerUserPerMinute { get; set; } = 6;

    /// <summary>Runs the scheduler loop in this process (the portal's Hangfire server must run too).</summary>
    public bool Enabled { get; set; } = true;

    public DampingOptions Damping => new(DownAfter, UpAfter, DegradedAfter);
}
