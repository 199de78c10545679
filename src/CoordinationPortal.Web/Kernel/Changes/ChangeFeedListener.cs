using System.Threading.Channels;
using Npgsql;

namespace CoordinationPortal.Web.Kernel.Changes;

/// <summary>
/// Listens on <see cref="ChangeFeed.Channel"/> over one dedicated connection and hands each notice to the feed. Listening
/// starts before the portal takes requests, so this process hears its own first changes. A dropped connection is
/// re-opened (with a growing pause); afterwards a <see cref="ChangeKinds.Resync"/> tells live pages to re-read, since
/// changes made meanwhile were not heard.
/// </summary>
public sealed partial class ChangeFeedListener(NpgsqlDataSource dataSource, ChangeFeed feed, ILogger<ChangeFeedListener> logger)
    : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    // Notices are read on the connection's thread and delivered on another, so a slow subscriber never stalls reading.
    private readonly Channel<PortalChange> _inbox = System.Threading.Channels.Channel.CreateUnbounded<PortalChange>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly CancellationTokenSource _stop = new();
    private NpgsqlConnection? _connection;
    private Task? _listening;
    private Task? _delivering;
    private int _stopping;
    private int _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _connection = await ListenAsync(cancellationToken);
        _listening = Task.Run(() => ListenLoopAsync(_stop.Token), CancellationToken.None);
        _delivering = Task.Run(() => DeliverLoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Stops listening and delivering. Safe to call more than once and after <see cref="DisposeAsync"/>: a host whose
    /// services were disposed during a failed or overlapping shutdown still calls it.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0)
        {
            await _stop.CancelAsync();
            _inbox.Writer.TryComplete();
        }

        foreach (var task in new[] { _listening, _delivering })
        {
            if (task is not null)
            {
                await task.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The loops use the connection: they end first, whichever of stop and dispose the host calls first.
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await StopAsync(patience.Token);
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        connection.Notification += (_, e) =>
        {
            if (feed.Parse(e.Payload) is { } change)
            {
                _inbox.Writer.TryWrite(change);
            }
        };
        await using var listen = new NpgsqlCommand($"LISTEN {ChangeFeed.Channel}", connection);
        await listen.ExecuteNonQueryAsync(ct);
        return connection;
    }

    private async Task ListenLoopAsync(CancellationToken ct)
    {
        var pause = TimeSpan.FromMilliseconds(250);
        var lost = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (_connection is null)
                {
                    _connection = await ListenAsync(ct);
                }

                if (lost)
                {
                    (lost, pause) = (false, TimeSpan.FromMilliseconds(250));
                    LogRestored();
                    _inbox.Writer.TryWrite(new PortalChange(ChangeKinds.Resync, Guid.Empty) { FromThisProcess = true });
                }

                if (!await _connection.WaitAsync(Heartbeat, ct))
                {
                    // Quiet for a while: make sure the connection is still alive rather than silently dead.
                    await using var ping = new NpgsqlCommand("SELECT 1", _connection);
                    await ping.ExecuteNonQueryAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException or InvalidOperationException)
            {
                if (!lost)
                {
                    LogLost(e);
                }

                lost = true;
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                    _connection = null;
                }

                try
                {
                    await Task.Delay(pause, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }
    }

    private async Task DeliverLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var change in _inbox.Reader.ReadAllAsync(ct))
            {
                await feed.DeliverAsync(change, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The change feed lost its connection to PostgreSQL; it keeps trying to listen again")]
    private partial void LogLost(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "The change feed is listening again; live pages re-read")]
    private partial void LogRestored();
}
