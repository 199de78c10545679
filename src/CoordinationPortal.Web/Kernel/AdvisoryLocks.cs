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

    /// <summary>One delivery's lock (one attempt at a time): the two halves of its id folded into one key.</summary>
    public static long WebhookDelivery(Guid deliveryId)
    {
        Span<byte> bytes = stackalloc byte[16];
        deliveryId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }
}
