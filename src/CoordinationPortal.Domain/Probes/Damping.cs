namespace CoordinationPortal.Domain.Probes;

/// <summary>An endpoint's health as the portal reports it: probe results after damping.</summary>
public enum EndpointHealth
{
    Unknown,
    Up,
    Degraded,
    Down,
}

/// <summary>How many consecutive probes of one state it takes to change the reported health.</summary>
public sealed record DampingOptions(int DownAfter = 3, int UpAfter = 2, int DegradedAfter = 2)
{
    public static DampingOptions Default { get; } = new();

    public int Needed(ProbeState state) => Math.Max(1, state switch
    {
        ProbeState.Down => DownAfter,
        ProbeState.Degraded => DegradedAfter,
        _ => UpAfter,
    });
}

/// <summary>The damping memory kept per endpoint: the reported health, and the run of identical probe states behind the latest.</summary>
public sealed record HealthTracker(EndpointHealth Health, ProbeState? LastState, int Streak)
{
    public static HealthTracker New { get; } = new(EndpointHealth.Unknown, null, 0);
}

/// <summary>The tracker after one probe, and the health it changed to (null when unchanged).</summary>
public sealed record HealthStep(HealthTracker Tracker, EndpointHealth? ChangedTo);

/// <summary>
/// Damps flapping: the reported health follows the probes only after a run of identical states (Down after three
/// failures, Up after two successes, by default). A new endpoint takes its first probe's state at once. Inside a
/// maintenance window the run is still counted but the health does not change, so nothing is announced. Pure.
/// </summary>
public static class Damping
{
    public static HealthStep Next(HealthTracker tracker, ProbeState probe, DampingOptions options, bool inMaintenance)
    {
        var streak = tracker.LastState == probe ? tracker.Streak + 1 : 1;
        var next = tracker with { LastState = probe, Streak = streak };
        var target = ToHealth(probe);
        if (inMaintenance || tracker.Health == target)
        {
            return new HealthStep(next, null);
        }

        var settled = tracker.Health == EndpointHealth.Unknown || streak >= options.Needed(probe);
        return settled ? new HealthStep(next with { Health = target }, target) : new HealthStep(next, null);
    }

    public static EndpointHealth ToHealth(ProbeState state) => state switch
    {
        ProbeState.Up => EndpointHealth.Up,
        ProbeState.Degraded => EndpointHealth.Degraded,
        _ => EndpointHealth.Down,
    };
}
