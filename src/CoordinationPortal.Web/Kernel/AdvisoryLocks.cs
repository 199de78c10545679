using Npgsql;

namespace CoordinationPortal.Web.Kernel;

/// <summary>
/// Every PostgreSQL advisory-lock key the portal takes, in one place, so two features can never pick the same number.
/// Keys are process-wide in the database: several portal processes starting or working together serialise on them.
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>Creating or migrating the identity schema at start-up.</summary>
    public const long IdentitySchema = 727001;

    /// <summary>Loading the demo data (once, whichever process starts first).</summary>
    public const long DemoSeed = 727002;

    /// <summary>Class (first key of the two-key form) of the per-agency flag-evaluation locks; the second key is the agency's hash.</summary>
    public const int FlagEvaluationClass = 727100;

    /// <summary>
    /// One agency's endpoint registrations, so two at once cannot both pass its endpoint quota: the halves of the agency's
    /// id folded into one key, with the top bits flipped so it differs from a webhook delivery key made from the same id.
    /// </summary>
    public static long EndpointRegistration(Guid agencyId) => WebhookDelivery(agencyId) ^ unchecked((long)0x7272_0000_0000_0000UL);

    /// <summary>One delivery's lock (one attempt at a time): the two halves of its id folded into one key.</summary>
    public static long WebhookDelivery(Guid deliveryId)
    {
        Span<byte> bytes = stackalloc byte[16];
        deliveryId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }

    /// <summary>
    /// Waits for session-level lock <paramref name="key"/> on <paramref name="connection"/> and holds it until the result is
    /// disposed (or the connection closes): for start-up work that several processes must do one at a time.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldAsync(NpgsqlConnection connection, long key, CancellationToken ct)
    {
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = key });
            await take.ExecuteNonQueryAsync(ct);
        }

        return new Held(connection, key);
    }

    private sealed class Held(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            release.Parameters.Add(new NpgsqlParameter { Value = key });
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
