using System.Diagnostics;
using System.Threading.Channels;

namespace CoordinationPortal.Benchmarks;

/// <summary>
/// One open room screen, as the browser's EventSource holds it: a GET of the screen's event stream, read line by line;
/// each <c>screen</c> event (a push of the rendered panels) is timestamped as it completes.
/// </summary>
internal sealed class ScreenStream : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<long> _pushes = Channel.CreateUnbounded<long>();
    private readonly Task _reader;
    private long _count;

    private ScreenStream(HttpClient client, Stream body)
    {
        _client = client;
        _reader = ReadAsync(body, _stop.Token);
    }

    public long Pushes => Interlocked.Read(ref _count);

    /// <summary>The size of the last push's data, in characters.</summary>
    public int LastPushChars { get; private set; }

    /// <summary>Waits until none of <paramref name="screens"/> has received a push for 300 ms.</summary>
    public static async Task QuietAllAsync(IReadOnlyList<ScreenStream> screens, CancellationToken ct)
    {
        var seen = screens.Sum(s => s.Pushes);
        while (true)
        {
            await Task.Delay(300, ct);
            var now = screens.Sum(s => s.Pushes);
            if (now == seen)
            {
                return;
            }

            seen = now;
        }
    }

    public static async Task<ScreenStream> OpenAsync(Uri portal, Guid sessionId, string link, CancellationToken ct)
    {
        var client = new HttpClient { BaseAddress = portal, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/forum/{sessionId}/screen/events?link={Uri.EscapeDataString(link)}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            client.Dispose();
            throw new InvalidOperationException($"The screen's event stream answered {(int)response.StatusCode}.");
        }

        return new ScreenStream(client, await response.Content.ReadAsStreamAsync(ct));
    }

    /// <summary>Forgets the pushes received so far.</summary>
    public void Drain()
    {
        while (_pushes.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>When the next push arrived (a <see cref="Stopwatch"/> timestamp).</summary>
    public async Task<long> NextAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            return await _pushes.Reader.ReadAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"No push reached the screen within {timeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>Waits until no push has arrived for half a second (the first render, or a flag evaluation's push).</summary>
    public async Task QuietAsync(CancellationToken ct)
    {
        while (true)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                await _pushes.Reader.ReadAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ReadAsync(Stream body, CancellationToken ct)
    {
        try
        {
            using var reader = new StreamReader(body);
            string? eventType = null;
            var chars = 0;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0)
                {
                    if (eventType == "screen")
                    {
                        LastPushChars = chars;
                        Interlocked.Increment(ref _count);
                        _pushes.Writer.TryWrite(Stopwatch.GetTimestamp());
                    }

                    eventType = null;
                    chars = 0;
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    chars += line.Length - 5;
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    eventType = line[6..].Trim();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closed by the benchmark.
        }
        catch (IOException)
        {
            // The server went away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        try
        {
            await _reader;
        }
        catch (ObjectDisposedException)
        {
            // The response was torn down with the client.
        }

        _stop.Dispose();
    }
}
