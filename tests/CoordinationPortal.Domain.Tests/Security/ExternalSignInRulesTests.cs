using CoordinationPortal.Domain.Security;

namespace CoordinationPortal.Domain.Tests.Security;

public sealed class ExternalSignInRulesTests
{
    [Theory]
    [InlineData(AccountStanding.Active, AccountStanding.None, false, ExternalSignInOutcome.SignIn)]
    [InlineData(AccountStanding.Disabled, AccountStanding.Active, true, ExternalSignInOutcome.Disabled)]
    [InlineData(AccountStanding.AwaitingApproval, AccountStanding.Active, true, ExternalSignInOutcome.StillAwaitingApproval)]
    [InlineData(AccountStanding.None, AccountStanding.Active, true, ExternalSignInOutcome.LinkInvitedAndSignIn)]
    [InlineData(AccountStanding.None, AccountStanding.Disabled, true, ExternalSignInOutcome.Disabled)]
    public void a_linked_or_invited_verified_identity_signs_in_unless_the_account_may_not(
        AccountStanding linked, AccountStanding invited, bool verified, ExternalSignInOutcome expected) =>
        Assert.Equal(expected, ExternalSignInRules.Decide(linked, invited, verified));

    [Theory]
    [InlineData(AccountStanding.Active)] // invited, but the provider did not verify the e-mail
    [InlineData(AccountStanding.None)] // not invited
    [InlineData(AccountStanding.Disabled)]
    public void an_unverified_email_never_links_and_only_waits_for_approval(AccountStanding invited) =>
        Assert.Equal(ExternalSignInOutcome.CreatePendingAccount, ExternalSignInRules.Decide(AccountStanding.None, invited, emailVerified: false));

    [Fact]
    public void no_invitation_makes_an_account_waiting_for_approval_even_with_a_verified_email() =>
        Assert.Equal(ExternalSignInOutcome.CreatePendingAccount, ExternalSignInRules.Decide(AccountStanding.None, AccountStanding.None, emailVerified: true));

    [Theory]
    [InlineData(true, "mfa")]
    [InlineData(true, "pwd", "otp")]
    [InlineData(true, "PWD", "hwk")]
    [InlineData(true, "hwk", "fpt")]
    [InlineData(false, "pwd")]
    [InlineData(false, "otp")]
    [InlineData(false, "hwk", "user")]
    [InlineData(false, "pwd", "pin")]
    [InlineData(false)]
    public void multi_factor_is_mfa_or_two_kinds_of_method(bool expected, params string[] amr) =>
        Assert.Equal(expected, ExternalSignInRules.ReportsMultiFactor(amr));

    [Theory]
    [InlineData(false, true, true)] // a provider sign-in never bypasses the second factor set up in the portal
    [InlineData(true, true, false)] // the provider's own second factor counts
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    public void a_provider_that_reported_one_factor_leads_to_the_portals_second_step_when_it_is_on(
        bool providerReportedMultiFactor, bool localTwoFactorEnabled, bool expected) =>
        Assert.Equal(expected, ExternalSignInRules.AsksLocalSecondFactor(providerReportedMultiFactor, localTwoFactorEnabled));
}
