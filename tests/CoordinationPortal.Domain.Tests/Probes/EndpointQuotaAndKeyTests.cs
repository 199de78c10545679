using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

/// <summary>The per-agency endpoint quota and the API key's characters, decided where an endpoint is registered or changed.</summary>
public sealed class EndpointQuotaAndKeyTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid AgencyId = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private const string Lead = "lead@agency.gov.in";

    private static readonly EndpointSettings Settings =
        new("Triage LLM", "https://gpu.example.gov.in:8000", ServerKind.Vllm, "m", 60, new SloTargets(99.5, 800, 10), null);

    private static RegisterEndpoint Register => new(Id, AgencyId, Settings, false, Lead, At);

    /// <summary>Registrations decided against an agency that already has <paramref name="registered"/> of <paramref name="max"/> endpoints.</summary>
    private static DeciderSpec<InferenceEndpoint, RegisterEndpoint> Agency(int registered, int max) =>
        new(InferenceEndpoint.Evolve, (c, s) => EndpointDecider.DecideRegistration(c, s, new AgencyEndpointQuota(registered, max)));

    [Fact]
    public void a_registration_below_the_quota_is_recorded() =>
        Agency(registered: 19, max: 20).Given().When(Register).Then(new EndpointRegistered(Id, AgencyId, Settings, false, Lead, At));

    [Theory]
    [InlineData(20, 20)]
    [InlineData(25, 20)]
    [InlineData(0, 0)]
    public void a_registration_at_or_past_the_quota_is_refused_on_the_agency_field(int registered, int max)
    {
        Agency(registered, max).Given().When(Register).ThenRejectedWith("Endpoint.Quota.Reached");
        var error = Assert.Single(EndpointDecider.DecideRegistration(Register, null, new AgencyEndpointQuota(registered, max)).Errors);
        Assert.Equal("AgencyId", error.Field);
    }

    [Fact]
    public void an_already_registered_endpoint_is_refused_as_such_whatever_the_quota() =>
        Agency(registered: 20, max: 20).Given(new EndpointRegistered(Id, AgencyId, Settings, false, Lead, At))
            .When(Register).ThenRejectedWith("Endpoint.AlreadyRegistered");

    [Fact]
    public void invalid_settings_within_the_quota_are_still_refused_field_by_field() =>
        Agency(registered: 0, max: 20).Given().When(Register with { Settings = Settings with { IntervalSeconds = 1 } })
            .ThenRejectedWith("Endpoint.Interval.OutOfRange");

    [Theory]
    [InlineData("sk-abc123")]
    [InlineData("  sk-abc123  ")] // surrounding whitespace is trimmed when the key is stored
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm9iZSJ9.c2lnbmF0dXJl")]
    public void a_key_of_visible_ascii_is_accepted(string key) => Assert.Empty(EndpointDecider.ValidateApiKey(key));

    [Theory]
    [InlineData("sk-abc\n123")]
    [InlineData("sk-abc123\r\nX-Injected: 1")]
    [InlineData("sk-abc\t123")]
    [InlineData("sk-abc\u0000123")]
    [InlineData("sk-abc 123")]
    [InlineData("sk-ключ")]
    [InlineData("sk-abc\u200b123")]
    public void a_key_with_a_line_break_control_character_space_or_non_ascii_letter_is_refused(string key)
    {
        var error = Assert.Single(EndpointDecider.ValidateApiKey(key));
        Assert.Equal("Endpoint.ApiKey.Characters", error.Code);
        Assert.Equal("ApiKey", error.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void an_empty_key_is_refused(string? key) =>
        Assert.Equal("Endpoint.ApiKey.Invalid", Assert.Single(EndpointDecider.ValidateApiKey(key)).Code);

    [Fact]
    public void a_key_longer_than_the_limit_is_refused() =>
        Assert.Equal("Endpoint.ApiKey.Invalid", Assert.Single(EndpointDecider.ValidateApiKey(new string('k', EndpointDecider.MaxApiKeyLength + 1))).Code);
}
