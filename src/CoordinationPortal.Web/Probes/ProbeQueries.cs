using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Probes.Storage;
using Marten;

namespace CoordinationPortal.Web.Probes;

/// <summary>A row of the live status board.</summary>
public sealed record EndpointRow(
    InferenceEndpoint Endpoint,
    string AgencyName,
    ProbeStatus? Status,
    SloReport Day);

/// <summary>Everything the endpoint page shows.</summary>
public sealed record EndpointDetail(
    InferenceEndpoint Endpoint,
    string AgencyName,
    ProbeStatus? Status,
    IReadOnlyList<SloReport> Slo,
    IReadOnlyList<ProbeSample> Recent,
    IReadOnlyList<HourPoint> Hours,
    IReadOnlyList<ProbeSample> Failures,
    IReadOnlyList<EndpointHistoryEntry> History);

/// <summary>One registry or health event of an endpoint, for its history list.</summary>
public sealed record EndpointHistoryEntry(DateTimeOffset At, string Kind, string? By, ProbeReason? Reason, string? Detail);

/// <summary>Measured evidence for an agency: its endpoints and what they delivered over the last 7 days.</summary>
public sealed record AgencyEvidence(IReadOnlyList<EndpointRow> Endpoints, IReadOnlyDictionary<Guid, SloReport> Week)
{
    public bool HasEndpoints => Endpoints.Count > 0;

    /// <summary>Endpoints that met every SLO with data over the last 7 days.</summary>
    public int MeetingSlo => Week.Values.Count(r => r.AllMet == true);
}

public sealed class ProbeQueries(IQuerySession query, ProbeStore probes, TimeProvider time)
{
    public static readonly IReadOnlyList<SloWindow> Windows = [SloWindow.Hour, SloWindow.Day, SloWindow.Week, SloWindow.Month];

    public async Task<IReadOnlyList<EndpointRow>> BoardAsync(Guid? agencyId, CancellationToken ct)
    {
        var endpoints = agencyId is { } id
            ? await query.Query<InferenceEndpoint>().Where(e => e.AgencyId == id && !e.Retired).ToListAsync(ct)
            : await query.Query<InferenceEndpoint>().Where(e => !e.Retired).ToListAsync(ct);
        if (endpoints.Count == 0)
        {
            return [];
        }

        var ids = endpoints.Select(e => e.Id).ToList();
        var statuses = await probes.StatusesAsync(ids, ct);
        var day = await probes.WindowStatsAsync(SloWindow.Day, ids, ct);
        var agencyIds = endpoints.Select(e => e.AgencyId).Distinct().ToList();
        var agencies = (await query.LoadManyAsync<AgencySummary>(ct, agencyIds)).ToDictionary(a => a.Id, a => a.Name);
        return endpoints
            .Select(e => new EndpointRow(
                e,
                agencies.GetValueOrDefault(e.AgencyId, ""),
                statuses.GetValueOrDefault(e.Id),
                SloMath.Evaluate(SloWindow.Day, day.GetValueOrDefault(e.Id) ?? EmptyStats(), e.Settings.Slo)))
            .OrderBy(r => HealthOrder(r.Endpoint, r.Status))
            .ThenBy(r => r.AgencyName, StringComparer.CurrentCulture)
            .ThenBy(r => r.Endpoint.Settings.Name, StringComparer.CurrentCulture)
            .ToList();
    }

    public async Task<EndpointDetail?> DetailAsync(Guid endpointId, CancellationToken ct)
    {
        var endpoint = await query.LoadAsync<InferenceEndpoint>(endpointId, ct);
        if (endpoint is null)
        {
            return null;
        }

        var agency = await query.LoadAsync<AgencySummary>(endpoint.AgencyId, ct);
        var statuses = await probes.StatusesAsync([endpointId], ct);
        var reports = await SloAsync(endpoint, ct);

        var now = time.GetUtcNow();
        var recent = await probes.SamplesAsync(endpointId, now.AddHours(-6), 1500, failuresOnly: false, ct);
        var hours = await probes.HoursAsync(endpointId, now.AddDays(-7), ct);
        var failures = await probes.SamplesAsync(endpointId, now.AddDays(-30), 20, failuresOnly: true, ct);
        var events = await query.Events.FetchStreamAsync(endpointId, token: ct);
        var history = events.Select(e => Describe(e.Data)).OfType<EndpointHistoryEntry>().Reverse().Take(50).ToList();
        return new EndpointDetail(endpoint, agency?.Name ?? "", statuses.GetValueOrDefault(endpointId), reports, recent, hours,
            failures.Reverse().ToList(), history);
    }

    /// <summary>One endpoint as a board row (the API's view of it), without the detail page's samples and history.</summary>
    public async Task<EndpointRow?> RowAsync(Guid endpointId, CancellationToken ct)
    {
        var endpoint = await query.LoadAsync<InferenceEndpoint>(endpointId, ct);
        if (endpoint is null)
        {
            return null;
        }

        var agency = await query.LoadAsync<AgencySummary>(endpoint.AgencyId, ct);
        var statuses = await probes.StatusesAsync([endpointId], ct);
        var day = await probes.WindowStatsAsync(SloWindow.Day, [endpointId], ct);
        return new EndpointRow(endpoint, agency?.Name ?? "", statuses.GetValueOrDefault(endpointId),
            SloMath.Evaluate(SloWindow.Day, day.GetValueOrDefault(endpointId) ?? EmptyStats(), endpoint.Settings.Slo));
    }

    public async Task<AgencyEvidence> AgencyEvidenceAsync(Guid agencyId, CancellationToken ct)
    {
        var rows = await BoardAsync(agencyId, ct);
        if (rows.Count == 0)
        {
            return new AgencyEvidence([], new Dictionary<Guid, SloReport>());
        }

        return new AgencyEvidence(rows, await WeekReportsAsync([.. rows.Select(r => r.Endpoint)], ct));
    }

    /// <summary>The 7-day SLO report of each endpoint, from one read of the probe store: the measured evidence.</summary>
    public async Task<Dictionary<Guid, SloReport>> WeekReportsAsync(IReadOnlyList<InferenceEndpoint> endpoints, CancellationToken ct)
    {
        if (endpoints.Count == 0)
        {
            return [];
        }

        var stats = await probes.WindowStatsAsync(SloWindow.Week, [.. endpoints.Select(e => e.Id)], ct);
        return endpoints.ToDictionary(e => e.Id,
            e => SloMath.Evaluate(SloWindow.Week, stats.GetValueOrDefault(e.Id) ?? EmptyStats(), e.Settings.Slo));
    }

    public async Task<IReadOnlyList<SloReport>> SloAsync(InferenceEndpoint endpoint, CancellationToken ct)
    {
        var reports = new List<SloReport>();
        foreach (var window in Windows)
        {
            var stats = await probes.WindowStatsAsync(window, [endpoint.Id], ct);
            reports.Add(SloMath.Evaluate(window, stats.GetValueOrDefault(endpoint.Id) ?? EmptyStats(), endpoint.Settings.Slo));
        }

        return reports;
    }

    public static SloWindowStats EmptyStats() => new(0, 0, 0, 0, new LogHistogram(), new LogHistogram());

    private static int HealthOrder(InferenceEndpoint e, ProbeStatus? s) => e.Paused ? 4 : (s?.Health ?? EndpointHealth.Unknown) switch
    {
        EndpointHealth.Down => 0,
        EndpointHealth.Degraded => 1,
        EndpointHealth.Unknown => 2,
        _ => 3,
    };

    private static EndpointHistoryEntry? Describe(object data) => data switch
    {
        EndpointRegistered e => new(e.At, "registered", e.By, null, e.Settings.BaseUrl),
        EndpointSettingsChanged e => new(e.At, "settingsChanged", e.By, null, e.Settings.BaseUrl),
        EndpointApiKeySet e => new(e.At, "apiKeySet", e.By, null, null),
        EndpointApiKeyRemoved e => new(e.At, "apiKeyRemoved", e.By, null, null),
        EndpointPaused e => new(e.At, "paused", e.By, null, null),
        EndpointResumed e => new(e.At, "resumed", e.By, null, null),
        MaintenanceWindowScheduled e => new(e.At, "maintenanceScheduled", e.By, null, e.Window.Note),
        MaintenanceWindowCancelled e => new(e.At, "maintenanceCancelled", e.By, null, null),
        EndpointRetired e => new(e.At, "retired", e.By, null, null),
        EndpointWentDown e => new(e.At, "wentDown", null, e.Reason, null),
        EndpointDegraded e => new(e.At, "degraded", null, e.Reason, null),
        EndpointRecovered e => new(e.At, "recovered", null, null, null),
        EndpointCameUp e => new(e.At, "cameUp", null, null, null),
        SloBreached e => new(e.At, "sloBreached", null, null, $"{e.Window}/{e.Metric}"),
        SloRestored e => new(e.At, "sloRestored", null, null, $"{e.Window}/{e.Metric}"),
        _ => null,
    };
}
