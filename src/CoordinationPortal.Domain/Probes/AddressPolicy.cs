using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CoordinationPortal.Domain.Probes;

/// <summary>What kind of destination an address is, for deciding whether the portal may connect to it.</summary>
public enum AddressClass
{
    Public,
    Loopback,
    LinkLocal,
    CloudMetadata,
    Private,

    /// <summary>100.64.0.0/10, carrier-grade NAT.</summary>
    SharedAddressSpace,
    Unspecified,
    Multicast,
    Broadcast,
    Reserved,
    Documentation,
}

/// <summary>
/// Whether a probe may connect to an address. <see cref="Address"/> is the address as classified: an IPv4-mapped
/// IPv6 address is given as its IPv4 address. <see cref="AllowedBy"/> is the allowlist entry that let a
/// non-public address through, null otherwise. <see cref="RefusedPort"/> is set when an allowlist entry covers the
/// address but none opens that port.
/// </summary>
public sealed record AddressDecision(bool Allowed, AddressClass Class, IPAddress Address, IPNetwork? AllowedBy, int? RefusedPort = null);

/// <summary>The error codes <see cref="AddressPolicy.TryParseAllowlistEntry"/> gives.</summary>
public static class AllowlistEntryErrors
{
    /// <summary>Nothing but whitespace.</summary>
    public const string Empty = "empty";

    /// <summary>The address is not a plain IPv4 dotted quad or IPv6 address (no octal, hex, short forms or zone).</summary>
    public const string InvalidAddress = "invalid_address";

    /// <summary>The prefix length is not a number from 0 to 32 (IPv4) or 128 (IPv6).</summary>
    public const string InvalidPrefix = "invalid_prefix";

    /// <summary>The address has bits set beyond the prefix, as in 10.0.0.1/8: probably not what was meant.</summary>
    public const string HostBitsSet = "host_bits_set";

    /// <summary>The network is too broad to be a deliberate exception.</summary>
    public const string TooBroad = "too_broad";

    /// <summary>The ports after the network are not <c>*</c> or a list of ports and ranges from 1 to 65535.</summary>
    public const string InvalidPorts = "invalid_ports";
}

/// <summary>
/// The portal connects to addresses that admins type in, so it must not become a way into the networks it runs
/// in (server-side request forgery). Public addresses are allowed; internal ones only where an admin has
/// allowlisted a network containing them; a few never.
/// </summary>
public static class AddressPolicy
{
    /// <summary>The shortest IPv4 prefix an allowlist entry may have (10.0.0.0/8 is accepted, 8.0.0.0/7 is not).</summary>
    public const int MinIPv4AllowlistPrefix = 8;

    /// <summary>The shortest IPv6 prefix an allowlist entry may have.</summary>
    public const int MinIPv6AllowlistPrefix = 16;

    private static readonly IPAddress[] CloudMetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, GCP, Azure, OpenStack, Oracle… instance metadata
        IPAddress.Parse("169.254.170.2"), // AWS ECS task metadata and credentials
        IPAddress.Parse("169.254.170.23"), // AWS EKS Pod Identity agent
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("168.63.129.16"), // Azure wire server
        IPAddress.Parse("fd00:ec2::254"), // AWS IMDS over IPv6
    ];

    public static AddressClass Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Normalise(address);

        foreach (var metadata in CloudMetadataAddresses)
        {
            // Compare bytes: IPAddress.Equals also compares the IPv6 zone, which must not let fd00:ec2::254%1 slip by.
            if (metadata.AddressFamily == address.AddressFamily && metadata.GetAddressBytes().AsSpan().SequenceEqual(address.GetAddressBytes()))
            {
                return AddressClass.CloudMetadata;
            }
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ClassifyV6(address.GetAddressBytes()),
            _ => throw new ArgumentException($"Not an IP address: {address.AddressFamily}.", nameof(address)),
        };
    }

    /// <summary>
    /// Public addresses are allowed. Unspecified, multicast and broadcast addresses are always refused. The rest are
    /// refused unless a network on the allowlist contains them; a cloud metadata address needs an entry for exactly
    /// that address (/32 or /128), so that allowlisting a link-local range does not open instance credentials.
    /// Every port of an allowlisted network is open here; the connect-time check uses the overload with ports.
    /// </summary>
    public static AddressDecision Check(IPAddress address, IReadOnlyList<IPNetwork> allowlist)
    {
        ArgumentNullException.ThrowIfNull(allowlist);
        return Check(address, null, allowlist.Select(AllowlistRule.AnyPort).ToList());
    }

    /// <summary>
    /// As <see cref="Check(IPAddress, IReadOnlyList{IPNetwork})"/>, and a non-public address is allowed only on a port its
    /// allowlist entry opens (<see cref="AllowlistRule.Ports"/>; an entry without ports opens 80 and 443 only). A
    /// <paramref name="port"/> of null is not checked. A refusal for the port alone names it in
    /// <see cref="AddressDecision.RefusedPort"/>.
    /// </summary>
    public static AddressDecision Check(IPAddress address, int? port, IReadOnlyList<AllowlistRule> allowlist)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(allowlist);

        var normalised = Normalise(address);
        var addressClass = Classify(normalised);

        if (addressClass == AddressClass.Public)
        {
            return new AddressDecision(true, addressClass, normalised, null);
        }

        if (addressClass is AddressClass.Unspecified or AddressClass.Multicast or AddressClass.Broadcast)
        {
            return new AddressDecision(false, addressClass, normalised, null);
        }

        var addressAllowed = false;
        foreach (var rule in allowlist)
        {
            var network = Normalise(rule.Network);
            if (network.BaseAddress.AddressFamily != normalised.AddressFamily || !network.Contains(normalised))
            {
                continue;
            }

            var single = network.PrefixLength == (normalised.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            if (addressClass != AddressClass.CloudMetadata || single)
            {
                if (port is not { } p || rule.Ports.Contains(p))
                {
                    return new AddressDecision(true, addressClass, normalised, rule.Network);
                }

                addressAllowed = true;
            }
        }

        return new AddressDecision(false, addressClass, normalised, null, addressAllowed ? port : null);
    }

    /// <summary>
    /// Reads an admin's allowlist entry: a network in CIDR notation ("10.20.0.0/16", "fd00:1234::/32") or a single
    /// address ("127.77.0.1", taken as /32 or /128). Surrounding whitespace is ignored. IPv4 must be four decimal
    /// octets without leading zeros: "10/8", "010.0.0.1" and "0x7f.1" are refused rather than guessed at. An
    /// IPv4-mapped IPv6 entry (::ffff:a.b.c.d/96 or longer) becomes the IPv4 network it maps. On failure,
    /// <paramref name="error"/> is one of <see cref="AllowlistEntryErrors"/>.
    /// </summary>
    public static bool TryParseAllowlistEntry(string text, out IPNetwork network, out string? error)
    {
        network = default;
        error = null;

        if (string.IsNullOrWhiteSpace(text))
        {
            error = AllowlistEntryErrors.Empty;
            return false;
        }

        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? trimmed : trimmed[..slash];

        if (!TryParseStrictAddress(addressText, out var address))
        {
            error = AllowlistEntryErrors.InvalidAddress;
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = trimmed.AsSpan(slash + 1);
            if (prefixText.Length is 0 or > 3
                || prefixText.ContainsAnyExceptInRange('0', '9')
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
                || prefix > maxPrefix)
            {
                error = AllowlistEntryErrors.InvalidPrefix;
                return false;
            }
        }

        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }

        if (HasHostBits(address.GetAddressBytes(), prefix))
        {
            error = AllowlistEntryErrors.HostBitsSet;
            return false;
        }

        var minPrefix = address.AddressFamily == AddressFamily.InterNetwork ? MinIPv4AllowlistPrefix : MinIPv6AllowlistPrefix;
        if (prefix < minPrefix)
        {
            error = AllowlistEntryErrors.TooBroad;
            return false;
        }

        network = new IPNetwork(address, prefix);
        return true;
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPNetwork Normalise(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
            : network;

    private static AddressClass ClassifyV4(byte[] b)
    {
        var a = ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];

        static bool In(uint address, uint network, int prefix) =>
            prefix == 0 || (address >> (32 - prefix)) == (network >> (32 - prefix));

        return a switch
        {
            0 => AddressClass.Unspecified,
            0xFFFF_FFFF => AddressClass.Broadcast,
            _ when In(a, 0x0000_0000, 8) => AddressClass.Reserved, // "this network"
            _ when In(a, 0x7F00_0000, 8) => AddressClass.Loopback, // 127/8
            _ when In(a, 0xA9FE_0000, 16) => AddressClass.LinkLocal, // 169.254/16
            _ when In(a, 0x0A00_0000, 8) => AddressClass.Private, // 10/8
            _ when In(a, 0xAC10_0000, 12) => AddressClass.Private, // 172.16/12
            _ when In(a, 0xC0A8_0000, 16) => AddressClass.Private, // 192.168/16
            _ when In(a, 0x6440_0000, 10) => AddressClass.SharedAddressSpace, // 100.64/10
            _ when In(a, 0xC000_0200, 24) => AddressClass.Documentation, // 192.0.2/24 TEST-NET-1
            _ when In(a, 0xC633_6400, 24) => AddressClass.Documentation, // 198.51.100/24 TEST-NET-2
            _ when In(a, 0xCB00_7100, 24) => AddressClass.Documentation, // 203.0.113/24 TEST-NET-3
            _ when In(a, 0xC000_0000, 24) => AddressClass.Reserved, // 192.0.0/24 IETF protocol assignments
            _ when In(a, 0xC612_0000, 15) => AddressClass.Reserved, // 198.18/15 benchmarking
            _ when In(a, 0xE000_0000, 4) => AddressClass.Multicast, // 224/4
            _ when In(a, 0xF000_0000, 4) => AddressClass.Reserved, // 240/4
            _ => AddressClass.Public,
        };
    }

    private static AddressClass ClassifyV6(byte[] b)
    {
        var bytes = b.AsSpan();

        if (bytes[..15].IndexOfAnyExcept((byte)0) < 0)
        {
            return bytes[15] switch
            {
                0 => AddressClass.Unspecified,
                1 => AddressClass.Loopback,
                _ => AddressClass.Reserved, // deprecated IPv4-compatible ::a.b.c.d
            };
        }

        // 64:ff9b::/96, the well-known NAT64 prefix: the last 32 bits are the IPv4 destination, metadata included.
        if (bytes[..12].SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]))
        {
            return Classify(new IPAddress(b[12..]));
        }

        // 2002::/16, 6to4: bits 16–47 are an IPv4 address, and an internal one there is treated as that internal
        // address. The special-use-only classes become Reserved: 2002:0:0:: is not itself "unspecified".
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return Classify(new IPAddress(b[2..6])) switch
            {
                AddressClass.Unspecified or AddressClass.Broadcast or AddressClass.Multicast => AddressClass.Reserved,
                var embedded => embedded,
            };
        }

        return bytes switch
        {
            [0xff, ..] => AddressClass.Multicast, // ff00::/8
            [0xfe, >= 0x80 and <= 0xbf, ..] => AddressClass.LinkLocal, // fe80::/10
            [0xfc or 0xfd, ..] => AddressClass.Private, // fc00::/7 unique local
            [0x20, 0x01, 0x0d, 0xb8, ..] => AddressClass.Documentation, // 2001:db8::/32
            [0x3f, 0xff, < 0x10, ..] => AddressClass.Documentation, // 3fff::/20
            [0x20, 0x01, 0x00 or 0x01, ..] => AddressClass.Reserved, // 2001::/23 IETF protocol assignments, Teredo
            [>= 0x20 and <= 0x3f, ..] => AddressClass.Public, // 2000::/3 global unicast
            _ => AddressClass.Reserved, // everything else: NAT64 local use, discard-only, site-local, unassigned
        };
    }

    private static bool HasHostBits(byte[] bytes, int prefix)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsInThisByte = Math.Clamp(prefix - (i * 8), 0, 8);
            var hostMask = (byte)(0xFF >> bitsInThisByte);
            if ((bytes[i] & hostMask) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseStrictAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;

        if (text.Contains(':', StringComparison.Ordinal))
        {
            // IPv6: no zone (%eth0), no brackets, no whitespace.
            if (text.AsSpan().ContainsAny("%[] \t") || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var octets = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3
                || part.AsSpan().ContainsAnyExceptInRange('0', '9')
                || (part.Length > 1 && part[0] == '0')
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out octets[i]))
            {
                return false;
            }
        }

        address = new IPAddress(octets);
        return true;
    }
}
