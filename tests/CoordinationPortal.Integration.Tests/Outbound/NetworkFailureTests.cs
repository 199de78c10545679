using System.Net;
using System.Net.Sockets;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Outbound;

namespace CoordinationPortal.Integration.Tests.Outbound;

/// <summary>
/// The one classifier of network failures (probes and webhooks share it), fed what a real HttpClient throws over real
/// loopback sockets: refused, reset, name not found, TLS spoken to a plain server, a garbled answer, and the SSRF
/// guard's own refusals and connect timeout; and the mapping itself on exceptions built as the handler builds them.
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
        // .invalid never resolves (RFC 6761); the trailing dot makes the name absolute, so no search domain is tried.
        var failure = await FailureOfAsync(Plain, "http://portal-test.invalid./");

        Assert.Equal(new NetworkFailure(ReasonCode.DnsFailure), failure);
    }

    [Fact]
    public void a_name_resolution_error_is_a_dns_failure_with_or_without_the_socket_error()
    {
        // What SocketsHttpHandler throws for a name that does not resolve, built here so the mapping is checked even
        // where a real lookup is slow.
        var withSocketError = new HttpRequestException(HttpRequestError.NameResolutionError, "",
            new SocketException((int)SocketError.HostNotFound));
        var withoutInner = new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known");
        var tryAgain = new HttpRequestException(HttpRequestError.Unknown, "", new SocketException((int)SocketError.TryAgain));

        Assert.Equal(new NetworkFailure(ReasonCode.DnsFailure), NetworkFailure.Classify(withSocketError));
        Assert.Equal(new NetworkFailure(ReasonCode.DnsFailure), NetworkFailure.Classify(withoutInner));
        Assert.Equal(new NetworkFailure(ReasonCode.DnsFailure), NetworkFailure.Classify(tryAgain));
    }

    [Theory]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.ConnectionAborted)]
    [InlineData(SocketError.Shutdown)]
    [InlineData(SocketError.NotConnected)]
    public void a_reset_socket_under_an_io_error_is_connection_reset(SocketError error)
    {
        var read = new IOException("Unable to read data from the transport connection.", new SocketException((int)error));

        Assert.Equal(new NetworkFailure(ReasonCode.ConnectionReset), NetworkFailure.Classify(read));
        Assert.Equal(new NetworkFailure(ReasonCode.ConnectionReset),
            NetworkFailure.Classify(new HttpRequestException(HttpRequestError.Unknown, "An error occurred while sending the request.", read)));
    }

    [Theory]
    [InlineData(SocketError.TimedOut)]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.NetworkUnreachable)]
    public void a_socket_error_that_is_not_a_reset_is_a_network_error_with_its_message(SocketError error)
    {
        var socket = new SocketException((int)error);
        var read = new IOException("Unable to read data from the transport connection.", socket);
        var body = new HttpIOException(HttpRequestError.Unknown, "The response ended prematurely.", read);

        Assert.False(string.IsNullOrWhiteSpace(socket.Message));
        Assert.Equal(new NetworkFailure(ReasonCode.NetworkError, socket.Message), NetworkFailure.Classify(read));
        Assert.Equal(new NetworkFailure(ReasonCode.NetworkError, socket.Message), NetworkFailure.Classify(body));
        Assert.Equal(new NetworkFailure(ReasonCode.NetworkError, socket.Message),
            NetworkFailure.Classify(new HttpRequestException(HttpRequestError.Unknown, "An error occurred while sending the request.", read)));
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
        // A listener that never accepts, its accept queue full: the kernel drops further connection attempts, so
        // connecting hangs. How many connections fill the queue is the kernel's choice (on Linux, backlog + 1 with SYN
        // cookies on, none with them off), so the test connects until one attempt hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var queued = new List<Socket>();
        try
        {
            FillAcceptQueue(endpoint, queued);
            using var guarded = Guarded(allowed: [new IPNetwork(Loopback, 32)], TimeSpan.FromMilliseconds(300));

            var failure = await FailureOfAsync(guarded, $"http://127.0.0.1:{endpoint.Port}/");

            Assert.Equal(new NetworkFailure(ReasonCode.ConnectTimeout), failure);
        }
        finally
        {
            foreach (var socket in queued)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>
    /// Connects to <paramref name="endpoint"/>, one attempt at a time and never accepting, until an attempt does not
    /// complete; every socket opened is added to <paramref name="held"/>, to be kept open while the queue must stay full.
    /// A loopback handshake completes in the kernel, within the connect call or microseconds after it, whatever the load
    /// on the test process: an attempt still pending after two seconds had its SYN dropped, and its retransmission (due
    /// after one second) too. The wait is a plain poll on this thread, so a busy thread pool cannot make it look hung.
    /// </summary>
    private static void FillAcceptQueue(IPEndPoint endpoint, List<Socket> held)
    {
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            held.Add(socket);
            try
            {
                socket.Connect(endpoint);
                continue; // connected at once: queued
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                // In progress.
            }

            if (!socket.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectWrite))
            {
                return; // the queue is full: this attempt, and every later one, hangs
            }

            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            Assert.True(error == SocketError.Success, $"connection attempt {attempt + 1} to the listener failed: {error}");
        }

        Assert.Fail("64 connections to a listener with backlog 0 all completed: this kernel never lets a connect hang on a full accept queue.");
    }

    /// <summary>A client through the probes' connect-time SSRF guard, allowing only <paramref name="allowed"/> beyond the public internet.</summary>
    private static HttpClient Guarded(IReadOnlyList<IPNetwork> allowed, TimeSpan connectTimeout) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = new ProbeConnector(
                _ => ValueTask.FromResult<IReadOnlyList<AllowlistRule>>(allowed.Select(AllowlistRule.AnyPort).ToList()), connectTimeout).ConnectAsync,
            UseProxy = false,
        });

    private static async Task<NetworkFailure> FailureOfAsync(HttpClient client, string url)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Usually an HttpRequestException; a reset that lands while the request is being written can surface as the bare
        // SocketException. The probe engine and the webhook sender classify whatever is thrown, so the test does too.
        var e = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(url, timeout.Token));
        Assert.True(e is HttpRequestException or IOException or SocketException, $"unexpected {e.GetType().Name}: {e.Message}");
        return NetworkFailure.Classify(e);
    }
}
