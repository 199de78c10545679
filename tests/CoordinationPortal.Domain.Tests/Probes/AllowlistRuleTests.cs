using System.Net;
using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

/// <summary>Allowlist entries with ports: an entry opens the ports it names, and only 80 and 443 when it names none.</summary>
public sealed class AllowlistRuleTests
{
    private static AllowlistRule Rule(string text)
    {
        Assert.True(AllowlistRule.TryParse(text, out var rule, out var error), error);
        return rule;
    }

    private static bool Allowed(string address, int port, params string[] entries) =>
        AddressPolicy.Check(IPAddress.Parse(address), port, entries.Select(Rule).ToList()).Allowed;

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData(" 10.0.0.0/8:8000-8100 ", "10.0.0.0/8:8000-8100")]
    [InlineData("127.77.0.1:5091", "127.77.0.1/32:5091")]
    [InlineData("10.1.2.3/32:*", "10.1.2.3/32:*")]
    [InlineData("10.1.2.3:1-65535", "10.1.2.3/32:*")]
    [InlineData("10.1.2.3:8443,443,8000-8100", "10.1.2.3/32:443,8000-8100,8443")]
    [InlineData("10.1.2.3:80,443", "10.1.2.3/32")]
    [InlineData("fd00::/32", "fd00::/32")]
    [InlineData("[fd00::]/32:443", "[fd00::]/32:443")]
    [InlineData("[fd00::/32]:443", "[fd00::]/32:443")]
    [InlineData("[fd00::1]:8000", "[fd00::1]/128:8000")]
    public void entries_are_read_and_written_back_in_one_canonical_form(string text, string canonical) =>
        Assert.Equal(canonical, Rule(text).ToString());

    [Theory]
    [InlineData("10.0.0.0/8:", AllowlistEntryErrors.InvalidPorts)]
    [InlineData("10.0.0.0/8:0", AllowlistEntryErrors.InvalidPorts)]
    [InlineData("10.0.0.0/8:65536", AllowlistEntryErrors.InvalidPorts)]
    [InlineData("10.0.0.0/8:8100-8000", AllowlistEntryErrors.InvalidPorts)]
    [InlineData("10.0.0.0/8:08080", AllowlistEntryErrors.InvalidPorts)]
    [InlineData("10.0.0.0/8:http", AllowlistEntryErrors.InvalidPorts)]
    [InlineData("10.0.0.0/8:-5", AllowlistEntryErrors.InvalidPorts)]
    [InlineData("10.0.0.1/8:443", AllowlistEntryErrors.HostBitsSet)]
    [InlineData("0.0.0.0/0:443", AllowlistEntryErrors.TooBroad)]
    [InlineData("[fd00::1:443", AllowlistEntryErrors.InvalidAddress)]
    [InlineData("gpu.internal:443", AllowlistEntryErrors.InvalidAddress)]
    public void malformed_entries_are_refused_with_their_reason(string text, string expected)
    {
        Assert.False(AllowlistRule.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(80, true)]
    [InlineData(443, true)]
    [InlineData(8000, false)]
    [InlineData(5432, false)]
    [InlineData(6379, false)]
    public void an_entry_without_ports_opens_only_the_default_web_ports(int port, bool allowed) =>
        Assert.Equal(allowed, Allowed("10.20.3.4", port, "10.20.0.0/16"));

    [Theory]
    [InlineData(8000, true)]
    [InlineData(8100, true)]
    [InlineData(8101, false)]
    [InlineData(443, false)]
    public void an_entry_with_a_range_opens_that_range_only(int port, bool allowed) =>
        Assert.Equal(allowed, Allowed("10.20.3.4", port, "10.0.0.0/8:8000-8100"));

    [Fact]
    public void several_entries_for_one_address_add_up() =>
        Assert.True(Allowed("10.20.3.4", 9000, "10.0.0.0/8:8000-8100", "10.20.3.4:9000"));

    [Fact]
    public void a_refusal_for_the_port_alone_names_the_port()
    {
        var decision = AddressPolicy.Check(IPAddress.Parse("10.20.3.4"), 5432, [Rule("10.0.0.0/8:8000")]);
        Assert.False(decision.Allowed);
        Assert.Equal(5432, decision.RefusedPort);

        var outside = AddressPolicy.Check(IPAddress.Parse("192.168.1.1"), 5432, [Rule("10.0.0.0/8:8000")]);
        Assert.False(outside.Allowed);
        Assert.Null(outside.RefusedPort);
    }

    [Fact]
    public void public_addresses_are_not_limited_by_the_allowlist_ports() =>
        Assert.True(Allowed("8.8.8.8", 5432));

    [Fact]
    public void a_metadata_address_still_needs_its_own_entry_whatever_the_ports()
    {
        Assert.False(Allowed("169.254.169.254", 80, "169.254.0.0/16:*"));
        Assert.True(Allowed("169.254.169.254", 80, "169.254.169.254/32"));
    }
}
