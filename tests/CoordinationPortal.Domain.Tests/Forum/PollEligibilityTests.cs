using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.Tests.WorkingGroups;
using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Domain.Tests.Forum;

/// <summary>Who votes in a group's polls, and for which agencies; the short code's alphabet; the tally's percentages.</summary>
public sealed class PollEligibilityTests
{
    private static WorkingGroup Group() => Wg.Groups.Given(
        Wg.Formed(),
        Wg.Joined(Wg.Chair, GroupRole.Chair),
        Wg.Joined(Wg.Secretary, GroupRole.Secretary),
        Wg.Joined(Wg.Member, GroupRole.Member, Wg.Niti),
        Wg.Joined(Wg.Observer, GroupRole.Observer, Wg.Meity)).State!;

    private static Reader Person(string name, params Guid[] leads) => new(name, false, leads.ToHashSet());

    [Fact]
    public void chair_secretary_and_members_vote_observers_do_not()
    {
        var group = Group();
        Assert.True(PollEligibility.For(group, Person(Wg.Chair)).Eligible);
        Assert.True(PollEligibility.For(group, Person(Wg.Secretary)).Eligible);
        Assert.Equal([Wg.Niti], PollEligibility.For(group, Person(Wg.Member)).Agencies);
        Assert.False(PollEligibility.For(group, Person(Wg.Observer)).Eligible);
        Assert.False(PollEligibility.For(group, new Reader(Wg.Admin, true, new HashSet<Guid>())).Eligible);
    }

    [Fact]
    public void leads_of_member_agencies_vote_for_the_member_agencies_they_lead()
    {
        var group = Group();
        var voter = PollEligibility.For(group, Person(Wg.Lead, Wg.Meity, Wg.Health));
        Assert.True(voter.Eligible);
        Assert.Equal([Wg.Meity], voter.Agencies);
        Assert.False(PollEligibility.For(group, Person("someone@else.in", Wg.Health)).Eligible);
        // An observer who leads a member agency votes as its lead.
        Assert.Equal([Wg.Meity], PollEligibility.For(group, Person(Wg.Observer, Wg.Meity)).Agencies);
    }

    [Fact]
    public void short_codes_avoid_look_alikes_and_read_typed_codes_loosely()
    {
        for (var i = 0; i < 200; i++)
        {
            var code = PollCode.New();
            Assert.True(PollCode.IsWellFormed(code), code);
            Assert.DoesNotContain(code, c => "0O1IL".Contains(c));
        }

        Assert.Equal("ABC234", PollCode.Normalize(" abc 234 "));
        Assert.Equal("ABC234", PollCode.Normalize("abc-234"));
        Assert.Null(PollCode.Normalize("ABC10O"));
        Assert.Null(PollCode.Normalize("ABC23"));
        Assert.Equal("ABC 234", PollCode.Display("ABC234"));
    }

    [Fact]
    public void the_tally_gives_whole_percentages_and_none_for_an_empty_poll()
    {
        var count = new PollOptionCount("yes", "Yes", 1);
        Assert.Equal(33, count.Percent(3));
        Assert.Equal(0, count.Percent(0));
    }
}
