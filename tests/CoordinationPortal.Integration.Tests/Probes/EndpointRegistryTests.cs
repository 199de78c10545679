using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Probes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoordinationPortal.Integration.Tests.Probes;

/// <summary>The registry through the API: who may change it, what is validated, and that API keys never come back.</summary>
[Collection(PortalTests.Name)]
public sealed class EndpointRegistryTests(PortalFixture portal)
{
    private static object Registration(Guid agencyId, string baseUrl, string? apiKey = null, int interval = 60, string model = "sim-llama-3-8b") => new
    {
        agencyId,
        name = "Registry test endpoint",
        baseUrl,
        kind = "Vllm",
        model,
        intervalSeconds = interval,
        availabilityPercent = 99.5,
        p95TtftMs = 800,
        minOutputTokensPerSecond = 5,
        apiKey,
    };

    [Fact]
    public async Task anonymous_requests_get_401()
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync("/api/v1/endpoints");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("member")]
    public async Task viewers_and_members_cannot_register_endpoints(string role)
    {
        var account = role == "viewer" ? Demo.Viewer : Demo.Member;
        using var client = await portal.SignedInClientAsync(account.Email, account.Password);
        using var response = await client.PostAsJsonAsync("/api/v1/endpoints", Registration(Demo.LedAgency, "https://gpu.example.org"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task a_lead_registers_endpoints_for_the_agencies_they_lead_only()
    {
        using var client = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        using var own = await client.PostAsJsonAsync("/api/v1/endpoints", Registration(Demo.LedAgency, "https://gpu.example.org"));
        using var other = await client.PostAsJsonAsync("/api/v1/endpoints", Registration(Demo.OtherAgency, "https://gpu.example.org"));

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var id = (await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var pause = await client.PostAsync($"/api/v1/endpoints/{id}/pause", null);
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.False(await ScheduledAsync(id));
        using var resume = await client.PostAsync($"/api/v1/endpoints/{id}/resume", null);
        Assert.True(await ScheduledAsync(id));
    }

    [Fact]
    public async Task invalid_registrations_name_every_field_at_fault()
    {
        using var client = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var response = await client.PostAsJsonAsync("/api/v1/endpoints", Registration(Demo.OtherAgency, "ftp://files.example.org", interval: 5, model: ""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("baseUrl", out _));
        Assert.True(errors.TryGetProperty("intervalSeconds", out _));
        Assert.True(errors.TryGetProperty("model", out _));
    }

    [Fact]
    public async Task the_api_key_is_encrypted_at_rest_and_never_shown_again()
    {
        const string key = "sk-registry-test-4f1d9a";
        using var client = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var created = await client.PostAsJsonAsync("/api/v1/endpoints", Registration(Demo.OtherAgency, "https://gpu.example.org", key));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var shown = await client.GetStringAsync($"/api/v1/endpoints/{id}");

        Assert.DoesNotContain(key, shown, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(shown).RootElement.GetProperty("hasApiKey").GetBoolean());

        await using var connection = new NpgsqlConnection(portal.Database.ConnectionString);
        await connection.OpenAsync();
        await using var raw = new NpgsqlCommand("SELECT data::text FROM portal.mt_doc_endpointsecret WHERE id = $1", connection);
        raw.Parameters.AddWithValue(id);
        var stored = (string?)await raw.ExecuteScalarAsync();
        Assert.NotNull(stored);
        Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
        await using var keys = new NpgsqlCommand("SELECT string_agg(data::text, '') FROM portal.mt_doc_dataprotectionkey", connection);
        var ring = (string?)await keys.ExecuteScalarAsync();
        Assert.NotNull(ring); // the key ring is kept in PostgreSQL...
        Assert.Contains("encryptedSecret", ring, StringComparison.Ordinal); // ...encrypted with the certificate kept outside it
        Assert.DoesNotContain("masterKey", ring, StringComparison.Ordinal);

        await using var scope = portal.Factory.Services.CreateAsyncScope();
        Assert.Equal(key, await scope.ServiceProvider.GetRequiredService<EndpointSecrets>().RevealAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task a_stale_expected_version_is_a_conflict_and_changes_nothing()
    {
        using var client = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var created = await client.PostAsJsonAsync("/api/v1/endpoints", Registration(Demo.OtherAgency, "https://gpu.example.org"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var first = new { name = "Renamed once", baseUrl = "https://gpu.example.org", kind = "Vllm", model = "m", intervalSeconds = 60, expectedVersion = 1 };
        var second = new { name = "Renamed twice", baseUrl = "https://gpu.example.org", kind = "Vllm", model = "m", intervalSeconds = 60, expectedVersion = 1 };

        using var ok = await client.PutAsJsonAsync($"/api/v1/endpoints/{id}", first);
        using var conflict = await client.PutAsJsonAsync($"/api/v1/endpoints/{id}", second);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var now = await client.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints/{id}");
        Assert.Equal("Renamed once", now.GetProperty("name").GetString());
    }

    [Fact]
    public async Task admins_manage_the_probe_allowlist_and_others_cannot()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        using var tooBroad = await admin.PostAsJsonAsync("/api/v1/probe-allowlist", new { cidr = "0.0.0.0/0", note = "everything" });
        using var added = await admin.PostAsJsonAsync("/api/v1/probe-allowlist", new { cidr = "10.42.0.0/16", note = "agency GPU cluster" });
        using var forbidden = await lead.PostAsJsonAsync("/api/v1/probe-allowlist", new { cidr = "10.43.0.0/16", note = "" });
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/probe-allowlist");
        using var removed = await admin.DeleteAsync("/api/v1/probe-allowlist?cidr=10.42.0.0%2F16");

        Assert.Equal(HttpStatusCode.BadRequest, tooBroad.StatusCode);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains(list.GetProperty("entries").EnumerateArray(), e => e.GetProperty("cidr").GetString() == "10.42.0.0/16");
        Assert.Contains("127.77.0.3/32:*", list.GetProperty("configured").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
    }

    private async Task<bool> ScheduledAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(portal.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT active FROM probes.schedule WHERE endpoint_id = $1", connection);
        command.Parameters.AddWithValue(id);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
