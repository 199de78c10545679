using System.Net;
using System.Net.Sockets;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Probes.Network;

namespace CoordinationPortal.Integration.Tests.Probes;

/// <summary>
/// The one classifier of network failures (probes and webhooks share it), fed what a real HttpClient throws over real
/// loopback sockets: refused, reset, name not found, TLS spoken to a plain server, a garbled answer, and the SSRF
/// guard's own refusals and connect timeout.
/// </summary>
public sealed class NetworkFailureTests
{
    private static readonly IPAddress Loopback = IPAddress.Loopback;
    private static readonly HttpClient Plain = new(new SocketsHttpHandler { UseProxy = false });

    [Fact]
    public async Task a_closed_port_is_connection_refused()
    {
        var failure = await FailureOfAsync(Plain, $"http://127.0.0.1:{RawServer.ClosedPort(Loopback)}/");

        Assert.Equal(new NetworkFailure(ReasonCode.ConnectionRefused), failure);
    }

    [Fact]
    public async Task a_reset_connection_is_connection_reset()
    {
        await using var server = RawServer.Start(Loopback, RawServer.Resets);

        var failure = await FailureOfAsync(Plain, $"http://127.0.0.1:{server.Port}/");

        Assert.Equal(new NetworkFailure(ReasonCode.ConnectionReset), failure);
    }

    [Fact]
    public async Task a_name_that_does_not_resolve_is_a_dns_failure()
    {
        // .invalid never resolves (RFC 6761).
        var failure = await FailureOfAsync(Plain, "http://portal-test.invalid/");

        Assert.Equal(new NetworkFailure(ReasonCode.DnsFailure), failure);
    }

    [Fact]
    public async Task tls_to_a_plain_http_server_is_a_tls_failure_with_the_reason()
    {
        await using var server = RawServer.Start(Loopback, RawServer.Answers("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));

        var failure = await FailureOfAsync(Plain, $"https://127.0.0.1:{server.Port}/");

        Assert.Equal(ReasonCode.TlsFailure, failure.Code);
        Assert.False(string.IsNullOrWhiteSpace(failure.Detail), "the TLS error's own message is kept as the detail");
    }

    [Fact]
    public async Task an_answer_that_is_not_http_is_a_network_error_with_the_message()
    {
        await using var server = RawServer.Start(Loopback, RawServer.Answers("hello\r\n\r\n"));

        var failure = await FailureOfAsync(Plain, $"http://127.0.0.1:{server.Port}/");

        Assert.Equal(ReasonCode.NetworkError, failure.Code);
        Assert.Contains("hello", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_ssrf_guard_refusing_an_address_names_it_and_its_class()
    {
        await using var server = RawServer.Start(Loopback, RawServer.Answers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        using var guarded = Guarded(allowed: [], TimeSpan.FromSeconds(5));

        var failure = await FailureOfAsync(guarded, $"http://127.0.0.1:{server.Port}/");

        Assert.Equal(new NetworkFailure(ReasonCode.AddressRefused, "127.0.0.1|Loopback"), failure);
    }

    [Fact]
    public async Task a_connection_the_server_never_accepts_is_a_connect_timeout()
    {
        // A listener whose accept queue is full: the kernel drops further connection attempts, so connecting hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        using var queued = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await queued.ConnectAsync(endpoint);
        using var guarded = Guarded(allowed: [new IPNetwork(Loopback, 32)], TimeSpan.FromMilliseconds(300));

        var failure = await FailureOfAsync(guarded, $"http://127.0.0.1:{endpoint.Port}/");

        Assert.Equal(new NetworkFailure(ReasonCode.ConnectTimeout), failure);
    }

    /// <summary>A client through the probes' connect-time SSRF guard, allowing only <paramref name="allowed"/> beyond the public internet.</summary>
    private static HttpClient Guarded(IReadOnlyList<IPNetwork> allowed, TimeSpan connectTimeout) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = new ProbeConnector(_ => ValueTask.FromResult(allowed), connectTimeout).ConnectAsync,
            UseProxy = false,
        });

    private static async Task<NetworkFailure> FailureOfAsync(HttpClient client, string url)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var e = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync(url, timeout.Token));
        return NetworkFailure.Classify(e);
    }
}
