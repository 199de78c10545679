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
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    private RawServer(IPAddress address, Func<Socket, Task> answer)
    {
        listener = new TcpListener(address, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync(answer);
    }

    public int Port { get; }

    public static RawServer Start(IPAddress address, Func<Socket, Task> answer) => new(address, answer);

    /// <summary>
    /// Reads what the client sends first (a request, a TLS hello), answers <paramref name="text"/> as it is, and waits for
    /// the client to hang up, so the answer is never cut short by a reset.
    /// </summary>
    public static Func<Socket, Task> Answers(string text) => async socket =>
    {
        var buffer = new byte[8192];
        await socket.ReceiveAsync(buffer);
        await socket.SendAsync(Encoding.ASCII.GetBytes(text));
        socket.Shutdown(SocketShutdown.Send);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
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

    /// <summary>A port on <paramref name="address"/> that nothing listens on: it was free a moment ago.</summary>
    public static int ClosedPort(IPAddress address)
    {
        var probe = new TcpListener(address, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptAsync(Func<Socket, Task> answer)
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
                await answer(socket);
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
