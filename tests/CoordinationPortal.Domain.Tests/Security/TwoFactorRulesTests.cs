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
}
