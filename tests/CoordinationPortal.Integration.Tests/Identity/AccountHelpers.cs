using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.Integration.Tests.Identity;

/// <summary>The sign-in form's answer: status, where it sends the browser, the error it shows and the Retry-After header.</summary>
public sealed record SignInAnswer(HttpStatusCode Status, string? Location, string? Error, string? RetryAfter);

public static partial class Accounts
{
    /// <summary>Creates an account with a role, straight through Identity, and returns its email.</summary>
    public static async Task<string> CreateAsync(IServiceProvider services, string role, string password, string prefix = "user")
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@portal.local";
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = prefix };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return email;
    }

    /// <summary>Posts the sign-in form once, as a browser would (GET for the token, then POST), without following redirects.</summary>
    public static async Task<SignInAnswer> PostSignInAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        using var response = await client.PostAsync(new Uri("/account/login", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        var error = ErrorBox().Match(body) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
        return new SignInAnswer(response.StatusCode, response.Headers.Location?.OriginalString, error, response.Headers.RetryAfter?.ToString());
    }

    [GeneratedRegex("data-testid=\"sign-in-error\">([^<]*)<")]
    public static partial Regex ErrorBox();
}

/// <summary>
/// A portal of its own on the fixture's database, on Kestrel, so sign-in limits can be set low and requests can come
/// from different client addresses: each client binds its socket to a loopback address of its choosing
/// (127.0.0.0/8 is all loopback on Linux), so the portal sees a real, distinct remote address.
/// </summary>
public sealed class SignInHost : IAsyncDisposable
{
    private readonly PortalHostFactory _factory;

    public SignInHost(PortalFixture portal, IReadOnlyDictionary<string, string> settings)
    {
        var merged = portal.ProbeSettings.ToDictionary();
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        _factory = new PortalHostFactory(portal.Database.ConnectionString, seedDemo: false, merged);
        _factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        _factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(Log);
    }

    public string BaseUrl { get; }

    public IServiceProvider Services => _factory.Services;

    public CapturingLoggerProvider Log { get; } = new();

    /// <summary>A browser-like client (cookies, no redirects followed) whose connections come from <paramref name="sourceAddress"/>.</summary>
    public HttpClient ClientFrom(string sourceAddress)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) };
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}

/// <summary>Keeps every log event the portal writes (after its filters), for tests of what is logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception),
                state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}
