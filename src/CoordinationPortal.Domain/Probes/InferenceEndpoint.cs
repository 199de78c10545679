using System.Collections.Immutable;

namespace CoordinationPortal.Domain.Probes;

/// <summary>
/// A registered inference endpoint: the state folded from its stream. Immutable; <see cref="Version"/> equals the
/// stream version. Methods are named <c>When</c>, as on <c>Agency</c>, and the store folds through <see cref="Evolve"/>.
/// </summary>
public sealed record InferenceEndpoint
{
    public Guid Id { get; init; }
    public Guid AgencyId { get; init; }
    public long Version { get; init; }

    /// <summary>
    /// Counts only what operators changed (registry events), not the health and SLO events the probes record: an
    /// operator's edit conflicts with another operator's edit, not with the endpoint going down meanwhile.
    /// </summary>
    public long RegistryVersion { get; init; }
    public EndpointSettings Settings { get; init; } = null!;
    public bool HasApiKey { get; init; }
    public bool Paused { get; init; }
    public bool Retired { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public string RegisteredBy { get; init; } = "";
    public ImmutableList<MaintenanceWindow> Maintenance { get; init; } = [];
    public EndpointHealth Health { get; init; }
    public ProbeReason? HealthReason { get; init; }
    public DateTimeOffset? HealthSince { get; init; }

    /// <summary>SLOs currently breached, as "Window/Metric" (e.g. "Day/TtftP95").</summary>
    public ImmutableSortedSet<string> Breaches { get; init; } = [];

    public bool InMaintenance(DateTimeOffset at) => Maintenance.Any(w => w.Covers(at));

    public static string BreachKey(SloWindow window, SloMetric metric) => $"{window}/{metric}";

    public static InferenceEndpoint Registered(EndpointRegistered e) => new()
    {
        Id = e.EndpointId,
        AgencyId = e.AgencyId,
        Version = 1,
        RegistryVersion = 1,
        Settings = e.Settings,
        HasApiKey = e.HasApiKey,
        RegisteredAt = e.At,
        RegisteredBy = e.By,
    };

    public InferenceEndpoint When(EndpointSettingsChanged e) => Changed() with { Settings = e.Settings };

    public InferenceEndpoint When(EndpointApiKeySet e) => Changed() with { HasApiKey = true };

    public InferenceEndpoint When(EndpointApiKeyRemoved e) => Changed() with { HasApiKey = false };

    public InferenceEndpoint When(EndpointPaused e) => Changed() with { Paused = true };

    public InferenceEndpoint When(EndpointResumed e) => Changed() with { Paused = false };

    public InferenceEndpoint When(MaintenanceWindowScheduled e) => Changed() with { Maintenance = Maintenance.Add(e.Window) };

    public InferenceEndpoint When(MaintenanceWindowCancelled e) =>
        Changed() with { Maintenance = Maintenance.RemoveAll(w => w.Id == e.WindowId) };

    public InferenceEndpoint When(EndpointRetired e) => Changed() with { Retired = true, Paused = true };

    public InferenceEndpoint When(EndpointWentDown e) =>
        Next() with { Health = EndpointHealth.Down, HealthReason = e.Reason, HealthSince = e.At };

    public InferenceEndpoint When(EndpointDegraded e) =>
        Next() with { Health = EndpointHealth.Degraded, HealthReason = e.Reason, HealthSince = e.At };

    public InferenceEndpoint When(EndpointRecovered e) =>
        Next() with { Health = EndpointHealth.Up, HealthReason = ProbeReason.Healthy, HealthSince = e.At };

    public InferenceEndpoint When(EndpointCameUp e) =>
        Next() with { Health = EndpointHealth.Up, HealthReason = ProbeReason.Healthy, HealthSince = e.At };

    public InferenceEndpoint When(SloBreached e) => Next() with { Breaches = Breaches.Add(BreachKey(e.Window, e.Metric)) };

    public InferenceEndpoint When(SloRestored e) => Next() with { Breaches = Breaches.Remove(BreachKey(e.Window, e.Metric)) };

    private InferenceEndpoint Next() => this with { Version = Version + 1 };

    private InferenceEndpoint Changed() => this with { Version = Version + 1, RegistryVersion = RegistryVersion + 1 };

    public static InferenceEndpoint? Evolve(InferenceEndpoint? state, object @event) => (state, @event) switch
    {
        (null, EndpointRegistered e) => Registered(e),
        (null, _) => null,
        (_, EndpointSettingsChanged e) => state.When(e),
        (_, EndpointApiKeySet e) => state.When(e),
        (_, EndpointApiKeyRemoved e) => state.When(e),
        (_, EndpointPaused e) => state.When(e),
        (_, EndpointResumed e) => state.When(e),
        (_, MaintenanceWindowScheduled e) => state.When(e),
        (_, MaintenanceWindowCancelled e) => state.When(e),
        (_, EndpointRetired e) => state.When(e),
        (_, EndpointWentDown e) => state.When(e),
        (_, EndpointDegraded e) => state.When(e),
        (_, EndpointRecovered e) => state.When(e),
        (_, EndpointCameUp e) => state.When(e),
        (_, SloBreached e) => state.When(e),
        (_, SloRestored e) => state.When(e),
        _ => state with { Version = state.Version + 1 },
    };

    public static InferenceEndpoint? Fold(IEnumerable<object> events) => events.Aggregate((InferenceEndpoint?)null, Evolve);
}
