using System.Net;
using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class AddressPolicyTests
{
    private static AddressClass Classify(string address) => AddressPolicy.Classify(IPAddress.Parse(address));

    private static IPNetwork Entry(string text)
    {
        Assert.True(AddressPolicy.TryParseAllowlistEntry(text, out var network, out var error), error);
        return network;
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("9.255.255.255")] // just below 10/8
    [InlineData("11.0.0.0")] // just above 10/8
    [InlineData("172.15.255.255")] // just below 172.16/12
    [InlineData("172.32.0.0")] // just above 172.16/12
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("100.63.255.255")] // just below 100.64/10
    [InlineData("100.128.0.0")] // just above 100.64/10
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("198.17.255.255")] // just below 198.18/15
    [InlineData("198.20.0.0")] // just above 198.18/15
    [InlineData("223.255.255.255")] // just below 224/4
    [InlineData("192.0.3.0")]
    [InlineData("203.0.114.1")]
    [InlineData("168.63.129.17")] // next to the Azure wire server
    [InlineData("1.0.0.0")] // just above 0/8
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2001:db9::1")] // just above 2001:db8::/32
    [InlineData("2002:0808:0808::1")] // 6to4 of 8.8.8.8
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    public void public_addresses_are_public(string address) => Assert.Equal(AddressClass.Public, Classify(address));

    [Theory]
    [InlineData("127.0.0.1", AddressClass.Loopback)]
    [InlineData("127.255.255.254", AddressClass.Loopback)]
    [InlineData("::1", AddressClass.Loopback)]
    [InlineData("169.254.0.1", AddressClass.LinkLocal)]
    [InlineData("169.254.255.255", AddressClass.LinkLocal)]
    [InlineData("fe80::1", AddressClass.LinkLocal)]
    [InlineData("febf:ffff::1", AddressClass.LinkLocal)]
    [InlineData("10.0.0.0", AddressClass.Private)]
    [InlineData("10.255.255.255", AddressClass.Private)]
    [InlineData("172.16.0.0", AddressClass.Private)]
    [InlineData("172.31.255.255", AddressClass.Private)]
    [InlineData("192.168.0.1", AddressClass.Private)]
    [InlineData("192.168.255.255", AddressClass.Private)]
    [InlineData("fc00::1", AddressClass.Private)]
    [InlineData("fd12:3456:789a::1", AddressClass.Private)]
    [InlineData("100.64.0.0", AddressClass.SharedAddressSpace)]
    [InlineData("100.127.255.255", AddressClass.SharedAddressSpace)]
    [InlineData("0.0.0.0", AddressClass.Unspecified)]
    [InlineData("::", AddressClass.Unspecified)]
    [InlineData("0.0.0.1", AddressClass.Reserved)]
    [InlineData("0.255.255.255", AddressClass.Reserved)]
    [InlineData("224.0.0.1", AddressClass.Multicast)]
    [InlineData("239.255.255.255", AddressClass.Multicast)]
    [InlineData("ff02::1", AddressClass.Multicast)]
    [InlineData("255.255.255.255", AddressClass.Broadcast)]
    [InlineData("240.0.0.0", AddressClass.Reserved)]
    [InlineData("255.255.255.254", AddressClass.Reserved)]
    [InlineData("198.18.0.0", AddressClass.Reserved)]
    [InlineData("198.19.255.255", AddressClass.Reserved)]
    [InlineData("192.0.0.8", AddressClass.Reserved)]
    [InlineData("192.0.2.1", AddressClass.Documentation)]
    [InlineData("198.51.100.255", AddressClass.Documentation)]
    [InlineData("203.0.113.7", AddressClass.Documentation)]
    [InlineData("2001:db8::1", AddressClass.Documentation)]
    [InlineData("2001:db8:ffff::1", AddressClass.Documentation)]
    [InlineData("3fff:fff::1", AddressClass.Documentation)]
    [InlineData("2001:0:4136:e378::1", AddressClass.Reserved)] // Teredo
    [InlineData("64:ff9b:1::a00:1", AddressClass.Reserved)] // NAT64 local use
    [InlineData("::7f00:1", AddressClass.Reserved)] // deprecated IPv4-compatible
    [InlineData("fec0::1", AddressClass.Reserved)] // deprecated site-local
    [InlineData("100::1", AddressClass.Reserved)] // discard-only
    [InlineData("4000::1", AddressClass.Reserved)] // outside 2000::/3
    public void internal_and_special_addresses_are_classified(string address, AddressClass expected) =>
        Assert.Equal(expected, Classify(address));

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.170.2")]
    [InlineData("169.254.170.23")]
    [InlineData("100.100.100.200")]
    [InlineData("fd00:ec2::254")]
    [InlineData("168.63.129.16")]
    public void cloud_metadata_addresses_are_recognised_before_the_range_they_sit_in(string address) =>
        Assert.Equal(AddressClass.CloudMetadata, Classify(address));

    [Theory]
    [InlineData("::ffff:127.0.0.1", AddressClass.Loopback)]
    [InlineData("::ffff:10.1.2.3", AddressClass.Private)]
    [InlineData("::ffff:169.254.169.254", AddressClass.CloudMetadata)]
    [InlineData("::ffff:8.8.8.8", AddressClass.Public)]
    [InlineData("::ffff:0.0.0.0", AddressClass.Unspecified)]
    [InlineData("::ffff:255.255.255.255", AddressClass.Broadcast)]
    public void ipv4_mapped_ipv6_addresses_are_classified_as_their_ipv4_address(string address, AddressClass expected) =>
        Assert.Equal(expected, Classify(address));

    [Theory]
    [InlineData("64:ff9b::7f00:1", AddressClass.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressClass.CloudMetadata)]
    [InlineData("64:ff9b::c0a8:101", AddressClass.Private)]
    [InlineData("64:ff9b::6440:1", AddressClass.SharedAddressSpace)]
    [InlineData("64:ff9b::ffff:ffff", AddressClass.Broadcast)]
    public void nat64_addresses_are_classified_by_the_embedded_ipv4_address(string address, AddressClass expected) =>
        Assert.Equal(expected, Classify(address));

    [Theory]
    [InlineData("2002:7f00:1::", AddressClass.Loopback)]
    [InlineData("2002:a9fe:a9fe::1", AddressClass.CloudMetadata)]
    [InlineData("2002:a00:1::1", AddressClass.Private)]
    [InlineData("2002::1", AddressClass.Reserved)] // embeds 0.0.0.0, which is not itself unspecified
    public void six_to_four_addresses_embedding_an_internal_address_are_that_internal_address(string address, AddressClass expected) =>
        Assert.Equal(expected, Classify(address));

    [Fact]
    public void a_zone_on_an_ipv6_address_changes_nothing()
    {
        Assert.Equal(AddressClass.LinkLocal, Classify("fe80::1%2"));
        Assert.Equal(AddressClass.CloudMetadata, Classify("fd00:ec2::254%3"));
    }

    [Fact]
    public void a_public_address_is_allowed_without_any_allowlist()
    {
        var decision = AddressPolicy.Check(IPAddress.Parse("8.8.4.4"), []);

        Assert.Equal(new AddressDecision(true, AddressClass.Public, IPAddress.Parse("8.8.4.4"), null), decision);
    }

    [Theory]
    [InlineData("127.0.0.1", AddressClass.Loopback)]
    [InlineData("::1", AddressClass.Loopback)]
    [InlineData("169.254.1.1", AddressClass.LinkLocal)]
    [InlineData("169.254.169.254", AddressClass.CloudMetadata)]
    [InlineData("10.1.2.3", AddressClass.Private)]
    [InlineData("fd00::5", AddressClass.Private)]
    [InlineData("100.64.1.1", AddressClass.SharedAddressSpace)]
    [InlineData("192.0.2.10", AddressClass.Documentation)]
    [InlineData("240.1.1.1", AddressClass.Reserved)]
    [InlineData("0.0.0.0", AddressClass.Unspecified)]
    [InlineData("224.0.0.251", AddressClass.Multicast)]
    [InlineData("255.255.255.255", AddressClass.Broadcast)]
    public void every_non_public_address_is_refused_without_an_allowlist(string address, AddressClass expected)
    {
        var decision = AddressPolicy.Check(IPAddress.Parse(address), []);

        Assert.False(decision.Allowed);
        Assert.Equal(expected, decision.Class);
        Assert.Null(decision.AllowedBy);
    }

    [Fact]
    public void an_allowlisted_loopback_address_allows_that_address_only()
    {
        IPNetwork[] allowlist = [Entry("127.77.0.1/32")];

        var allowed = AddressPolicy.Check(IPAddress.Parse("127.77.0.1"), allowlist);

        Assert.True(allowed.Allowed);
        Assert.Equal(AddressClass.Loopback, allowed.Class);
        Assert.Equal(allowlist[0], allowed.AllowedBy);
        Assert.False(AddressPolicy.Check(IPAddress.Parse("127.77.0.2"), allowlist).Allowed);
        Assert.False(AddressPolicy.Check(IPAddress.Parse("127.0.0.1"), allowlist).Allowed);
        Assert.False(AddressPolicy.Check(IPAddress.Parse("::1"), allowlist).Allowed);
    }

    [Fact]
    public void an_allowlisted_private_network_allows_its_addresses_up_to_its_edges()
    {
        IPNetwork[] allowlist = [Entry("10.20.0.0/16")];

        Assert.True(AddressPolicy.Check(IPAddress.Parse("10.20.0.0"), allowlist).Allowed);
        Assert.True(AddressPolicy.Check(IPAddress.Parse("10.20.255.255"), allowlist).Allowed);
        Assert.False(AddressPolicy.Check(IPAddress.Parse("10.19.255.255"), allowlist).Allowed);
        Assert.False(AddressPolicy.Check(IPAddress.Parse("10.21.0.0"), allowlist).Allowed);
    }

    [Fact]
    public void the_first_allowlist_entry_containing_the_address_is_reported()
    {
        IPNetwork[] allowlist = [Entry("192.168.0.0/16"), Entry("10.0.0.0/8"), Entry("10.1.0.0/16")];

        Assert.Equal(allowlist[1], AddressPolicy.Check(IPAddress.Parse("10.1.2.3"), allowlist).AllowedBy);
    }

    [Fact]
    public void a_mapped_address_is_checked_against_ipv4_entries_and_reported_as_ipv4()
    {
        var decision = AddressPolicy.Check(IPAddress.Parse("::ffff:10.20.1.1"), [Entry("10.20.0.0/16")]);

        Assert.True(decision.Allowed);
        Assert.Equal(IPAddress.Parse("10.20.1.1"), decision.Address);
    }

    [Fact]
    public void a_mapped_allowlist_entry_built_elsewhere_still_matches_the_ipv4_address()
    {
        var mapped = IPNetwork.Parse("::ffff:10.20.0.0/112");

        Assert.True(AddressPolicy.Check(IPAddress.Parse("10.20.3.4"), [mapped]).Allowed);
        Assert.False(AddressPolicy.Check(IPAddress.Parse("10.21.3.4"), [mapped]).Allowed);
    }

    [Fact]
    public void an_ipv6_allowlist_entry_allows_unique_local_addresses_inside_it()
    {
        IPNetwork[] allowlist = [Entry("fd00:1234::/32")];

        Assert.True(AddressPolicy.Check(IPAddress.Parse("fd00:1234::10"), allowlist).Allowed);
        Assert.False(AddressPolicy.Check(IPAddress.Parse("fd00:1235::10"), allowlist).Allowed);
    }

    [Fact]
    public void a_metadata_address_is_not_opened_by_allowlisting_the_range_around_it()
    {
        IPNetwork[] allowlist = [Entry("169.254.0.0/16"), Entry("169.254.169.0/24"), Entry("100.64.0.0/10")];

        var metadata = AddressPolicy.Check(IPAddress.Parse("169.254.169.254"), allowlist);
        var alibaba = AddressPolicy.Check(IPAddress.Parse("100.100.100.200"), allowlist);

        Assert.False(metadata.Allowed);
        Assert.Equal(AddressClass.CloudMetadata, metadata.Class);
        Assert.False(alibaba.Allowed);
        Assert.True(AddressPolicy.Check(IPAddress.Parse("169.254.169.253"), allowlist).Allowed);
    }

    [Fact]
    public void a_metadata_address_is_allowed_when_it_is_allowlisted_exactly()
    {
        var entry = Entry("169.254.169.254");

        var decision = AddressPolicy.Check(IPAddress.Parse("169.254.169.254"), [entry]);

        Assert.True(decision.Allowed);
        Assert.Equal(AddressClass.CloudMetadata, decision.Class);
        Assert.Equal(entry, decision.AllowedBy);
        Assert.False(AddressPolicy.Check(IPAddress.Parse("168.63.129.16"), [entry]).Allowed);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("ff02::1")]
    public void unspecified_multicast_and_broadcast_are_refused_even_when_allowlisted(string address)
    {
        var ip = IPAddress.Parse(address);
        var exact = new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);

        Assert.False(AddressPolicy.Check(ip, [exact]).Allowed);
    }

    [Theory]
    [InlineData("10.20.0.0/16", "10.20.0.0", 16)]
    [InlineData("127.77.0.1/32", "127.77.0.1", 32)]
    [InlineData("127.77.0.1", "127.77.0.1", 32)]
    [InlineData("10.0.0.0/8", "10.0.0.0", 8)]
    [InlineData("  192.168.1.0/24 ", "192.168.1.0", 24)]
    [InlineData("fd00:1234::/32", "fd00:1234::", 32)]
    [InlineData("fd00::/16", "fd00::", 16)]
    [InlineData("::1", "::1", 128)]
    [InlineData("fd00:ec2::254", "fd00:ec2::254", 128)]
    [InlineData("::ffff:10.20.0.0/112", "10.20.0.0", 16)]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1", 32)]
    public void an_allowlist_entry_is_read_as_cidr_or_as_a_single_address(string text, string baseAddress, int prefix)
    {
        Assert.True(AddressPolicy.TryParseAllowlistEntry(text, out var network, out var error));

        Assert.Null(error);
        Assert.Equal(IPAddress.Parse(baseAddress), network.BaseAddress);
        Assert.Equal(prefix, network.PrefixLength);
    }

    [Theory]
    [InlineData("", AllowlistEntryErrors.Empty)]
    [InlineData("   ", AllowlistEntryErrors.Empty)]
    [InlineData("not-an-address", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("10/8", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("10.1/16", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("010.0.0.0/8", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("0x7f.0.0.1", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("256.0.0.0/8", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("10.0.0.0.0/8", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("fe80::%eth0/64", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("[::1]/128", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("example.com/32", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("10.0.0.0/", AllowlistEntryErrors.InvalidPrefix)]
    [InlineData("10.0.0.0/33", AllowlistEntryErrors.InvalidPrefix)]
    [InlineData("10.0.0.0/-8", AllowlistEntryErrors.InvalidPrefix)]
    [InlineData("10.0.0.0/+8", AllowlistEntryErrors.InvalidPrefix)]
    [InlineData("10.0.0.0/ 8", AllowlistEntryErrors.InvalidPrefix)]
    [InlineData("10.0.0.0/8/8", AllowlistEntryErrors.InvalidPrefix)]
    [InlineData("fd00::/129", AllowlistEntryErrors.InvalidPrefix)]
    [InlineData("10.0.0.1/8", AllowlistEntryErrors.HostBitsSet)]
    [InlineData("10.21.0.0/15", AllowlistEntryErrors.HostBitsSet)]
    [InlineData("192.168.1.1/24", AllowlistEntryErrors.HostBitsSet)]
    [InlineData("fd00::1/64", AllowlistEntryErrors.HostBitsSet)]
    [InlineData("0.0.0.0/0", AllowlistEntryErrors.TooBroad)]
    [InlineData("8.0.0.0/7", AllowlistEntryErrors.TooBroad)]
    [InlineData("::/0", AllowlistEntryErrors.TooBroad)]
    [InlineData("fc00::/7", AllowlistEntryErrors.TooBroad)]
    [InlineData("fd00::/15", AllowlistEntryErrors.TooBroad)]
    [InlineData("::ffff:0.0.0.0/96", AllowlistEntryErrors.TooBroad)]
    public void an_allowlist_entry_that_is_not_a_deliberate_network_is_refused_with_a_reason(string text, string expected)
    {
        Assert.False(AddressPolicy.TryParseAllowlistEntry(text, out _, out var error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void the_broadest_allowed_entries_are_slash_8_for_ipv4_and_slash_16_for_ipv6()
    {
        Assert.True(AddressPolicy.TryParseAllowlistEntry("10.0.0.0/8", out _, out _));
        Assert.False(AddressPolicy.TryParseAllowlistEntry("10.0.0.0/7", out _, out _));
        Assert.True(AddressPolicy.TryParseAllowlistEntry("fd00::/16", out _, out _));
        Assert.False(AddressPolicy.TryParseAllowlistEntry("fd00::/8", out _, out _));
    }
}
