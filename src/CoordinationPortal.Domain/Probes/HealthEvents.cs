namespace CoordinationPortal.Domain.Probes;

/// <summary>Turns what the probes observed into the endpoint's health events. Pure.</summary>
public static class HealthEvents
{
    /// <summary>The event announcing a change of reported health, or none when the health did not change.</summary>
    public static object? ForChange(Guid endpointId, EndpointHealth from, EndpointHealth? changedTo, ProbeReason reason, DateTimeOffset at) => changedTo switch
    {
        null => null,
        var to when to == from => null,
        EndpointHealth.Down => new EndpointWentDown(endpointId, reason, at),
        EndpointHealth.Degraded => new EndpointDegraded(endpointId, reason, at),
        EndpointHealth.Up when from == EndpointHealth.Unknown => new EndpointCameUp(endpointId, at),
        EndpointHealth.Up => new EndpointRecovered(endpointId, at),
        _ => null,
    };

    /// <summary>
    /// SLO breached / restored events for one window's report against what the endpoint last announced. A metric with
    /// no data (null) changes nothing. Inside a maintenance window nothing is announced.
    /// </summary>
    public static IReadOnlyList<object> ForSlo(InferenceEndpoint endpoint, SloReport report, DateTimeOffset at)
    {
        if (endpoint.InMaintenance(at) || endpoint.Paused || endpoint.Retired)
        {
            return [];
        }

        var targets = endpoint.Settings.Slo;
        var events = new List<object>();
        Check(SloMetric.Availability, report.AvailabilityMet, report.AvailabilityPercent, targets.AvailabilityPercent);
        Check(SloMetric.TtftP95, report.TtftMet, report.TtftP95Ms, targets.P95TtftMs);
        Check(SloMetric.Throughput, report.ThroughputMet, report.TokensPerSecondP50, targets.MinOutputTokensPerSecond);
        return events;

        void Check(SloMetric metric, bool? met, double? measured, double target)
        {
            if (met is null || measured is null)
            {
                return;
            }

            var breached = endpoint.Breaches.Contains(InferenceEndpoint.BreachKey(report.Window, metric));
            if (met == false && !breached)
            {
                events.Add(new SloBreached(endpoint.Id, report.Window, metric, measured.Value, target, at));
            }
            else if (met == true && breached)
            {
                events.Add(new SloRestored(endpoint.Id, report.Window, metric, measured.Value, target, at));
            }
        }
    }
}
