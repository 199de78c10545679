using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.Notifications;
using CoordinationPortal.Simulator;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Notifications;
using CoordinationPortal.Web.Notifications.Webhooks;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.Probes;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.OutOfStep;

/// <summary>
/// The evaluator against the real store: scorecard changes raise and resolve flags through the command handler's
/// trigger, re-evaluation is idempotent (also when two evaluations race), and the claimed-vs-measured rule follows
/// real probes of the simulator.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class FlagEvaluationTests(PortalFixture portal)
{
    private IServiceProvider Services => portal.Factory.Services;

    private ReadinessFramework Framework => Services.GetRequiredService<ReadinessFramework>();

    private async Task<CommandOutcome> AsSystemAsync(AgencyCommand command)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>().HandleAsSystemAsync(command, CancellationToken.None);
    }

    /// <summary>A fresh agency with every indicator of each layer at the given level (null: layer not assessed).</summary>
    private async Task<Guid> NewAgencyAsync(IReadOnlyDictionary<Layer, int> levels)
    {
        var id = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await AsSystemAsync(
            new RegisterAgency(id, "Out-of-step test " + id.ToString("N")[..6], AgencyKind.Ministry, "health", "national", "", DateTimeOffset.UtcNow)));
        foreach (var (layer, level) in levels)
        {
            await SetLayerAsync(id, layer, level);
        }

        return id;
    }

    private async Task SetLayerAsync(Guid agencyId, Layer layer, int level)
    {
        foreach (var indicator in Framework.LayerOf(layer).Indicators)
        {
            var outcome = await AsSystemAsync(new AssessIndicator(
                agencyId, indicator.Id, level, "Assessed in a test", "https://evidence.example.org/report", null, null, "", DateTimeOffset.UtcNow));
            Assert.IsType<CommandOutcome.Accepted>(outcome);
        }
    }

    private static Dictionary<Layer, int> Levels(int compute, int data, int governance, int skills, int operations) => new()
    {
        [Layer.Compute] = compute, [Layer.Data] = data, [Layer.Governance] = governance, [Layer.Skills] = skills, [Layer.Operations] = operations,
    };

    private async Task<List<Flag>> FlagsAsync(Guid agencyId)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. await session.Query<Flag>().Where(f => f.AgencyId == agencyId).ToListAsync()];
    }

    private async Task<IReadOnlyList<object>> FlagEventsAsync(Guid flagId)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await session.Events.FetchStreamAsync(flagId)).Select(e => e.Data)];
    }

    private async Task<EvaluationSummary> EvaluateAsync(Guid agencyId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FlagEvaluator>().EvaluateAsync([agencyId], CancellationToken.None);
    }

    private async Task AcknowledgeAsync(Guid flagId, string note)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var stream = await session.Events.FetchForWriting<Flag>(flagId);
        var decision = FlagDecider.Decide(new AcknowledgeFlag(flagId, note, "lead@test", DateTimeOffset.UtcNow), stream.Aggregate);
        Assert.True(decision.IsAccepted);
        stream.AppendMany(decision.Events);
        await session.SaveChangesAsync();
    }

    private static Flag Single(IEnumerable<Flag> flags, string ruleId) => Assert.Single(flags, f => f.RuleId == ruleId);

    /// <summary>
    /// The agency's flag of <paramref name="ruleId"/> once <paramref name="condition"/> holds: changes are evaluated in
    /// the background after they commit, so the test waits for it (failing after 15 s).
    /// </summary>
    private async Task<Flag> FlagWhenAsync(Guid agencyId, string ruleId, Func<Flag, bool> condition, string subject = "")
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (true)
        {
            var flag = (await FlagsAsync(agencyId)).SingleOrDefault(f => f.RuleId == ruleId && f.Subject == subject);
            if (flag is not null && condition(flag))
            {
                return flag;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The {ruleId} flag did not reach the expected state; it is {flag?.Status.ToString() ?? "absent"}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task a_balanced_agency_raises_nothing()
    {
        var id = await NewAgencyAsync(Levels(3, 3, 3, 3, 3));

        Assert.Empty(await FlagsAsync(id));
        var again = await EvaluateAsync(id);
        Assert.Equal(new EvaluationSummary(1, 0, 0, 0), again);
    }

    [Fact]
    public async Task lowering_data_raises_compute_leads_data_restoring_resolves_it_and_lowering_again_raises_it_again()
    {
        var id = await NewAgencyAsync(Levels(3, 3, 3, 3, 3));

        // Each assessment queues the agency for evaluation: no explicit evaluation here.
        await SetLayerAsync(id, Layer.Data, 1);
        var raised = await FlagWhenAsync(id, "compute-leads-data",
            f => f.Status == FlagStatus.Open && f.Explanation.En.Contains("Data is at level 1.0", StringComparison.Ordinal));
        Assert.Equal([Layer.Compute, Layer.Data], raised.Layers);
        Assert.Contains("3.0", raised.Explanation.En, StringComparison.Ordinal);
        Assert.Contains("1.0", raised.Explanation.En, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(raised.Explanation.Hi));
        Assert.NotEqual(raised.Explanation.En, raised.Explanation.Hi);

        // Evaluating again raises nothing twice. (The first call also does whatever the background has not done yet,
        // e.g. the spread flag of the final levels; after it, nothing is left to do.)
        await EvaluateAsync(id);
        Assert.Equal(new EvaluationSummary(1, 0, 0, 0), await EvaluateAsync(id));
        Assert.Equal(new EvaluationSummary(1, 0, 0, 0), await EvaluateAsync(id));
        Assert.Single((await FlagEventsAsync(raised.Id)).OfType<FlagRaised>());

        await AcknowledgeAsync(raised.Id, "Data stewards being hired this quarter");
        Assert.Equal(FlagStatus.Acknowledged, Single(await FlagsAsync(id), "compute-leads-data").Status);

        await SetLayerAsync(id, Layer.Data, 3);
        var resolved = await FlagWhenAsync(id, "compute-leads-data", f => f.Status == FlagStatus.Resolved);
        Assert.Equal(ResolutionReason.ConditionCleared, resolved.ResolutionReason);
        Assert.DoesNotContain(await FlagsAsync(id), f => f.IsOpen);

        await SetLayerAsync(id, Layer.Data, 1);
        var again = await FlagWhenAsync(id, "compute-leads-data", f => f.Occurrence == 2);
        Assert.Equal(raised.Id, again.Id);
        Assert.Equal(FlagStatus.Open, again.Status);
        Assert.Null(again.AcknowledgedBy);
        Assert.Equal(2, again.Episodes.Count);
        Assert.NotNull(again.Episodes[0].ResolvedAt);
        Assert.Null(again.Episodes[1].ResolvedAt);

        var events = await FlagEventsAsync(raised.Id);
        Assert.Equal(2, events.OfType<FlagRaised>().Count());
        Assert.Single(events.OfType<FlagResolved>());
        Assert.Single(events.OfType<FlagAcknowledged>());
    }

    [Fact]
    public async Task the_agencys_leads_are_notified_and_webhook_deliveries_commit_with_the_flag_when_it_is_raised_and_resolved()
    {
        var id = await NewAgencyAsync(Levels(3, 3, 3, 3, 3));
        var lead = $"lead-{id:N}@agency.example";
        Assert.IsType<CommandOutcome.Accepted>(await AsSystemAsync(new AssignLead(id, lead, "", DateTimeOffset.UtcNow)));
        const string secret = "evaluation-secret-0123456789";
        var everything = await NotificationTestBed.SubscribeAsync(Services, "https://hooks.example.org/everything", secret);
        var resolutions = await NotificationTestBed.SubscribeAsync(Services, "https://hooks.example.org/resolutions", secret, WebhookEvents.FlagResolved);
        var disabled = await NotificationTestBed.SubscribeAsync(Services, "https://hooks.example.org/disabled", secret);
        await NotificationTestBed.DisableAsync(Services, disabled.Id);
        try
        {
            await SetLayerAsync(id, Layer.Data, 1);
            var flag = await FlagWhenAsync(id, "compute-leads-data", f => f.Status == FlagStatus.Open);
            // Committed in the flag's own transaction: there as soon as the flag is, without waiting for anything else.
            Assert.Equal(["flag.raised"], (await DeliveriesAsync(everything.Id, flag.Id)).Select(d => d.Event));
            Assert.Empty(await DeliveriesAsync(resolutions.Id, flag.Id));

            await SetLayerAsync(id, Layer.Data, 3);
            var resolved = await FlagWhenAsync(id, "compute-leads-data", f => f.Status == FlagStatus.Resolved);

            await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
            var notes = await session.Query<Notification>().Where(n => n.FlagId == flag.Id).ToListAsync();
            Assert.Equal([FlagNoticeKind.Raised, FlagNoticeKind.Resolved], notes.OrderBy(n => n.At).Select(n => n.Kind));
            Assert.All(notes, n => Assert.Equal(Agency.Normalize(lead), n.Recipient));
            Assert.Equal(resolved.Explanation, notes.Single(n => n.Kind == FlagNoticeKind.Resolved).Explanation);

            // One delivery per subscription that wants each event; none for the disabled subscription.
            var toEverything = await DeliveriesAsync(everything.Id, flag.Id);
            Assert.Equal(["flag.raised", "flag.resolved"], toEverything.Select(d => d.Event));
            var toResolutions = await DeliveriesAsync(resolutions.Id, flag.Id);
            Assert.Equal(["flag.resolved"], toResolutions.Select(d => d.Event));
            Assert.Empty(await DeliveriesAsync(disabled.Id, flag.Id));
            Assert.All(toEverything.Concat(toResolutions), d => Assert.Equal(DeliveryStatus.Pending, d.Status));

            // Evaluating again changes nothing, and makes no delivery.
            await EvaluateAsync(id);
            Assert.Equal(toEverything.Select(d => d.Id), (await DeliveriesAsync(everything.Id, flag.Id)).Select(d => d.Id));
            Assert.Equal(toResolutions.Select(d => d.Id), (await DeliveriesAsync(resolutions.Id, flag.Id)).Select(d => d.Id));
        }
        finally
        {
            await NotificationTestBed.DisableAsync(Services, everything.Id);
            await NotificationTestBed.DisableAsync(Services, resolutions.Id);
        }
    }

    private async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(Guid subscriptionId, Guid flagId) =>
        [.. (await NotificationTestBed.DeliveriesAsync(Services, subscriptionId)).Where(d => d.FlagId == flagId)];

    [Fact]
    public async Task a_deeper_gap_updates_the_open_flag_instead_of_raising_another()
    {
        var id = await NewAgencyAsync(Levels(4, 4, 4, 4, 3));
        await SetLayerAsync(id, Layer.Data, 2);
        var first = await FlagWhenAsync(id, "compute-leads-data", f => f.Figures.Any(x => x.Value is 2.0));

        await SetLayerAsync(id, Layer.Data, 1);
        var deeper = await FlagWhenAsync(id, "compute-leads-data", f => f.Version > first.Version && f.Figures.All(x => x.Value is not 2.0));

        Assert.Equal(first.Id, deeper.Id);
        Assert.Equal(1, deeper.Occurrence);
        Assert.NotEqual(first.Figures, deeper.Figures);
        var events = await FlagEventsAsync(first.Id);
        Assert.Single(events.OfType<FlagRaised>());
        Assert.NotEmpty(events.OfType<FlagUpdated>());
    }

    [Fact]
    public async Task two_evaluations_racing_on_one_agency_raise_each_flag_once()
    {
        // Registered through the handler (which queues nothing), assessed by appending directly: no background evaluation
        // is queued, so the racing evaluations are the only ones to see this agency.
        var id = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await AsSystemAsync(
            new RegisterAgency(id, "Out-of-step race " + id.ToString("N")[..6], AgencyKind.Ministry, "health", "national", "", DateTimeOffset.UtcNow)));
        await using (var session = Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var stream = await session.Events.FetchForWriting<Agency>(id);
            foreach (var (layer, level) in Levels(5, 1, 5, 5, 3))
            {
                stream.AppendMany(Framework.LayerOf(layer).Indicators.Select(i => (object)new IndicatorAssessed(
                    id, i.Id, layer, level, "assessed", null, null, null, "test", DateTimeOffset.UtcNow)).ToArray());
            }

            await session.SaveChangesAsync();
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => EvaluateAsync(id)));

        var flags = await FlagsAsync(id);
        Single(flags, "compute-leads-data");
        foreach (var flag in flags)
        {
            Assert.Single((await FlagEventsAsync(flag.Id)).OfType<FlagRaised>());
        }

        // Between them the four evaluations raised every flag, and none twice. The sum is exact only because nothing else
        // evaluates this agency meanwhile: no Hangfire server runs in the tests (Jobs:RunServer is false, so the recurring
        // evaluation of every agency never fires), and nothing else evaluates every agency on the shared database (the
        // demo seed's evaluation ran when the portal started, before any test; a second portal process seeds nothing).
        // A test that started such an evaluation could raise some of these flags itself and make the sum smaller.
        Assert.Equal(flags.Count, results.Sum(r => r.Raised));
    }

    [Fact]
    public async Task operations_claimed_at_level_five_without_any_endpoint_is_flagged_until_one_is_registered()
    {
        var id = await NewAgencyAsync(Levels(3, 3, 3, 3, 5));
        var flag = await FlagWhenAsync(id, "claimed-vs-measured", f => f.Status == FlagStatus.Open, nameof(Layer.Operations));
        Assert.Equal(nameof(Layer.Operations), flag.Subject);

        var url = portal.SimulatorProfile(new SimulatorProfile { TtftMs = 5, InterTokenMs = 1 }, out _);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var response = await admin.PostAsJsonAsync("/api/v1/endpoints", new
        {
            agencyId = id, name = "Claims desk assistant", baseUrl = url, kind = "Vllm", model = "sim-llama-3-8b",
            intervalSeconds = 60, availabilityPercent = 99, p95TtftMs = 1000, minOutputTokensPerSecond = 1,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // Registered but not yet measured: no longer "self-assessed only", and no measurement contradicts the claim.
        await FlagWhenAsync(id, "claimed-vs-measured", f => f.Status == FlagStatus.Resolved, nameof(Layer.Operations));
    }

    [Fact]
    public async Task a_slow_endpoint_raises_claimed_vs_measured_and_a_healthy_week_resolves_it()
    {
        var id = await NewAgencyAsync(Levels(4, 4, 4, 4, 4));
        var profile = new SimulatorProfile { TtftMs = 5, InterTokenMs = 1 };
        var url = portal.SimulatorProfile(profile, out var name);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var response = await admin.PostAsJsonAsync("/api/v1/endpoints", new
        {
            agencyId = id, name = "Benefits chatbot", baseUrl = url, kind = "Vllm", model = "sim-llama-3-8b",
            intervalSeconds = 60, availabilityPercent = 90, p95TtftMs = 400, minOutputTokensPerSecond = 1,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var endpointId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // Slow: TTFT 1,000 ms against a 400 ms target (wide margins both ways: a fast probe on a loaded machine still
        // answers well under the target, so the healthy week below is healthy). The second slow probe makes the
        // endpoint Degraded, and that probe-state change evaluates the agency.
        portal.Simulator.SetProfile(name, new SimulatorProfile { TtftMs = 1000, InterTokenMs = 1 });
        for (var i = 0; i < 3; i++)
        {
            await ProbeAsync(endpointId);
        }

        var flag = await FlagWhenAsync(id, "claimed-vs-measured", f => f.Status == FlagStatus.Open && f.Explanation.En.Contains("Benefits chatbot", StringComparison.Ordinal), nameof(Layer.Operations));
        Assert.Contains("Benefits chatbot", flag.Explanation.En, StringComparison.Ordinal);
        Assert.Contains("Benefits chatbot", flag.Explanation.Hi, StringComparison.Ordinal);

        // Healthy again: enough fast probes bring the 7-day p95 under the target; the next evaluation resolves it.
        portal.Simulator.SetProfile(name, profile);
        for (var i = 0; i < 70; i++)
        {
            await ProbeAsync(endpointId);
        }

        await EvaluateAsync(id);
        var claims = (await FlagsAsync(id)).Where(f => f.RuleId == "claimed-vs-measured").ToList();
        Assert.Equal([nameof(Layer.Compute), nameof(Layer.Operations)], claims.Select(f => f.Subject).Order(StringComparer.Ordinal));
        Assert.All(claims, f => Assert.Equal(FlagStatus.Resolved, f.Status));
    }

    [Fact]
    public async Task relaxing_the_endpoints_ttft_target_clears_the_claim_without_waiting_for_the_schedule()
    {
        var id = await NewAgencyAsync(Levels(3, 3, 3, 3, 4));
        var url = portal.SimulatorProfile(new SimulatorProfile { TtftMs = 400, InterTokenMs = 1 }, out _);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var response = await admin.PostAsJsonAsync("/api/v1/endpoints", new
        {
            agencyId = id, name = "Grievance triage", baseUrl = url, kind = "Vllm", model = "sim-llama-3-8b",
            intervalSeconds = 60, availabilityPercent = 90, p95TtftMs = 150, minOutputTokensPerSecond = 1,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var endpointId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        for (var i = 0; i < 3; i++)
        {
            await ProbeAsync(endpointId);
        }

        // Evaluated at once rather than waiting for a health change to trigger it: what this test is about is the edit
        // below, and on a loaded machine the triggered evaluation can come after the wait gives up.
        await EvaluateAsync(id);
        await FlagWhenAsync(id, "claimed-vs-measured",
            f => f.Status == FlagStatus.Open && f.Explanation.En.Contains("Grievance triage", StringComparison.Ordinal), nameof(Layer.Operations));

        // The operator decides 400 ms is acceptable: the registry change itself has the agency evaluated again.
        using var edit = await admin.PutAsJsonAsync($"/api/v1/endpoints/{endpointId}", new
        {
            name = "Grievance triage", baseUrl = url, kind = "Vllm", model = "sim-llama-3-8b", intervalSeconds = 60,
            availabilityPercent = 90, p95TtftMs = 1000, minOutputTokensPerSecond = 1, expectedVersion = 1,
        });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        await FlagWhenAsync(id, "claimed-vs-measured", f => f.Status == FlagStatus.Resolved, nameof(Layer.Operations));
    }

    private async Task ProbeAsync(Guid endpointId)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ProbeRunner>().ProbeAsync(endpointId, CancellationToken.None);
    }

    [Fact]
    public async Task the_timeline_projection_matches_the_agency_stream_and_is_rebuilt_when_missing()
    {
        var id = await NewAgencyAsync(Levels(2, 3, 4, 2, 3));
        var store = Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            var stored = await session.LoadAsync<AgencyTimeline>(id);
            var folded = AgencyTimeline.Fold((await session.Events.FetchStreamAsync(id)).Select(e => e.Data));
            Assert.NotNull(stored);
            Assert.Equal(23, stored.Entries.Count);
            Assert.Equal(folded!.Changes(), stored.Changes());
            var changes = stored.Changes();
            Assert.Equal(Framework.Indicators.Select(i => i.Id), changes.Select(c => c.IndicatorId));
            Assert.Equal(3, changes.Single(c => c.IndicatorId == Framework.LayerOf(Layer.Data).Indicators[0].Id).Level);

            session.Delete<AgencyTimeline>(id);
            await session.SaveChangesAsync();
        }

        await new OutOfStepFeature().PrepareAsync(Services, CancellationToken.None);
        await using var check = store.QuerySession();
        Assert.Equal(23, (await check.LoadAsync<AgencyTimeline>(id))!.Entries.Count);
    }
}
