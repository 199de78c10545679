using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.Integration.Tests.Notifications;

/// <summary>
/// A real HTTP server on 127.77.0.9 (any free port) that stands in for a webhook receiver: each hook answers with the
/// statuses it was given, in turn (the last one repeats), and every request it got is kept for the test to read. A hook
/// can hold its answers back until the test lets it answer, and a test can wait for a hook's first request.
/// </summary>
public sealed class WebhookReceiver : IAsyncLifetime
{
    public static readonly IPAddress Address = IPAddress.Parse("127.77.0.9");

    private readonly ConcurrentDictionary<string, Script> hooks = new(StringComparer.Ordinal);
    private WebApplication? app;

    public sealed record Received(string Hook, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredWith, DateTimeOffset At);

    private sealed class Script(int[] statuses, TimeSpan delay, Task? answerWhen = null)
    {
        private int calls;

        public TimeSpan Delay { get; } = delay;

        /// <summary>Completes when the test lets the hook answer; null to answer at once (after <see cref="Delay"/>).</summary>
        public Task? AnswerWhen { get; } = answerWhen;

        public TaskCompletionSource<Received> Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Next() => statuses[Math.Min(Interlocked.Increment(ref calls) - 1, statuses.Length - 1)];
    }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(Address, 0));
        app = builder.Build();
        app.MapPost("/hooks/{name}", async (HttpContext http, string name) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var hook = hooks.GetValueOrDefault(name) ?? new Script([404], TimeSpan.Zero);
            var status = hook.Next();
            var received = new Received(name, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray(), status, DateTimeOffset.UtcNow);
            Requests.Enqueue(received);
            hook.Arrived.TrySetResult(received);
            if (hook.Delay > TimeSpan.Zero)
            {
                await Task.Delay(hook.Delay);
            }

            if (hook.AnswerWhen is { } answerWhen)
            {
                try
                {
                    await answerWhen.WaitAsync(http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return; // the sender gave up (or the receiver is stopping): there is no one to answer
                }
            }

            if (status is >= 300 and < 400)
            {
                http.Response.Headers.Location = new Uri(BaseAddress, $"/hooks/{name}-redirected").ToString();
            }

            http.Response.StatusCode = status;
            await http.Response.WriteAsync(status < 300 ? "thanks" : $"answered {status}");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    /// <summary>
    /// Adds a hook that answers with <paramref name="statuses"/> in turn and returns its URL. With
    /// <paramref name="answerWhen"/>, each request is held (the sender waits for the answer) until that task completes.
    /// </summary>
    public string Hook(int[] statuses, TimeSpan? delay = null, Task? answerWhen = null)
    {
        var name = "h" + Guid.NewGuid().ToString("N")[..12];
        hooks[name] = new Script(statuses, delay ?? TimeSpan.Zero, answerWhen);
        return new Uri(BaseAddress, $"/hooks/{name}").ToString();
    }

    /// <summary>The first request the hook at <paramref name="url"/> got; fails the test when none came within <paramref name="within"/>.</summary>
    public async Task<Received> FirstRequestAsync(string url, TimeSpan within)
    {
        try
        {
            return await hooks[Name(url)].Arrived.Task.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No request reached {url} within {within.TotalSeconds} s.");
            throw;
        }
    }

    public IReadOnlyList<Received> For(string url)
    {
        var name = Name(url);
        return Requests.Where(r => r.Hook == name).ToList();
    }

    private static string Name(string url) => url[(url.LastIndexOf('/') + 1)..];

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
