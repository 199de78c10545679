using System.Net;
using System.Net.Sockets;
using CoordinationPortal.Domain.Probes;
using Marten;

namespace CoordinationPortal.Web.Outbound;

/// <summary>
/// An admin's exception to the SSRF rules: a network probes may reach although it is private or local, and the ports on
/// it (<see cref="Cidr"/> is the entry's canonical text, e.g. <c>10.0.0.0/8:8000-8100</c>; see <see cref="AllowlistRule"/>).
/// </summary>
public sealed record AllowlistEntry(string Cidr, string Note, string By, DateTimeOffset At);

/// <summary>The admin-managed allowlist, one document.</summary>
public sealed class ProbeAllowlist
{
    public const string DocumentId = "probe-allowlist";

    public string Id { get; set; } = DocumentId;
    public List<AllowlistEntry> Entries { get; set; } = [];
}

/// <summary>
/// The networks probes may reach beyond the public internet: those in configuration (<c>Probes:Network:Allow</c>, e.g. the
/// embedded simulator's address) and those an admin added. Held in memory for the connect-time check, reloaded from the
/// database every 30 seconds so every portal process follows an admin's change.
/// </summary>
public sealed class ProbeAllowlistCache(IDocumentStore store, IConfiguration configuration, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private volatile Snapshot? current;

    private sealed record Snapshot(IReadOnlyList<AllowlistRule> Networks, DateTimeOffset LoadedAt);

    public IReadOnlyList<AllowlistRule> Configured { get; } = ParseConfigured(configuration);

    public async ValueTask<IReadOnlyList<AllowlistRule>> CurrentAsync(CancellationToken ct)
    {
        var snapshot = current;
        if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < MaxAge)
        {
            return snapshot.Networks;
        }

        return await ReloadAsync(ct);
    }

    public async Task<IReadOnlyList<AllowlistRule>> ReloadAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var document = await session.LoadAsync<ProbeAllowlist>(ProbeAllowlist.DocumentId, ct);
        var networks = Configured.Concat(
                (document?.Entries ?? []).Select(e => AllowlistRule.TryParse(e.Cidr, out var rule, out _) ? rule : null)
                    .OfType<AllowlistRule>())
            .Distinct()
            .ToList();
        current = new Snapshot(networks, time.GetUtcNow());
        return networks;
    }

    private static List<AllowlistRule> ParseConfigured(IConfiguration configuration)
    {
        var entries = configuration.GetSection("Probes:Network:Allow").Get<string[]>() ?? [];
        var networks = new List<AllowlistRule>();
        foreach (var entry in entries)
        {
            if (!AllowlistRule.TryParse(entry, out var network, out var error))
            {
                throw new InvalidOperationException(
                    $"Probes:Network:Allow has an entry that is not an allowed network with optional ports, e.g. 10.0.0.0/8:8000-8100 ({entry}): {error}.");
            }

            networks.Add(network);
        }

        return networks;
    }
}

/// <summary>Thrown inside a connection attempt the SSRF rules refuse; the probe reports it as the reason.</summary>
public sealed class AddressRefusedException(AddressDecision decision, string host)
    : IOException(decision.RefusedPort is { } port
        ? $"Refused to connect to {host} ({decision.Address}) on port {port}: no allowlist entry opens that port."
        : $"Refused to connect to {host} ({decision.Address}): {decision.Class} addresses are not allowed for probes.")
{
    public AddressDecision Decision { get; } = decision;
    public string Host { get; } = host;
}

/// <summary>The connection attempt did not complete within the probe's connect timeout.</summary>
public sealed class ConnectTimeoutException(string host, TimeSpan timeout)
    : IOException($"Connecting to {host} took longer than {timeout.TotalSeconds:0.#} s.")
{
    public string Host { get; } = host;
}

/// <summary>
/// The SSRF guard, at connect time: every connection a probe opens — the first, after a redirect, after a DNS change —
/// resolves the name itself, checks every address and the port against <see cref="AddressPolicy"/> (an allowlisted
/// internal network is open on the ports its entry names, 80 and 443 when it names none), and connects only to an
/// address it checked. A name that resolves to any refused address is refused as a whole, so a rebinding answer cannot mix a
/// public address with an internal one. Also records when a probe's request needed a new connection (cold).
/// </summary>
public sealed class ProbeConnector(Func<CancellationToken, ValueTask<IReadOnlyList<AllowlistRule>>> allowlist, TimeSpan connectTimeout)
{
    public static readonly HttpRequestOptionsKey<ConnectionNote> NoteKey = new("probe-connection");

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(connectTimeout);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, timeout.Token);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            var networks = await allowlist(timeout.Token);
            var port = context.DnsEndPoint.Port;
            var decisions = addresses.Select(a => AddressPolicy.Check(a, port, networks)).ToList();
            if (decisions.FirstOrDefault(d => !d.Allowed) is { } refused)
            {
                throw new AddressRefusedException(refused, host);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(decisions.Select(d => d.Address).ToArray(), context.DnsEndPoint.Port, timeout.Token);
                if (context.InitialRequestMessage.Options.TryGetValue(NoteKey, out var note))
                {
                    note.Opened(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                }

                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ConnectTimeoutException(host, connectTimeout);
        }
    }
}

/// <summary>Set on a probe's requests: whether one of them opened a new connection, and how long connecting took.</summary>
public sealed class ConnectionNote
{
    public bool Cold { get; private set; }
    public TimeSpan? ConnectTime { get; private set; }

    public void Opened(TimeSpan took)
    {
        Cold = true;
        ConnectTime ??= took;
    }
}
