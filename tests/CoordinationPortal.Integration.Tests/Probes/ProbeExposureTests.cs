using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Simulator;
using CoordinationPortal.Web.Probes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.ProbePages.ProbePageForms;

namespace CoordinationPortal.Integration.Tests.Probes;

/// <summary>
/// What the portal lets people see and do with probes: a server's words only for the endpoint's managers, with secrets
/// redacted, wherever a reason is shown; the per-agency endpoint quota; rationed *Probe now*; API keys that cannot travel
/// in a header refused; and counted stream events marked as such.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ProbeExposureTests(PortalFixture portal)
{
    private const string ServerWords = "upstream refused";
    private const string Secret = "hunter2";

    private async Task<Guid> RegisterAsync(HttpClient client, Guid agencyId, SimulatorProfile profile, string? apiKey = null)
    {
        var url = portal.SimulatorProfile(profile, out var name);
        using var response = await client.PostAsJsonAsync("/api/v1/endpoints", new
        {
            agencyId, name = "Exposure test " + name, baseUrl = url, kind = "Vllm", model = profile.Model,
            intervalSeconds = 3600, availabilityPercent = 99, p95TtftMs = 10_000, minOutputTokensPerSecond = 1, apiKey,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task ProbeAsync(Guid id, int times = 1)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        for (var i = 0; i < times; i++)
        {
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<ProbeRunner>().ProbeAsync(id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task a_servers_error_body_is_shown_redacted_to_admins_and_the_agencys_leads_and_to_nobody_else()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var member = await portal.SignedInClientAsync(Demo.Member.Email, Demo.Member.Password);

        // A stand-in internal service that answers every completion with 500 and a database password in its body. Three
        // failures take it Down, so the reason also reaches the endpoint's history (its health event).
        var id = await RegisterAsync(admin, Demo.LedAgency, SimulatorProfile.DefaultProfiles["leaky"]);
        await ProbeAsync(id, times: 3);

        var places = new[]
        {
            $"/api/v1/endpoints/{id}", "/api/v1/endpoints", $"/api/v1/endpoints/{id}/samples", $"/api/v1/agencies/{Demo.LedAgency}/endpoints",
            $"/endpoints/{id}", "/endpoints", $"/agencies/{Demo.LedAgency}",
        };
        foreach (var place in places)
        {
            foreach (var (who, client) in new[] { ("viewer", viewer), ("member", member) })
            {
                var seen = WebUtility.HtmlDecode(await client.GetStringAsync(place));
                Assert.DoesNotContain(Secret, seen, StringComparison.Ordinal);
                Assert.False(seen.Contains(ServerWords, StringComparison.Ordinal), $"a {who} read the server's words at {place}");
            }
        }

        foreach (var (who, client) in new[] { ("lead", lead), ("admin", admin) })
        {
            foreach (var place in new[] { $"/api/v1/endpoints/{id}", $"/api/v1/endpoints/{id}/samples", $"/endpoints/{id}" })
            {
                var seen = WebUtility.HtmlDecode(await client.GetStringAsync(place));
                Assert.True(seen.Contains(ServerWords, StringComparison.Ordinal), $"the {who} does not see the server's words at {place}");
                Assert.Contains("[redacted]", seen, StringComparison.Ordinal);
                Assert.DoesNotContain(Secret, seen, StringComparison.Ordinal);
            }
        }

        var asViewer = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints/{id}");
        Assert.Equal("HTTP 500 from /v1/chat/completions", asViewer.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task a_lead_reads_the_server_words_of_their_own_agency_only()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var other = await RegisterAsync(admin, Demo.OtherAgency, SimulatorProfile.DefaultProfiles["leaky"]);
        await ProbeAsync(other);

        var seen = await lead.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints/{other}");
        var board = WebUtility.HtmlDecode(await lead.GetStringAsync("/endpoints"));

        Assert.DoesNotContain(ServerWords, seen.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var row = Row(board, other);
        Assert.Contains("HTTP 500", row, StringComparison.Ordinal);
        Assert.DoesNotContain(ServerWords, row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_agency_cannot_register_more_endpoints_than_its_quota_by_api_or_form()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var registered = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints?agencyId={Demo.LedAgency}")).GetArrayLength();
        await using var host = portal.Factory.WithWebHostBuilder(b =>
            b.UseSetting("Probes:MaxEndpointsPerAgency", (registered + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var lead = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await PortalFixture.SignInAsync(lead, Demo.Lead.Email, Demo.Lead.Password);
        var body = new
        {
            agencyId = Demo.LedAgency, name = "Quota test", baseUrl = "https://gpu.example.org", kind = "Vllm", model = "m",
            intervalSeconds = 60, availabilityPercent = 99, p95TtftMs = 800, minOutputTokensPerSecond = 1,
        };

        using var last = await lead.PostAsJsonAsync("/api/v1/endpoints", body);
        using var over = await lead.PostAsJsonAsync("/api/v1/endpoints", body);
        var form = await PostAsync(lead, "/endpoints/new", "endpoint", Registration(Demo.LedAgency, UniqueName("Quota form")));

        Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Equal("application/problem+json", over.Content.Headers.ContentType?.MediaType);
        var errors = (await over.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("as many endpoints as one agency may register", errors.GetProperty("agencyId")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(registered + 1, (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints?agencyId={Demo.LedAgency}")).GetArrayLength());
        Assert.NotEqual(HttpStatusCode.Redirect, form.Status);
        Assert.Contains("as many endpoints as one agency may register", form.Html, StringComparison.Ordinal);

        // In Hindi too.
        using var hindi = new HttpRequestMessage(HttpMethod.Post, "/api/v1/endpoints") { Content = JsonContent.Create(body) };
        hindi.Headers.AcceptLanguage.ParseAdd("hi-IN");
        using var overHindi = await lead.SendAsync(hindi);
        Assert.Contains("एजेंसी", (await overHindi.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("agencyId")[0].GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task probe_now_is_rationed_and_answers_429_with_retry_after()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var id = await RegisterAsync(admin, Demo.OtherAgency, new SimulatorProfile { TtftMs = 5, InterTokenMs = 1, OutputTokens = 3 });

        using var first = await admin.PostAsync($"/api/v1/endpoints/{id}/probe", null);
        using var second = await admin.PostAsync($"/api/v1/endpoints/{id}/probe", null);
        using var third = await admin.PostAsync($"/api/v1/endpoints/{id}/probe", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var retryAfter = third.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Try again in", (await third.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sk-abc\n123")]
    [InlineData("sk-abc123\r\n")] // a trailing line break is whitespace, trimmed: accepted
    [InlineData("sk-abc\u0007123")]
    public async Task an_api_key_with_a_line_break_or_control_character_is_refused_at_entry(string key)
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var response = await admin.PostAsJsonAsync("/api/v1/endpoints", new
        {
            agencyId = Demo.OtherAgency, name = "Key test", baseUrl = "https://gpu.example.org", kind = "Vllm", model = "m",
            intervalSeconds = 60, availabilityPercent = 99, p95TtftMs = 800, minOutputTokensPerSecond = 1, apiKey = key,
        });

        if (key.Trim().Any(char.IsControl))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("apiKey")[0].GetString();
            // A line break is text the input guard lets through (notes have them), so the endpoint rule refuses it; any
            // other control character is refused at the door by the input guard, also naming the field.
            Assert.Contains(key.Contains('\n', StringComparison.Ordinal) ? "visible ASCII" : "control characters", message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Fact]
    public async Task the_form_refuses_an_api_key_with_a_line_break()
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        var posted = await PostAsync(lead, "/endpoints/new", "endpoint", Registration(Demo.LedAgency, UniqueName("Key form"), apiKey: "sk-abc\n123"));

        Assert.NotEqual(HttpStatusCode.Redirect, posted.Status);
        Assert.Contains("visible ASCII", posted.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task tokens_counted_from_stream_events_are_marked_on_the_board_and_the_endpoint_page()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var counted = await RegisterAsync(admin, Demo.OtherAgency, new SimulatorProfile { TtftMs = 5, InterTokenMs = 1, OutputTokens = 4, OmitUsage = true });
        var reported = await RegisterAsync(admin, Demo.OtherAgency, new SimulatorProfile { TtftMs = 5, InterTokenMs = 1, OutputTokens = 4 });
        await ProbeAsync(counted);
        await ProbeAsync(reported);

        var board = WebUtility.HtmlDecode(await viewer.GetStringAsync("/endpoints"));
        var page = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/endpoints/{counted}"));
        var reportedPage = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/endpoints/{reported}"));

        Assert.Contains("≈", Row(board, counted), StringComparison.Ordinal);
        Assert.DoesNotContain("≈", Row(board, reported), StringComparison.Ordinal);
        Assert.Contains("stream events; the server sent no usage", board, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"last-tokens-estimated\"", page, StringComparison.Ordinal);
        Assert.Contains("stream events; the server sent no usage", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"last-tokens-estimated\"", reportedPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_board_explains_how_probes_measure()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var board = WebUtility.HtmlDecode(await viewer.GetStringAsync("/endpoints"));

        Assert.Contains("data-testid=\"probe-method\"", board, StringComparison.Ordinal);
        Assert.Contains("starts with a random nonce", board, StringComparison.Ordinal);
    }

    /// <summary>One endpoint's row of the board.</summary>
    private static string Row(string board, Guid id)
    {
        var start = board.IndexOf($"data-endpoint=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"endpoint {id} is not on the board");
        var end = board.IndexOf("</tr>", start, StringComparison.Ordinal);
        return board[start..end];
    }
}
