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
/// statuses it was given, in turn (the last one repeats), and every request it got is kept for the test to read.
/// </summary>
public sealed class WebhookReceiver : IAsyncLifetime
{
    public static readonly IPAddress Address = IPAddress.Parse("127.77.0.9");

    private readonly ConcurrentDictionary<string, Script> hooks = new(StringComparer.Ordinal);
    private WebApplication? app;

    public sealed record Received(string Hook, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredWith, DateTimeOffset At);

    private sealed class Script(int[] statuses, TimeSpan delay)
    {
        private int calls;

        public TimeSpan Delay { get; } = delay;

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
            Requests.Enqueue(new Received(name, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray(), status, DateTimeOffset.UtcNow));
            if (hook.Delay > TimeSpan.Zero)
            {
                await Task.Delay(hook.Delay);
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

    /// <summary>Adds a hook that answers with <paramref name="statuses"/> in turn and returns its URL.</summary>
    public string Hook(int[] statuses, TimeSpan? delay = null)
    {
        var name = "h" + Guid.NewGuid().ToString("N")[..12];
        hooks[name] = new Script(statuses, delay ?? TimeSpan.Zero);
        return new Uri(BaseAddress, $"/hooks/{name}").ToString();
    }

    public IReadOnlyList<Received> For(string url)
    {
        var name = url[(url.LastIndexOf('/') + 1)..];
        return Requests.Where(r => r.Hook == name).ToList();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
