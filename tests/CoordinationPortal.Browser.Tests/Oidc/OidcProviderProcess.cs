using System.Diagnostics;
using System.Net.Http.Json;

namespace CoordinationPortal.Browser.Tests.Oidc;

/// <summary>
/// A real OpenID provider (npm <c>oidc-provider</c>, <c>tests/oidc-provider/provider.mjs</c>) in a Node process of its
/// own on a free port of 127.0.0.1. It exits when this process closes its standard input (or dies), so no provider
/// outlives the test run. Clients and accounts are registered after start, once the portal's address is known.
/// </summary>
public sealed class OidcProviderProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;
    private bool _disposed;

    private OidcProviderProcess(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    /// <summary>The provider's issuer, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string Issuer { get; }

    /// <param name="clockOffsetSeconds">Shifts the provider's clock: -3600 makes every token it issues long expired.</param>
    public static async Task<OidcProviderProcess> StartAsync(int clockOffsetSeconds = 0)
    {
        var directory = ProviderDirectory();
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException(
                $"The test OpenID provider is not installed: run `npm ci --prefix {directory}` (infra/test.sh does this; it needs Node 20+ and npm).");
        }

        var start = new ProcessStartInfo("node", "provider.mjs")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CLOCK_OFFSET_SECONDS"] = clockOffsetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Node.js is needed for the OpenID provider tests (apt-get install -y nodejs npm).", e);
        }

        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                // Keep draining stdout so the provider never blocks on a full pipe.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                return new OidcProviderProcess(process, line["LISTENING ".Length..].Trim());
            }
        }

        lock (errors)
        {
            throw new InvalidOperationException($"The OpenID provider exited before listening: {errors}");
        }
    }

    public async Task RegisterClientAsync(string clientId, string secret, IEnumerable<string> redirectUris, IEnumerable<string> postLogoutRedirectUris)
    {
        using var response = await Http.PostAsJsonAsync($"{Issuer}/__test/clients", new Dictionary<string, object>
        {
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["redirect_uris"] = redirectUris.ToArray(),
            ["post_logout_redirect_uris"] = postLogoutRedirectUris.ToArray(),
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>An account at the provider: what it will say of the person (<c>email_verified</c>, <c>amr</c>).</summary>
    public async Task AddAccountAsync(string subject, string email, bool emailVerified, string name, params string[] amr)
    {
        var account = new Dictionary<string, object> { ["sub"] = subject, ["email"] = email, ["email_verified"] = emailVerified, ["name"] = name };
        if (amr.Length > 0)
        {
            account["amr"] = amr;
        }

        using var response = await Http.PostAsJsonAsync($"{Issuer}/__test/accounts", account);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string ProviderDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "oidc-provider");
            if (File.Exists(Path.Combine(candidate, "provider.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/oidc-provider/provider.mjs not found above " + AppContext.BaseDirectory);
    }
}
