using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Forum;

namespace CoordinationPortal.Domain.Tests.Forum;

/// <summary>When a screen link may be created, and when a presented one opens the screen.</summary>
public sealed class ScreenLinkRulesTests
{
    private static readonly Guid Session = Guid.Parse("8e0f4b1c-6f0a-4c56-9b0d-3f1c2a7d9e01");
    private static readonly Guid OtherSession = Guid.Parse("1b7d2c3e-0a4f-4d8e-8c6b-5a9e0f1d2c03");
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.FromHours(5.5));

    private static ScreenLink Link(DateTimeOffset? expires = null, DateTimeOffset? revoked = null, Guid? session = null) => new()
    {
        Id = Guid.NewGuid(),
        SessionId = session ?? Session,
        GroupId = Guid.NewGuid(),
        Label = "Committee room TV",
        CreatedBy = "chair@meity.gov.in",
        CreatedAt = Now.AddHours(-1),
        ExpiresAt = expires ?? Now.AddHours(11),
        RevokedAt = revoked,
        RevokedBy = revoked is null ? null : "secretary@meity.gov.in",
    };

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(ScreenLinkRules.MaxHours)]
    public void a_link_lives_from_an_hour_to_a_week(int hours) => Assert.Empty(ScreenLinkRules.Check("TV", hours));

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(ScreenLinkRules.MaxHours + 1)]
    public void a_life_outside_that_is_refused_on_its_field(int hours) =>
        Assert.Equal([new DomainError("ScreenLink.HoursOutOfRange", "expiresInHours")], ScreenLinkRules.Check(null, hours));

    [Fact]
    public void a_label_is_at_most_eighty_characters_after_trimming()
    {
        Assert.Empty(ScreenLinkRules.Check("  " + new string('x', 80) + "  ", 4));
        Assert.Equal([new DomainError("ScreenLink.LabelTooLong", "label")], ScreenLinkRules.Check(new string('x', 81), 4));
    }

    [Fact]
    public void a_live_link_for_this_session_opens_it()
    {
        var link = Link();
        Assert.Null(ScreenLinkRules.Judge(link, Session, link.ExpiresAt, Session, Now));
    }

    [Fact]
    public void an_unknown_link_is_invalid() => Assert.Equal(ScreenDenial.LinkInvalid, ScreenLinkRules.Judge(null, Session, Now.AddHours(1), Session, Now));

    [Fact]
    public void another_sessions_link_is_invalid_here_whichever_part_names_the_other_session()
    {
        var theirs = Link(session: OtherSession);
        Assert.Equal(ScreenDenial.LinkInvalid, ScreenLinkRules.Judge(theirs, OtherSession, theirs.ExpiresAt, Session, Now));
        var ours = Link();
        Assert.Equal(ScreenDenial.LinkInvalid, ScreenLinkRules.Judge(ours, OtherSession, ours.ExpiresAt, Session, Now));
    }

    [Fact]
    public void a_revoked_link_says_so_even_before_it_would_expire()
    {
        var link = Link(revoked: Now.AddMinutes(-5));
        Assert.Equal(ScreenDenial.LinkRevoked, ScreenLinkRules.Judge(link, Session, link.ExpiresAt, Session, Now));
    }

    [Fact]
    public void a_link_expires_at_its_stored_time_or_its_signed_time_whichever_comes_first()
    {
        var stored = Link(expires: Now);
        Assert.Equal(ScreenDenial.LinkExpired, ScreenLinkRules.Judge(stored, Session, Now.AddHours(5), Session, Now));
        var signed = Link();
        Assert.Equal(ScreenDenial.LinkExpired, ScreenLinkRules.Judge(signed, Session, Now.AddSeconds(-1), Session, Now));
        Assert.Null(ScreenLinkRules.Judge(signed, Session, Now.AddSeconds(1), Session, Now));
    }

    [Fact]
    public void is_live_follows_revocation_and_expiry()
    {
        Assert.True(Link().IsLive(Now));
        Assert.False(Link(expires: Now).IsLive(Now));
        Assert.False(Link(revoked: Now.AddHours(-1)).IsLive(Now));
    }
}
