using System.Security.Cryptography;
using System.Text;

namespace CoordinationPortal.Domain;

/// <summary>
/// Name-based UUIDs (version 5, RFC 9562): the same namespace and name give the same id in every process, so a decider
/// or an evaluation can name what it creates without randomness.
/// </summary>
public static class StableIds
{
    public static Guid For(Guid @namespace, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        Span<byte> input = stackalloc byte[16 + bytes.Length];
        @namespace.TryWriteBytes(input[..16], bigEndian: true, out _);
        bytes.CopyTo(input[16..]);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 specifies for version-5 UUIDs; this is an identifier, not a signature.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
