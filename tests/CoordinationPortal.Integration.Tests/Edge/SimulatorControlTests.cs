using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Simulator;
using CoordinationPortal.Tests.Support;

namespace CoordinationPortal.Integration.Tests.Edge;

/// <summary>
/// The simulator's control API has no sign-in, so no other web page may drive it: a form or a text/plain POST from
/// another origin, a body-less POST that is not JSON, and a request addressed by a host name (DNS rebinding) change
/// nothing. Its own control page and a JSON client still work. A simulator of its own on 127.77.0.6.
/// </summary>
public sealed class SimulatorControlTests : IAsyncLifetime, IDisposable
{
    private InferenceSimulator simulator = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        simulator = await InferenceSimulator.StartAsync(new SimulatorOptions { Address = IPAddress.Parse("127.77.0.6") });
        client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = simulator.BaseAddress };
    }

    public async Task DisposeAsync() => await simulator.DisposeAsync();

    public void Dispose() => client.Dispose();

    private string OwnOrigin => simulator.BaseAddress.GetLeftPart(UriPartial.Authority);

    private static FormUrlEncodedContent ResetForm() => new(new Dictionary<string, string> { ["ttftMs"] = "5", ["reset"] = "on" });

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData("http://127.0.0.1:8080", null)] // a page on another port of this machine
    [InlineData("null", null)]
    [InlineData(null, "cross-site")]
    public async Task a_form_post_from_another_origin_is_refused_and_changes_nothing(string? origin, string? fetchSite)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_sim/profiles/healthy/form") { Content = ResetForm() };
        AddHeaders(request, origin, fetchSite);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(simulator.GetProfile("healthy").Reset);
    }

    [Fact]
    public async Task a_form_post_with_neither_origin_nor_referer_is_refused()
    {
        using var response = await client.PostAsync("/_sim/profiles/healthy/form", ResetForm());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(simulator.GetProfile("healthy").Reset);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData(null)] // a no-cors fetch or an old browser: no Origin, but no JSON either
    public async Task a_text_plain_post_to_reset_the_counters_is_refused_and_changes_nothing(string? origin)
    {
        (await client.GetAsync("/p/healthy/v1/models")).Dispose();
        var before = simulator.RequestCount("healthy");
        Assert.True(before > 0);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/_sim/stats/reset") { Content = new StringContent("x", Encoding.UTF8, "text/plain") };
        AddHeaders(request, origin, null);
        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.UnsupportedMediaType, $"Got {response.StatusCode}");
        Assert.Equal(before, simulator.RequestCount("healthy"));
    }

    [Fact]
    public async Task a_profile_put_that_is_not_json_is_refused()
    {
        using var response = await client.PutAsync("/_sim/profiles/healthy", new StringContent("{\"reset\":true}", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.False(simulator.GetProfile("healthy").Reset);
    }

    [Fact]
    public async Task a_page_whose_name_was_made_to_resolve_to_the_simulator_cannot_use_it_even_same_origin()
    {
        var host = $"rebound.example:{simulator.BaseAddress.Port.ToString(CultureInfo.InvariantCulture)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_sim/profiles/healthy/form") { Content = ResetForm() };
        request.Headers.Host = host;
        request.Headers.Add("Origin", $"http://{host}");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(simulator.GetProfile("healthy").Reset);
        using var read = new HttpRequestMessage(HttpMethod.Get, "/_sim/profiles");
        read.Headers.Host = host;
        using var readResponse = await client.SendAsync(read);
        Assert.Equal(HttpStatusCode.Forbidden, readResponse.StatusCode);
    }

    [Fact]
    public async Task the_control_pages_own_form_still_works()
    {
        using var page = await client.GetAsync("/_sim");
        Assert.Contains("frame-ancestors 'none'", string.Join(" ", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/_sim/profiles/slow/form") { Content = ResetForm() };
        AddHeaders(request, OwnOrigin, "same-origin");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.True(simulator.GetProfile("slow").Reset);
        Assert.Equal(5, simulator.GetProfile("slow").TtftMs);
    }

    [Fact]
    public async Task a_json_client_changes_profiles_and_resets_counters()
    {
        using var put = await client.PutAsJsonAsync("/_sim/profiles/json-made", new { ttftMs = 7, model = "sim-json" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("sim-json", simulator.GetProfile("json-made").Model);

        (await client.GetAsync("/p/json-made/v1/models")).Dispose();
        Assert.True(simulator.RequestCount("json-made") > 0);
        using var reset = await client.PostAsync("/_sim/stats/reset", new StringContent("", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(0, simulator.RequestCount("json-made"));
    }

    private static void AddHeaders(HttpRequestMessage request, string? origin, string? fetchSite)
    {
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
    }
}

/// <summary>The portal starts the simulator only with the demo on: Simulator:Enabled alone does not start it.</summary>
[Collection(PortalTests.Name)]
public sealed class DemoSimulatorStartTests(PortalFixture portal)
{
    [Fact]
    public async Task with_the_demo_off_the_simulator_is_not_started_even_when_enabled()
    {
        var address = IPAddress.Parse("127.77.0.7");
        int port;
        using (var probe = new TcpListener(address, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        var settings = new Dictionary<string, string>(portal.ProbeSettings)
        {
            ["Simulator:Enabled"] = "true",
            ["Simulator:Address"] = address.ToString(),
            ["Simulator:Port"] = port.ToString(CultureInfo.InvariantCulture),
        };
        await using var factory = new PortalHostFactory(portal.Database.ConnectionString, seedDemo: false, settings);
        _ = factory.Server; // started and prepared: the demo step has run

        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(address, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
