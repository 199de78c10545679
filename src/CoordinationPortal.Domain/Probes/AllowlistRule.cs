using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CoordinationPortal.Domain.Probes;

/// <summary>A range of TCP ports, both ends included.</summary>
public readonly record struct PortRange(int From, int To)
{
    public bool Contains(int port) => port >= From && port <= To;

    public override string ToString() => From == To
        ? From.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{From}-{To}");
}

/// <summary>The ports an allowlist entry opens: ranges in order, or every port.</summary>
public sealed class PortSet : IEquatable<PortSet>
{
    public const int MaxItems = 16;

    private PortSet(IReadOnlyList<PortRange> ranges) => Ranges = ranges;

    public IReadOnlyList<PortRange> Ranges { get; }

    /// <summary>An entry written without ports: HTTP's and HTTPS's default ports only.</summary>
    public static PortSet Default { get; } = new([new(80, 80), new(443, 443)]);

    /// <summary>Written <c>*</c>: every port, stated on purpose.</summary>
    public static PortSet Any { get; } = new([new(1, 65535)]);

    public bool IsAny => Ranges is [{ From: 1, To: 65535 }];

    public bool Contains(int port) => Ranges.Any(r => r.Contains(port));

    /// <summary>
    /// Reads <c>*</c>, or ports and ranges separated by commas (<c>443</c>, <c>8000-8100</c>, <c>80,443,8000-8100</c>),
    /// each a plain decimal number from 1 to 65535, a range's first not above its last, at most <see cref="MaxItems"/>.
    /// </summary>
    public static bool TryParse(string text, out PortSet ports)
    {
        ports = Default;
        var trimmed = text.Trim();
        if (trimmed == "*")
        {
            ports = Any;
            return true;
        }

        var items = trimmed.Split(',');
        if (trimmed.Length == 0 || items.Length > MaxItems)
        {
            return false;
        }

        var ranges = new List<PortRange>(items.Length);
        foreach (var item in items)
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            var fromText = dash < 0 ? item : item[..dash];
            var toText = dash < 0 ? item : item[(dash + 1)..];
            if (!TryPort(fromText.Trim(), out var from) || !TryPort(toText.Trim(), out var to) || from > to)
            {
                return false;
            }

            ranges.Add(new PortRange(from, to));
        }

        ports = new PortSet(ranges.OrderBy(r => r.From).ThenBy(r => r.To).Distinct().ToList());
        if (ports.IsAny)
        {
            ports = Any;
        }

        return true;
    }

    private static bool TryPort(string text, out int port)
    {
        port = 0;
        return text.Length is > 0 and <= 5 && !text.AsSpan().ContainsAnyExceptInRange('0', '9') && text[0] != '0'
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
    }

    public override string ToString() => IsAny ? "*" : string.Join(',', Ranges);

    public bool Equals(PortSet? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as PortSet);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}

/// <summary>
/// One allowlist entry: a network probes and webhooks may reach although it is internal, and the ports they may reach
/// on it. Written <c>10.0.0.0/8:8000-8100</c>, <c>127.77.0.1:5091</c>, <c>10.1.2.3/32:*</c>,
/// <c>[fd00::]/32:443</c> (IPv6 with ports in brackets). An entry without ports — <c>10.0.0.0/8</c> — opens the default
/// web ports 80 and 443 only: an inference server on any other port needs its port written out, so allowing a subnet
/// does not open its databases, caches and admin consoles.
/// </summary>
public sealed record AllowlistRule(IPNetwork Network, PortSet Ports)
{
    public static AllowlistRule AnyPort(IPNetwork network) => new(network, PortSet.Any);

    /// <summary>Whether ports were written (the text form shows them), as opposed to the default web ports.</summary>
    public bool PortsWritten => !ReferenceEquals(Ports, PortSet.Default) && !Ports.Equals(PortSet.Default);

    /// <summary>
    /// Reads an entry: the network as <see cref="AddressPolicy.TryParseAllowlistEntry"/> reads it, then optionally
    /// <c>:</c> and the ports as <see cref="PortSet.TryParse"/> reads them. An IPv6 network takes ports only when its
    /// address is in brackets (<c>[fd00::1]:443</c>, <c>[fd00::]/32:443</c>, <c>[fd00::/32]:443</c>). On failure,
    /// <paramref name="error"/> is one of <see cref="AllowlistEntryErrors"/>.
    /// </summary>
    public static bool TryParse(string? text, out AllowlistRule rule, out string? error)
    {
        rule = new AllowlistRule(new IPNetwork(IPAddress.None, 32), PortSet.Default);
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = AllowlistEntryErrors.Empty;
            return false;
        }

        var trimmed = text.Trim();
        string networkText;
        string? portsText = null;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = AllowlistEntryErrors.InvalidAddress;
                return false;
            }

            var rest = trimmed[(close + 1)..];
            var inner = trimmed[1..close];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            networkText = inner + (colon < 0 ? rest : rest[..colon]);
            portsText = colon < 0 ? null : rest[(colon + 1)..];
        }
        else if (trimmed.Count(c => c == ':') == 1)
        {
            // IPv4 with ports (an IPv6 address always has two colons or more).
            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            networkText = trimmed[..colon];
            portsText = trimmed[(colon + 1)..];
        }
        else
        {
            networkText = trimmed;
        }

        if (!AddressPolicy.TryParseAllowlistEntry(networkText, out var network, out error))
        {
            return false;
        }

        var ports = PortSet.Default;
        if (portsText is not null && !PortSet.TryParse(portsText, out ports))
        {
            error = AllowlistEntryErrors.InvalidPorts;
            return false;
        }

        rule = new AllowlistRule(network, ports);
        return true;
    }

    /// <summary>The canonical text: <c>10.0.0.0/8</c>, <c>10.0.0.0/8:8000-8100</c>, <c>[fd00::]/32:443</c>.</summary>
    public override string ToString()
    {
        if (!PortsWritten)
        {
            return Network.ToString();
        }

        var text = new StringBuilder();
        if (Network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6)
        {
            text.Append('[').Append(Network.BaseAddress).Append("]/").Append(Network.PrefixLength.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            text.Append(Network);
        }

        return text.Append(':').Append(Ports).ToString();
    }
}
