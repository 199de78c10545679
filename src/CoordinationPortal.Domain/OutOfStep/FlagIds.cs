using System.Security.Cryptography;
using System.Text;

namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// The id of a flag is a name-based UUID (version 5) of agency, rule and subject: every evaluation, in any process,
/// finds the same stream for the same condition.
/// </summary>
public static class FlagIds
{
    private static readonly Guid Namespace = new("5b0f3a8e-6f0c-4d5e-9d8a-1f2c3b4a5d6e");

    public static Guid For(Guid agencyId, string ruleId, string subject)
    {
        var name = Encoding.UTF8.GetBytes($"{agencyId:N}/{ruleId}/{subject}");
        Span<byte> input = stackalloc byte[16 + name.Length];
        Namespace.TryWriteBytes(input[..16], bigEndian: true, out _);
        name.CopyTo(input[16..]);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 specifies for version-5 UUIDs; this is an identifier, not a signature.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
