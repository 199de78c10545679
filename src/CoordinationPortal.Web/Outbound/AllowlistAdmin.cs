using CoordinationPortal.Domain.Probes;
using Marten;

namespace CoordinationPortal.Web.Outbound;

/// <summary>What an admin sees of the allowlist: configured entries (read-only) and their own.</summary>
public sealed record AllowlistView(IReadOnlyList<string> Configured, IReadOnlyList<AllowlistEntry> Entries);

/// <summary>Adds and removes admin allowlist entries; every process follows within 30 seconds, this one at once.</summary>
public sealed class ProbeAllowlistAdmin(IDocumentSession session, ProbeAllowlistCache cache, TimeProvider time)
{
    public async Task<AllowlistView> ListAsync(CancellationToken ct)
    {
        var document = await session.LoadAsync<ProbeAllowlist>(ProbeAllowlist.DocumentId, ct);
        return new AllowlistView(cache.Configured.Select(n => n.ToString()).ToList(), document?.Entries ?? []);
    }

    /// <summary>
    /// Adds a network with optional ports (<c>10.0.0.0/8:8000-8100</c>; none: 80 and 443); returns an error code (Invalid,
    /// TooBroad, HostBits, Ports, Duplicate) or null.
    /// </summary>
    public async Task<string?> AddAsync(string cidr, string note, string by, CancellationToken ct)
    {
        if (!AllowlistRule.TryParse(cidr.Trim(), out var network, out var error))
        {
            return ErrorCode(error);
        }

        var document = await session.LoadAsync<ProbeAllowlist>(ProbeAllowlist.DocumentId, ct) ?? new ProbeAllowlist();
        if (document.Entries.Any(e => e.Cidr == network.ToString()) || cache.Configured.Contains(network))
        {
            return "Duplicate";
        }

        document.Entries.Add(new AllowlistEntry(network.ToString(), note.Trim().Length > 200 ? note.Trim()[..200] : note.Trim(), by, time.GetUtcNow()));
        session.Store(document);
        await session.SaveChangesAsync(ct);
        await cache.ReloadAsync(ct);
        return null;
    }

    public async Task<bool> RemoveAsync(string cidr, CancellationToken ct)
    {
        var document = await session.LoadAsync<ProbeAllowlist>(ProbeAllowlist.DocumentId, ct);
        var normalized = AllowlistRule.TryParse(cidr.Trim(), out var network, out _) ? network.ToString() : cidr.Trim();
        if (document is null || document.Entries.RemoveAll(e => e.Cidr == normalized) == 0)
        {
            return false;
        }

        session.Store(document);
        await session.SaveChangesAsync(ct);
        await cache.ReloadAsync(ct);
        return true;
    }

    private static string ErrorCode(string? error) => error switch
    {
        AllowlistEntryErrors.TooBroad => "TooBroad",
        AllowlistEntryErrors.HostBitsSet => "HostBits",
        AllowlistEntryErrors.InvalidPorts => "Ports",
        _ => "Invalid",
    };
}
