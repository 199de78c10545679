using Marten;
using Microsoft.AspNetCore.DataProtection;

namespace CoordinationPortal.Web.Probes;

/// <summary>An endpoint's API key, encrypted with ASP.NET Data Protection (keys kept in PostgreSQL). Deleted, not superseded.</summary>
public sealed class EndpointSecret
{
    public Guid Id { get; set; }
    public string Protected { get; set; } = "";
}

/// <summary>
/// Encrypts API keys for storage and decrypts them only for a probe. Nothing shows a key again after entry: pages
/// and the API only say whether one is set.
/// </summary>
public sealed class EndpointSecrets(IDataProtectionProvider provider, IDocumentStore store)
{
    public const int MaxKeyLength = 4096;
    private readonly IDataProtector protector = provider.CreateProtector("CoordinationPortal.Probes.ApiKey.v1");

    public void Stage(IDocumentSession session, Guid endpointId, string apiKey) =>
        session.Store(new EndpointSecret { Id = endpointId, Protected = protector.Protect(apiKey.Trim()) });

    public static void StageRemoval(IDocumentSession session, Guid endpointId) => session.Delete<EndpointSecret>(endpointId);

    public async Task<string?> RevealAsync(Guid endpointId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var secret = await session.LoadAsync<EndpointSecret>(endpointId, ct);
        return secret is null ? null : protector.Unprotect(secret.Protected);
    }
}
