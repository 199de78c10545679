using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class DampingTests
{
    private static readonly DampingOptions Options = new(DownAfter: 3, UpAfter: 2, DegradedAfter: 2);

    private static HealthTracker Run(HealthTracker tracker, bool maintenance, params ProbeState[] probes) =>
        probes.Aggregate(tracker, (t, p) => Damping.Next(t, p, Options, maintenance).Tracker);

    [Fact]
    public void a_new_endpoint_takes_its_first_probe_state_at_once()
    {
        var step = Damping.Next(HealthTracker.New, ProbeState.Down, Options, inMaintenance: false);
        Assert.Equal(EndpointHealth.Down, step.ChangedTo);
    }

    [Fact]
    public void down_needs_three_consecutive_failures()
    {
        var up = Run(HealthTracker.New, false, ProbeState.Up);
        var twoFailures = Run(up, false, ProbeState.Down, ProbeState.Down);
        Assert.Equal(EndpointHealth.Up, twoFailures.Health);

        var third = Damping.Next(twoFailures, ProbeState.Down, Options, false);
        Assert.Equal(EndpointHealth.Down, third.ChangedTo);
    }

    [Fact]
    public void a_success_between_failures_restarts_the_count()
    {
        var tracker = Run(HealthTracker.New, false, ProbeState.Up, ProbeState.Down, ProbeState.Down, ProbeState.Up, ProbeState.Down, ProbeState.Down);
        Assert.Equal(EndpointHealth.Up, tracker.Health);
        Assert.Equal(2, tracker.Streak);
    }

    [Fact]
    public void up_after_two_successes_and_degraded_after_two_slow_probes()
    {
        var down = Run(HealthTracker.New, false, ProbeState.Down);
        Assert.Null(Damping.Next(down, ProbeState.Up, Options, false).ChangedTo);
        Assert.Equal(EndpointHealth.Up, Run(down, false, ProbeState.Up, ProbeState.Up).Health);

        var up = Run(HealthTracker.New, false, ProbeState.Up);
        Assert.Equal(EndpointHealth.Up, Run(up, false, ProbeState.Degraded).Health);
        Assert.Equal(EndpointHealth.Degraded, Run(up, false, ProbeState.Degraded, ProbeState.Degraded).Health);
    }

    [Fact]
    public void maintenance_counts_probes_but_changes_nothing_and_the_count_carries_on_after()
    {
        var up = Run(HealthTracker.New, false, ProbeState.Up);
        var during = Run(up, true, ProbeState.Down, ProbeState.Down, ProbeState.Down, ProbeState.Down);
        Assert.Equal(EndpointHealth.Up, during.Health);
        Assert.Equal(4, during.Streak);

        var after = Damping.Next(during, ProbeState.Down, Options, false);
        Assert.Equal(EndpointHealth.Down, after.ChangedTo);
    }
}

public sealed class ClassificationTests
{
    private static readonly SloTargets Targets = new(99, 800, 10);

    private static StreamMeasurement Stream(double ttft, int tokens, double? rate) =>
        new(ttft, ttft + 100, tokens, true, [], null, rate, null, null);

    [Theory]
    [InlineData(800, ProbeState.Up)]
    [InlineData(800.5, ProbeState.Degraded)]
    [InlineData(120, ProbeState.Up)]
    public void ttft_at_the_target_is_up_and_above_it_degraded(double ttft, ProbeState expected)
    {
        var verdict = ProbeClassifier.Classify(null, Stream(ttft, 16, 50), Targets);
        Assert.Equal(expected, verdict.State);
        if (expected == ProbeState.Degraded)
        {
            Assert.Equal(new ProbeReason(ReasonCode.TtftAboveTarget, Measured: ttft, Target: 800), verdict.Reason);
        }
    }

    [Theory]
    [InlineData(10, ProbeState.Up)]
    [InlineData(9.9, ProbeState.Degraded)]
    public void throughput_at_the_minimum_is_up_and_below_it_degraded(double rate, ProbeState expected) =>
        Assert.Equal(expected, ProbeClassifier.Classify(null, Stream(100, 16, rate), Targets).State);

    [Fact]
    public void a_single_token_is_not_judged_on_throughput() =>
        Assert.Equal(ProbeState.Up, ProbeClassifier.Classify(null, Stream(100, 1, 0.5), Targets).State);

    [Fact]
    public void a_failure_is_down_with_its_reason_and_no_stream_is_no_token()
    {
        var refused = new ProbeReason(ReasonCode.ConnectionRefused, "/health");
        Assert.Equal(new ProbeVerdict(ProbeState.Down, refused), ProbeClassifier.Classify(refused, null, Targets));
        Assert.Equal(ReasonCode.NoToken, ProbeClassifier.Classify(null, null, Targets).Reason.Code);
    }
}

public sealed class HealthEventTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void first_up_is_not_a_recovery_and_a_later_up_is()
    {
        Assert.IsType<EndpointCameUp>(HealthEvents.ForChange(Id, EndpointHealth.Unknown, EndpointHealth.Up, ProbeReason.Healthy, At));
        Assert.IsType<EndpointRecovered>(HealthEvents.ForChange(Id, EndpointHealth.Down, EndpointHealth.Up, ProbeReason.Healthy, At));
        Assert.Null(HealthEvents.ForChange(Id, EndpointHealth.Up, EndpointHealth.Up, ProbeReason.Healthy, At));
        Assert.Null(HealthEvents.ForChange(Id, EndpointHealth.Up, null, ProbeReason.Healthy, At));
    }

    [Fact]
    public void going_down_carries_the_reason()
    {
        var reason = new ProbeReason(ReasonCode.ModelLoading, "/health", 503);
        var e = Assert.IsType<EndpointWentDown>(HealthEvents.ForChange(Id, EndpointHealth.Up, EndpointHealth.Down, reason, At));
        Assert.Equal(reason, e.Reason);
    }

    private static InferenceEndpoint Endpoint(params object[] more) => InferenceEndpoint.Fold(
        new object[] { new EndpointRegistered(Id, Guid.NewGuid(), new EndpointSettings("e", "https://x.example", ServerKind.Vllm, "m", 60, new SloTargets(99, 800, 10), null), false, "a", At) }
            .Concat(more))!;

    private static SloReport Report(bool? availability, bool? ttft) =>
        new(SloWindow.Day, 100, 98, 300, 900, 40, -100, availability, ttft, true);

    [Fact]
    public void slo_breaches_are_announced_once_and_restorations_only_after_a_breach()
    {
        var fresh = Endpoint();
        var breached = HealthEvents.ForSlo(fresh, Report(false, true), At);
        var b = Assert.IsType<SloBreached>(Assert.Single(breached));
        Assert.Equal(SloMetric.Availability, b.Metric);
        Assert.Equal(98, b.Measured);
        Assert.Equal(99, b.Target);

        var after = Endpoint(b);
        Assert.Empty(HealthEvents.ForSlo(after, Report(false, true), At));
        Assert.IsType<SloRestored>(Assert.Single(HealthEvents.ForSlo(after, Report(true, true), At)));
        Assert.Empty(HealthEvents.ForSlo(fresh, Report(true, true), At));
    }

    [Fact]
    public void nothing_is_announced_inside_a_maintenance_window_or_while_paused()
    {
        var window = new MaintenanceWindow(Guid.NewGuid(), At.AddHours(-1), At.AddHours(1), "upgrade");
        Assert.Empty(HealthEvents.ForSlo(Endpoint(new MaintenanceWindowScheduled(Id, window, "a", At)), Report(false, false), At));
        Assert.Empty(HealthEvents.ForSlo(Endpoint(new EndpointPaused(Id, "a", At)), Report(false, false), At));
    }
}
