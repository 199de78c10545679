using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class EndpointDeciderTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid AgencyId = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private const string Operator = "ops@meity.gov.in";

    /// <summary>One command at a time, through <see cref="EndpointDecider.Decide"/>.</summary>
    private static readonly DeciderSpec<InferenceEndpoint, EndpointCommand> Endpoint = new(InferenceEndpoint.Evolve, EndpointDecider.Decide);

    /// <summary>Several commands as one change, through <see cref="EndpointDecider.DecideAll"/>.</summary>
    private static readonly DeciderSpec<InferenceEndpoint, IEnumerable<EndpointCommand>> Endpoints = new(InferenceEndpoint.Evolve, EndpointDecider.DecideAll);

    private static EndpointSettings Settings(
        string name = "Triage LLM", string url = "https://gpu.example.gov.in:8000/", int interval = 60, string model = "meta-llama/Llama-3.1-8B-Instruct",
        double availability = 99.5, int ttft = 800, double tps = 10, string? metrics = null) =>
        new(name, url, ServerKind.Vllm, model, interval, new SloTargets(availability, ttft, tps), metrics);

    private static InferenceEndpoint Registered(params object[] more)
    {
        var d = EndpointDecider.Decide(new RegisterEndpoint(Id, AgencyId, Settings(), true, "lead", At), null);
        return InferenceEndpoint.Fold(d.Events.Concat(more))!;
    }

    /// <summary>The settings as <see cref="Settings"/> gives them, stored (the base URL without its trailing slash).</summary>
    private static EndpointSettings Stored(int interval = 60) => Settings(url: "https://gpu.example.gov.in:8000", interval: interval);

    private static EndpointRegistered RegisteredEvent(bool withApiKey) => new(Id, AgencyId, Stored(), withApiKey, "lead", At);

    private static IEnumerable<string> Codes(EndpointCommand c, InferenceEndpoint? s = null) =>
        EndpointDecider.Decide(c, s).Errors.Select(e => e.Code);

    [Fact]
    public void registering_normalises_the_settings_and_records_that_a_key_exists()
    {
        var endpoint = Registered();
        Assert.Equal("https://gpu.example.gov.in:8000", endpoint.Settings.BaseUrl);
        Assert.True(endpoint.HasApiKey);
        Assert.Equal(AgencyId, endpoint.AgencyId);
        Assert.Equal(1, endpoint.Version);
        Assert.Equal(EndpointHealth.Unknown, endpoint.Health);
    }

    [Theory]
    [InlineData(14, false)]
    [InlineData(15, true)]
    [InlineData(3600, true)]
    [InlineData(3601, false)]
    public void the_interval_is_15_seconds_to_an_hour(int seconds, bool ok) =>
        Assert.Equal(ok, !Codes(new RegisterEndpoint(Id, AgencyId, Settings(interval: seconds), false, "a", At)).Contains("Endpoint.Interval.OutOfRange"));

    [Theory]
    [InlineData("ftp://files.example.org")]
    [InlineData("https://user:pw@gpu.example.org")]
    [InlineData("https://gpu.example.org/?next=http://169.254.169.254")]
    [InlineData("gpu.example.org")]
    [InlineData("")]
    public void base_urls_must_be_plain_http_or_https(string url) =>
        Assert.Contains("Endpoint.Url.Invalid", Codes(new RegisterEndpoint(Id, AgencyId, Settings(url: url), false, "a", At)));

    [Theory]
    [InlineData(49.9, false)]
    [InlineData(50, true)]
    [InlineData(99.999, true)]
    [InlineData(100, false)]
    public void the_availability_target_leaves_an_error_budget(double target, bool ok) =>
        Assert.Equal(ok, !Codes(new RegisterEndpoint(Id, AgencyId, Settings(availability: target), false, "a", At)).Contains("Endpoint.Availability.OutOfRange"));

    [Fact]
    public void every_invalid_field_is_named()
    {
        var errors = EndpointDecider.Decide(new RegisterEndpoint(Id, AgencyId, Settings(name: " ", model: "llama 3", ttft: 5, tps: -1, metrics: "file:///etc/passwd"), false, "a", At), null).Errors;
        Assert.Equal(
            ["Endpoint.Name.Required", "Endpoint.Model.Invalid", "Endpoint.Ttft.OutOfRange", "Endpoint.Throughput.OutOfRange", "Endpoint.MetricsUrl.Invalid"],
            errors.Select(e => e.Code));
        Assert.All(errors, e => Assert.NotNull(e.Field));
    }

    [Fact]
    public void unchanged_settings_record_nothing_and_changed_ones_one_event()
    {
        var endpoint = Registered();
        Assert.Empty(EndpointDecider.Decide(new ChangeEndpointSettings(Id, Settings(url: "https://gpu.example.gov.in:8000"), "a", At), endpoint).Events);
        var changed = EndpointDecider.Decide(new ChangeEndpointSettings(Id, Settings(interval: 30), "a", At), endpoint);
        Assert.Equal(30, Assert.IsType<EndpointSettingsChanged>(Assert.Single(changed.Events)).Settings.IntervalSeconds);
    }

    [Fact]
    public void pausing_and_resuming_are_idempotent()
    {
        Endpoint.Given(RegisteredEvent(false)).When(new PauseEndpoint(Id, Operator, At)).Then(new EndpointPaused(Id, Operator, At));
        Endpoint.Given(RegisteredEvent(false), new EndpointPaused(Id, "a", At)).When(new PauseEndpoint(Id, Operator, At)).ThenNothingHappens();
        Endpoint.Given(RegisteredEvent(false)).When(new ResumeEndpoint(Id, Operator, At)).ThenNothingHappens();
        Endpoint.Given(RegisteredEvent(false), new EndpointPaused(Id, "a", At)).When(new ResumeEndpoint(Id, Operator, At)).Then(new EndpointResumed(Id, Operator, At));
    }

    [Fact]
    public void maintenance_windows_must_end_after_they_start_in_the_future_within_31_days()
    {
        var endpoint = Registered();
        var w = Guid.NewGuid();
        Assert.Contains("Maintenance.EndBeforeStart", Codes(new ScheduleMaintenance(Id, w, At.AddHours(2), At.AddHours(1), "", "a", At), endpoint));
        Assert.Contains("Maintenance.InPast", Codes(new ScheduleMaintenance(Id, w, At.AddHours(-3), At.AddHours(-1), "", "a", At), endpoint));
        Assert.Contains("Maintenance.TooLong", Codes(new ScheduleMaintenance(Id, w, At, At.AddDays(32), "", "a", At), endpoint));

        var scheduled = EndpointDecider.Decide(new ScheduleMaintenance(Id, w, At.AddMinutes(-5), At.AddHours(1), " upgrade ", "a", At), endpoint);
        var state = InferenceEndpoint.Fold(new object[] { new EndpointRegistered(Id, AgencyId, Settings(), false, "a", At) }.Concat(scheduled.Events))!;
        Assert.True(state.InMaintenance(At));
        Assert.False(state.InMaintenance(At.AddHours(1)));
        Assert.Equal("upgrade", state.Maintenance[0].Note);

        var cancelled = EndpointDecider.Decide(new CancelMaintenance(Id, w, "a", At), state);
        Assert.IsType<MaintenanceWindowCancelled>(Assert.Single(cancelled.Events));
        Assert.Contains("Maintenance.NotFound", Codes(new CancelMaintenance(Id, Guid.NewGuid(), "a", At), state));
    }

    [Fact]
    public void health_and_slo_events_move_the_stream_version_but_not_the_registry_version()
    {
        var endpoint = Registered(
            new EndpointWentDown(Id, new ProbeReason(ReasonCode.ConnectionRefused), At),
            new SloBreached(Id, SloWindow.Day, SloMetric.Availability, 90, 99, At),
            new EndpointPaused(Id, "a", At));
        Assert.Equal(4, endpoint.Version);
        Assert.Equal(2, endpoint.RegistryVersion);
    }

    [Fact]
    public void a_retired_endpoint_refuses_every_change()
    {
        Assert.True(Registered(new EndpointRetired(Id, "a", At)).Retired);
        Endpoint.Given(RegisteredEvent(false), new EndpointRetired(Id, "a", At)).When(new ResumeEndpoint(Id, Operator, At)).ThenRejectedWith("Endpoint.Retired");
        Endpoint.Given().When(new PauseEndpoint(Id, Operator, At)).ThenRejectedWith("Endpoint.NotFound");
        Endpoint.Given(RegisteredEvent(false)).When(new RegisterEndpoint(Id, AgencyId, Settings(), false, Operator, At)).ThenRejectedWith("Endpoint.AlreadyRegistered");
    }

    // API key: only its presence is an event; the key itself is stored apart.

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void setting_an_api_key_is_recorded_whether_or_not_one_was_set(bool hadKey) =>
        Endpoint.Given(RegisteredEvent(hadKey))
            .When(new SetEndpointApiKey(Id, Operator, At))
            .Then(new EndpointApiKeySet(Id, Operator, At));

    [Fact]
    public void removing_the_api_key_is_recorded_when_the_endpoint_has_one() =>
        Endpoint.Given(RegisteredEvent(false), new EndpointApiKeySet(Id, "lead", At))
            .When(new RemoveEndpointApiKey(Id, Operator, At))
            .Then(new EndpointApiKeyRemoved(Id, Operator, At));

    [Fact]
    public void removing_an_api_key_the_endpoint_does_not_have_records_nothing()
    {
        Endpoint.Given(RegisteredEvent(false)).When(new RemoveEndpointApiKey(Id, Operator, At)).ThenNothingHappens();
        Endpoint.Given(RegisteredEvent(true), new EndpointApiKeyRemoved(Id, "lead", At)).When(new RemoveEndpointApiKey(Id, Operator, At)).ThenNothingHappens();
    }

    [Fact]
    public void api_key_changes_are_refused_on_a_retired_endpoint()
    {
        Endpoint.Given(RegisteredEvent(false), new EndpointRetired(Id, "a", At)).When(new SetEndpointApiKey(Id, Operator, At)).ThenRejectedWith("Endpoint.Retired");
        Endpoint.Given(RegisteredEvent(true), new EndpointRetired(Id, "a", At)).When(new RemoveEndpointApiKey(Id, Operator, At)).ThenRejectedWith("Endpoint.Retired");
    }

    [Fact]
    public void api_key_changes_are_refused_for_an_endpoint_never_registered()
    {
        Endpoint.Given().When(new SetEndpointApiKey(Id, Operator, At)).ThenRejectedWith("Endpoint.NotFound");
        Endpoint.Given().When(new RemoveEndpointApiKey(Id, Operator, At)).ThenRejectedWith("Endpoint.NotFound");
    }

    // Several commands as one change (one form: settings and key together).

    [Fact]
    public void new_settings_and_a_new_api_key_together_record_both_in_order() =>
        Endpoints.Given(RegisteredEvent(false))
            .When([new ChangeEndpointSettings(Id, Settings(interval: 30), Operator, At), new SetEndpointApiKey(Id, Operator, At)])
            .Then(new EndpointSettingsChanged(Id, Stored(interval: 30), Operator, At), new EndpointApiKeySet(Id, Operator, At));

    [Fact]
    public void each_command_is_decided_against_the_state_the_previous_ones_leave()
    {
        // Against the registered state alone, removing the key would record nothing: it is the key just set that is removed.
        Endpoints.Given(RegisteredEvent(false))
            .When([new SetEndpointApiKey(Id, Operator, At), new RemoveEndpointApiKey(Id, Operator, At)])
            .Then(new EndpointApiKeySet(Id, Operator, At), new EndpointApiKeyRemoved(Id, Operator, At));

        // The second identical change finds the settings already changed.
        Endpoints.Given(RegisteredEvent(false))
            .When([new ChangeEndpointSettings(Id, Settings(interval: 30), Operator, At), new ChangeEndpointSettings(Id, Settings(interval: 30), "b", At)])
            .Then(new EndpointSettingsChanged(Id, Stored(interval: 30), Operator, At));
    }

    [Fact]
    public void the_first_refusal_refuses_the_whole_change_and_nothing_is_recorded() =>
        // Setting the key and retiring are each accepted; pausing is refused only because the retirement came first.
        Endpoints.Given(RegisteredEvent(false))
            .When([new SetEndpointApiKey(Id, Operator, At), new RetireEndpoint(Id, Operator, At), new PauseEndpoint(Id, Operator, At)])
            .ThenRejectedWith("Endpoint.Retired");

    [Fact]
    public void only_the_first_refusal_is_reported() =>
        Endpoints.Given(RegisteredEvent(false))
            .When([new ChangeEndpointSettings(Id, Settings(interval: 5), Operator, At), new CancelMaintenance(Id, Guid.NewGuid(), Operator, At), new SetEndpointApiKey(Id, Operator, At)])
            .ThenRejectedWith("Endpoint.Interval.OutOfRange");

    [Fact]
    public void an_empty_change_is_accepted_and_records_nothing()
    {
        Endpoints.Given(RegisteredEvent(true)).When([]).ThenNothingHappens();
        Endpoints.Given().When([]).ThenNothingHappens();
    }

    [Fact]
    public void new_settings_with_removing_a_key_that_is_not_there_record_only_the_settings() =>
        Endpoints.Given(RegisteredEvent(false))
            .When([new ChangeEndpointSettings(Id, Settings(interval: 30), Operator, At), new RemoveEndpointApiKey(Id, Operator, At)])
            .Then(new EndpointSettingsChanged(Id, Stored(interval: 30), Operator, At));
}
