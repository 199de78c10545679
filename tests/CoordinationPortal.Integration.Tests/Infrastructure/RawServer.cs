using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CoordinationPortal.Integration.Tests.Infrastructure;

/// <summary>
/// A TCP server on a loopback address that answers every connection with <c>answer</c>, below HTTP: for the network
/// failures a client has to classify (a reset, a non-TLS answer to TLS, a garbled response). Each connection is closed
/// after its answer.
/// </summary>
public sealed class RawServer : IAsyncDisposable
{
    /// <summary>The sockets holding <see cref="ClosedPort"/>'s ports, referenced so none is finalized (and its port freed) early.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<Socket> HeldPorts = [];

    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    private RawServer(IPAddress address, Func<Socket, CancellationToken, Task> answer)
    {
        listener = new TcpListener(address, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync(answer);
    }

    public int Port { get; }

    /// <summary>
    /// Answers each connection with <paramref name="answer"/>, which is given the server's stop token: disposing the
    /// server cancels an answer still waiting on its client.
    /// </summary>
    public static RawServer Start(IPAddress address, Func<Socket, CancellationToken, Task> answer) => new(address, answer);

    /// <summary>Answers each connection with <paramref name="answer"/>, which must end on its own.</summary>
    public static RawServer Start(IPAddress address, Func<Socket, Task> answer) => new(address, (socket, _) => answer(socket));

    /// <summary>
    /// Reads what the client sends first (a request, a TLS hello), answers <paramref name="text"/> as it is, and waits for
    /// the client to hang up, so the answer is never cut short by a reset. Every wait ends when the server stops.
    /// </summary>
    public static Func<Socket, CancellationToken, Task> Answers(string text) => async (socket, stop) =>
    {
        var buffer = new byte[8192];
        await socket.ReceiveAsync(buffer, stop);
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), stop);
        socket.Shutdown(SocketShutdown.Send);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        wait.CancelAfter(TimeSpan.FromSeconds(10));
        while (await socket.ReceiveAsync(buffer, wait.Token) > 0)
        {
        }
    };

    /// <summary>Resets the connection (RST, not FIN) as soon as it is accepted.</summary>
    public static Task Resets(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A port on <paramref name="address"/> that refuses connections: a socket is bound to it and never listens, so a
    /// connection attempt is answered with a reset, and the port stays taken — no other socket can bind it — until the
    /// test process ends. (A port found free by binding and closing could be taken by someone else before it is used.)
    /// </summary>
    public static int ClosedPort(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
        socket.Bind(new IPEndPoint(address, 0));
        HeldPorts.Add(socket);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private async Task AcceptAsync(Func<Socket, CancellationToken, Task> answer)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return; // stopped
            }

            try
            {
                await answer(socket, stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // The client went away first, or never hung up: the next connection is answered all the same.
            }
            finally
            {
                socket.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
