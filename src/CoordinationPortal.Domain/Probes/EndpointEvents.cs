namespace CoordinationPortal.Domain.Probes;

/// <summary>What an operator sets for an endpoint. The API key is not here: it is stored apart, encrypted, and only its presence is an event.</summary>
public sealed record EndpointSettings(
    string Name,
    string BaseUrl,
    ServerKind Kind,
    string Model,
    int IntervalSeconds,
    SloTargets Slo,
    string? MetricsUrl);

/// <summary>A planned period in which probes still run but health changes are not announced.</summary>
public sealed record MaintenanceWindow(Guid Id, DateTimeOffset Start, DateTimeOffset End, string Note)
{
    public bool Covers(DateTimeOffset at) => at >= Start && at < End;
}

public enum SloMetric
{
    Availability,
    TtftP95,
    Throughput,
}

// One stream per endpoint. Registry events carry who acted and when; health events are recorded by the probes
// ("By" is not needed: the portal itself observed them). Probe samples are NOT events: they live in a table with roll-ups.

public sealed record EndpointRegistered(Guid EndpointId, Guid AgencyId, EndpointSettings Settings, bool HasApiKey, string By, DateTimeOffset At);

public sealed record EndpointSettingsChanged(Guid EndpointId, EndpointSettings Settings, string By, DateTimeOffset At);

public sealed record EndpointApiKeySet(Guid EndpointId, string By, DateTimeOffset At);

public sealed record EndpointApiKeyRemoved(Guid EndpointId, string By, DateTimeOffset At);

public sealed record EndpointPaused(Guid EndpointId, string By, DateTimeOffset At);

public sealed record EndpointResumed(Guid EndpointId, string By, DateTimeOffset At);

public sealed record MaintenanceWindowScheduled(Guid EndpointId, MaintenanceWindow Window, string By, DateTimeOffset At);

public sealed record MaintenanceWindowCancelled(Guid EndpointId, Guid WindowId, string By, DateTimeOffset At);

public sealed record EndpointRetired(Guid EndpointId, string By, DateTimeOffset At);

public sealed record EndpointWentDown(Guid EndpointId, ProbeReason Reason, DateTimeOffset At);

public sealed record EndpointDegraded(Guid EndpointId, ProbeReason Reason, DateTimeOffset At);

public sealed record EndpointRecovered(Guid EndpointId, DateTimeOffset At);

/// <summary>The first probes of a new (or never yet settled) endpoint found it up: not a recovery.</summary>
public sealed record EndpointCameUp(Guid EndpointId, DateTimeOffset At);

public sealed record SloBreached(Guid EndpointId, SloWindow Window, SloMetric Metric, double Measured, double Target, DateTimeOffset At);

public sealed record SloRestored(Guid EndpointId, SloWindow Window, SloMetric Metric, double Measured, double Target, DateTimeOffset At);
