using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Simulator;
using CoordinationPortal.Web.Probes;
using CoordinationPortal.Web.Probes.Storage;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoordinationPortal.Integration.Tests.Probes;

/// <summary>Probes recorded by the portal: damping, health events, maintenance, SLO windows, roll-ups, scheduling across workers.</summary>
[Collection(PortalTests.Name)]
public sealed class ProbeRecordingTests(PortalFixture portal)
{
    private async Task<(Guid Id, string Profile)> RegisterAsync(SimulatorProfile profile, int interval = 60, int p95TtftMs = 10_000, ServerKind kind = ServerKind.Vllm)
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        return await RegisterAsync(admin, profile, interval, p95TtftMs, kind);
    }

    private async Task<(Guid Id, string Profile)> RegisterAsync(HttpClient admin, SimulatorProfile profile, int interval = 60, int p95TtftMs = 10_000,
        ServerKind kind = ServerKind.Vllm)
    {
        var url = portal.SimulatorProfile(profile, out var name);
        using var response = await admin.PostAsJsonAsync("/api/v1/endpoints", new
        {
            agencyId = Demo.OtherAgency, name = "Recording test " + name, baseUrl = url, kind = kind.ToString(), model = profile.Model,
            intervalSeconds = interval, availabilityPercent = 99, p95TtftMs, minOutputTokensPerSecond = 1,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), name);
    }

    private async Task<ProbeState?> ProbeAsync(Guid id)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ProbeRunner>().ProbeAsync(id, CancellationToken.None);
        return result?.Verdict.State;
    }

    private async Task<InferenceEndpoint> EndpointAsync(Guid id)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<InferenceEndpoint>(id))!;
    }

    private async Task<IReadOnlyList<object>> EventsAsync(Guid id)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).ToList();
    }

    [Fact]
    public async Task health_is_damped_down_after_three_failures_and_up_after_two_successes_with_events()
    {
        var (id, profile) = await RegisterAsync(new SimulatorProfile { TtftMs = 5, InterTokenMs = 1 });

        Assert.Equal(ProbeState.Up, await ProbeAsync(id));
        Assert.Equal(EndpointHealth.Up, (await EndpointAsync(id)).Health);

        portal.Simulator.SetProfile(profile, new SimulatorProfile { Loading = true });
        Assert.Equal(ProbeState.Down, await ProbeAsync(id));
        Assert.Equal(ProbeState.Down, await ProbeAsync(id));
        Assert.Equal(EndpointHealth.Up, (await EndpointAsync(id)).Health);
        Assert.Equal(ProbeState.Down, await ProbeAsync(id));
        var down = await EndpointAsync(id);
        Assert.Equal(EndpointHealth.Down, down.Health);
        Assert.Equal(ReasonCode.ModelLoading, down.HealthReason!.Code);

        portal.Simulator.SetProfile(profile, new SimulatorProfile { TtftMs = 5, InterTokenMs = 1 });
        await ProbeAsync(id);
        Assert.Equal(EndpointHealth.Down, (await EndpointAsync(id)).Health);
        await ProbeAsync(id);
        Assert.Equal(EndpointHealth.Up, (await EndpointAsync(id)).Health);

        var events = await EventsAsync(id);
        Assert.Single(events.OfType<EndpointWentDown>());
        Assert.Single(events.OfType<EndpointRecovered>());
        Assert.Single(events.OfType<EndpointCameUp>());

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var slo = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints/{id}/slo");
        var hour = slo.EnumerateArray().First();
        Assert.Equal("Hour", hour.GetProperty("window").GetString());
        Assert.Equal(6, hour.GetProperty("samples").GetInt64());
        Assert.Equal(50, hour.GetProperty("availabilityPercent").GetDouble(), 3);
        var failures = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints/{id}/samples?failuresOnly=true");
        Assert.Equal(3, failures.GetArrayLength());
        Assert.Contains("model loading", failures[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_edit_does_not_conflict_with_health_events_recorded_since_it_was_opened()
    {
        var (id, profile) = await RegisterAsync(new SimulatorProfile { TtftMs = 5, InterTokenMs = 1 });
        await ProbeAsync(id); // records "came up" on the stream
        var probed = await EndpointAsync(id);
        Assert.Equal(EndpointHealth.Up, probed.Health);
        Assert.Equal(2, probed.Version);
        Assert.Equal(1, probed.RegistryVersion);

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var response = await admin.PutAsJsonAsync($"/api/v1/endpoints/{id}", new
        {
            name = "Renamed after a health change", baseUrl = portal.Simulator.ProfileAddress(profile).ToString().TrimEnd('/'),
            kind = "Vllm", model = "sim-llama-3-8b", intervalSeconds = 60, expectedVersion = 1,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task a_maintenance_window_suppresses_state_changes_and_keeps_its_samples_out_of_the_slo()
    {
        var (id, profile) = await RegisterAsync(new SimulatorProfile { TtftMs = 5, InterTokenMs = 1 });
        await ProbeAsync(id);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var window = await admin.PostAsJsonAsync($"/api/v1/endpoints/{id}/maintenance",
            new { start = DateTimeOffset.UtcNow.AddMinutes(-1), end = DateTimeOffset.UtcNow.AddHours(1), note = "driver upgrade" });
        Assert.Equal(HttpStatusCode.Created, window.StatusCode);

        portal.Simulator.SetProfile(profile, new SimulatorProfile { Reset = true });
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(ProbeState.Down, await ProbeAsync(id));
        }

        Assert.Equal(EndpointHealth.Up, (await EndpointAsync(id)).Health);
        Assert.Empty((await EventsAsync(id)).OfType<EndpointWentDown>());
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var slo = await scope.ServiceProvider.GetRequiredService<ProbeQueries>().SloAsync(await EndpointAsync(id), CancellationToken.None);
        Assert.Equal(1, slo[0].Samples);
        Assert.Equal(100, slo[0].AvailabilityPercent);
    }

    [Fact]
    public async Task hostile_endpoints_leave_the_portal_healthy()
    {
        var hostile = new[]
        {
            new SimulatorProfile { Hang = true }, new SimulatorProfile { DripIntervalMs = 50 }, new SimulatorProfile { Reset = true },
            new SimulatorProfile { MalformedStream = true }, new SimulatorProfile { HugeBodyBytes = 10L << 20 },
            new SimulatorProfile { WrongContentType = true }, new SimulatorProfile { RedirectTo = "http://169.254.169.254/" },
        };
        var ids = new List<Guid>();
        foreach (var p in hostile)
        {
            ids.Add((await RegisterAsync(p)).Id);
        }

        var states = await Task.WhenAll(ids.Select(ProbeAsync));
        Assert.All(states, s => Assert.Equal(ProbeState.Down, s));

        using var anonymous = portal.AnonymousClient();
        using var health = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var (healthy, _) = await RegisterAsync(new SimulatorProfile { TtftMs = 5, InterTokenMs = 1 });
        Assert.Equal(ProbeState.Up, await ProbeAsync(healthy));
    }

    [Fact]
    public async Task a_missed_ttft_slo_is_announced_once_as_a_breach()
    {
        var (id, _) = await RegisterAsync(new SimulatorProfile { TtftMs = 150, InterTokenMs = 1, OutputTokens = 3 }, p95TtftMs: 100);
        await ProbeAsync(id);
        await ProbeAsync(id);

        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var job = scope.ServiceProvider.GetRequiredService<ProbeMaintenanceJob>();
        var first = await job.AnnounceSloChangesAsync([await EndpointAsync(id)], SloWindow.Day, CancellationToken.None);
        var second = await job.AnnounceSloChangesAsync([await EndpointAsync(id)], SloWindow.Day, CancellationToken.None);

        var breach = Assert.Single((await EventsAsync(id)).OfType<SloBreached>());
        Assert.Equal(SloMetric.TtftP95, breach.Metric);
        Assert.True(breach.Measured > 100);
        Assert.True(first >= 1);
        Assert.Equal(0, second);
        Assert.Contains("Day/TtftP95", (await EndpointAsync(id)).Breaches);
    }

    [Fact]
    public async Task hourly_rollups_answer_the_week_window_like_the_raw_samples_and_retention_keeps_them()
    {
        var (id, _) = await RegisterAsync(new SimulatorProfile());
        var store = portal.Factory.Services.GetRequiredService<ProbeStore>();
        var now = DateTimeOffset.UtcNow;
        await using (var connection = await store.DataSource.OpenConnectionAsync())
        {
            await using (var reset = new NpgsqlCommand("DELETE FROM probes.rollup_state", connection))
            {
                await reset.ExecuteNonQueryAsync();
            }

            // 3 days of probes every 10 minutes: every 7th fails, TTFT cycles 100..190 ms.
            var at = now.AddDays(-3);
            for (var i = 0; at < now.AddMinutes(-1); i++, at = at.AddMinutes(10))
            {
                var down = i % 7 == 0;
                var stream = down ? null : new StreamMeasurement(100 + (i % 10 * 10), 400, 16, true, [], 20, 40, 20, 22);
                var verdict = new ProbeVerdict(down ? ProbeState.Down : ProbeState.Up, down ? new ProbeReason(ReasonCode.ConnectionRefused) : ProbeReason.Healthy);
                await ProbeRows.InsertSampleAsync(connection, null, id,
                    new CoordinationPortal.Web.Probes.Engine.ProbeResult(at, verdict, stream, 1, false, null, null), false, CancellationToken.None);
            }
        }

        var rawWeek = (await store.WindowStatsAsync(SloWindow.Week, [id], CancellationToken.None))[id];
        var hours = await store.RollUpAsync(CancellationToken.None);
        var rolledWeek = (await store.WindowStatsAsync(SloWindow.Week, [id], CancellationToken.None))[id];
        await store.PurgeAsync(TimeSpan.FromDays(1), TimeSpan.FromDays(400), CancellationToken.None);
        var afterPurge = (await store.WindowStatsAsync(SloWindow.Week, [id], CancellationToken.None))[id];

        Assert.True(hours >= 72);
        Assert.Equal(rawWeek.Samples, rolledWeek.Samples);
        Assert.Equal(rawWeek.Down, rolledWeek.Down);
        Assert.Equal(rawWeek.Samples, afterPurge.Samples);
        Assert.Equal(rawWeek.Ttft.Percentile(95)!.Value, afterPurge.Ttft.Percentile(95)!.Value, 6);
        var recent = await store.SamplesAsync(id, now.AddDays(-7), 10_000, false, CancellationToken.None);
        Assert.True(recent.Count < rawWeek.Samples, "raw samples older than the retention were deleted");
    }

    [Fact]
    public void hangfire_runs_a_dispatch_round_every_minute_and_maintenance_every_five()
    {
        using var connection = portal.Factory.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        var jobs = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).ToDictionary(j => j.Id);

        Assert.Equal("* * * * *", jobs[ProbeDispatcher.RecurringId].Cron);
        Assert.Equal("*/5 * * * *", jobs[ProbeMaintenanceJob.RecurringId].Cron);
    }

    [Fact]
    public async Task two_worker_processes_probe_each_endpoint_once_per_interval()
    {
        // The second process starts, and both dispatchers are ready, before anything is registered: the rounds must start
        // right after the registrations, whose times fix the endpoints' schedules.
        await using var second = portal.SecondProcess();
        var one = portal.Factory.Services.GetRequiredService<ProbeDispatcher>();
        var two = second.Services.GetRequiredService<ProbeDispatcher>();
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        const int Interval = 15;
        var endpoints = new List<(Guid Id, string Profile, DateTimeOffset RegisteredFrom)>();
        for (var i = 0; i < 4; i++)
        {
            var from = DateTimeOffset.UtcNow;
            var (id, profile) = await RegisterAsync(admin, new SimulatorProfile { TtftMs = 20, InterTokenMs = 2 }, interval: Interval);
            endpoints.Add((id, profile, from));
        }

        // Each endpoint is due at once (at its registration), then an interval after its registration, then two. Both
        // workers run rounds until 17 s after the last registration: past every endpoint's second due time, and before
        // the first endpoint's third (a round claims up to a second ahead) while registering took less than 12 s; it
        // takes well under one.
        var registered = DateTimeOffset.UtcNow;
        Assert.True(registered - endpoints[0].RegisteredFrom < TimeSpan.FromSeconds(11),
            $"registering took {(registered - endpoints[0].RegisteredFrom).TotalSeconds:0.0} s: a third probe could fall in the rounds");
        var window = registered.AddSeconds(Interval + 2) - DateTimeOffset.UtcNow;
        var counts = await Task.WhenAll(one.DispatchAsync(window, CancellationToken.None), two.DispatchAsync(window, CancellationToken.None));

        // Which worker claims which endpoint is a race; between them every due probe ran once.
        Assert.True(counts.Sum() >= endpoints.Count * 2);
        var store = portal.Factory.Services.GetRequiredService<ProbeStore>();
        foreach (var (id, profile, registeredFrom) in endpoints)
        {
            var samples = await store.SamplesAsync(id, DateTimeOffset.UtcNow.AddMinutes(-5), 100, false, CancellationToken.None);
            Assert.Equal(2, samples.Count);
            Assert.Equal(2, portal.Simulator.RequestCount(profile, "/v1/chat/completions"));
            // The second probe follows the endpoint's grid: due an interval after the registration (or after the first
            // probe, had that come later still), so never earlier, whenever the first probe ran (0.1 s for the clocks'
            // rounding); and within the rounds after the first.
            Assert.True(samples[1].At >= registeredFrom.AddSeconds(Interval - 0.1),
                $"the second probe ran at {samples[1].At:O}, before {Interval} s after the registration ({registeredFrom:O})");
            Assert.InRange((samples[1].At - samples[0].At).TotalSeconds, 0, Interval + 2);
        }
    }
}
