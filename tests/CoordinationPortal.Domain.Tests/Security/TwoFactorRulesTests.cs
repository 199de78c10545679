using CoordinationPortal.Domain.Security;

namespace CoordinationPortal.Domain.Tests.Security;

public sealed class TwoFactorRulesTests
{
    private static readonly string[] AdminsOnly = ["Admin"];

    [Fact]
    public void nobody_needs_a_second_factor_when_no_role_is_listed() =>
        Assert.False(TwoFactorRules.MustEnrol(["Admin"], [], []));

    [Fact]
    public void a_listed_role_without_a_second_factor_must_enrol_and_may_not_turn_it_off()
    {
        Assert.True(TwoFactorRules.MustEnrol(["Viewer", "admin"], ["pwd"], AdminsOnly));
        Assert.False(TwoFactorRules.MayDisable(["Admin"], AdminsOnly));
        Assert.True(TwoFactorRules.MayDisable(["AgencyLead"], AdminsOnly));
    }

    [Fact]
    public void amr_mfa_from_the_second_step_or_an_identity_provider_satisfies_the_requirement()
    {
        Assert.False(TwoFactorRules.MustEnrol(["Admin"], ["pwd", "mfa"], AdminsOnly));
        Assert.False(TwoFactorRules.MustEnrol(["Member"], [], AdminsOnly));
    }

    [Theory]
    [InlineData("123456", SecondFactorKind.Authenticator, "123456")]
    [InlineData(" 123 456 ", SecondFactorKind.Authenticator, "123456")]
    [InlineData("123-456", SecondFactorKind.Authenticator, "123456")]
    [InlineData("abcde-23456", SecondFactorKind.Recovery, "ABCDE-23456")]
    [InlineData("ABCDE 23456", SecondFactorKind.Recovery, "ABCDE23456")]
    [InlineData("", SecondFactorKind.None, "")]
    [InlineData("<script>", SecondFactorKind.None, "")]
    public void a_typed_code_is_read_as_an_app_code_or_a_recovery_code(string typed, SecondFactorKind kind, string code) =>
        Assert.Equal(new SecondFactorInput(kind, code), TwoFactorRules.Read(typed));

    [Fact]
    public void an_absurdly_long_input_is_no_code() =>
        Assert.Equal(SecondFactorKind.None, TwoFactorRules.Read(new string('1', 65)).Kind);

    [Fact]
    public void the_key_is_shown_in_groups_of_four_and_the_app_address_names_issuer_and_account()
    {
        Assert.Equal("abcd efgh ij", TwoFactorRules.FormatKey("ABCDEFGHIJ"));
        Assert.Equal(
            "otpauth://totp/CoordinationPortal:lead%40portal.local?secret=ABCDEFGH&issuer=CoordinationPortal&digits=6&period=30",
            TwoFactorRules.AuthenticatorUri("CoordinationPortal", "lead@portal.local", "abcd efgh"));
    }

    private static readonly DateTimeOffset Accepted = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("d1", 0, true)] // the same code at once
    [InlineData("d1", 299, true)] // still within the window in which it could be valid
    [InlineData("d1", 300, false)] // long past any window: a code that comes round again later is a new code
    [InlineData("d2", 10, false)] // another code
    public void an_accepted_code_is_spent_for_five_minutes(string digest, int secondsLater, bool spent) =>
        Assert.Equal(spent, TwoFactorRules.IsSpent(TwoFactorRules.SpentCodeMarker("d1", Accepted), digest, Accepted.AddSeconds(secondsLater)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("d1")]
    [InlineData("d1@")]
    [InlineData("d1@-5")]
    [InlineData("d1@12@3")]
    [InlineData("d1@soon")]
    public void no_or_an_unreadable_marker_spends_nothing(string? marker) =>
        Assert.False(TwoFactorRules.IsSpent(marker, "d1", Accepted));
}
