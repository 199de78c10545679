using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>Membership periods never overlap; a vote lists each option once; an initiative id is used once.</summary>
public sealed class PeriodsAndDuplicatesTests
{
    private static readonly DateOnly LeftOn = new(2026, 1, 31);

    [Fact]
    public void an_agency_cannot_rejoin_before_the_day_it_left() =>
        Groups.Given(Formed(), new AgencyLeftGroup(GroupId, Niti, LeftOn, Admin, At(2026, 1, 31)))
            .When(new AddMemberAgency(GroupId, Niti, true, LeftOn.AddDays(-1), Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.JoinedBeforeLeft", "on"));

    [Fact]
    public void an_agency_may_rejoin_on_the_day_it_left() =>
        Groups.Given(Formed(), new AgencyLeftGroup(GroupId, Niti, LeftOn, Admin, At(2026, 1, 31)))
            .When(new AddMemberAgency(GroupId, Niti, true, LeftOn, Admin, Now))
            .Then(new AgencyJoinedGroup(GroupId, Niti, LeftOn, Admin, Now));

    [Fact]
    public void a_person_cannot_rejoin_before_the_day_they_left() =>
        Groups.Given(Formed(), Joined(Member, GroupRole.Member), new PersonLeftGroup(GroupId, Member, LeftOn, Admin, At(2026, 1, 31)))
            .When(new AddPerson(GroupId, Member, GroupRole.Observer, null, LeftOn.AddDays(-1), Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.JoinedBeforeLeft", "on"));

    [Fact]
    public void a_vote_that_lists_an_option_twice_is_refused_whatever_the_case() =>
        Groups.Given(Formed())
            .When(new RecordDecision(
                GroupId, new LocalizedText("Adopt the shared GPU pool.", "साझा जीपीयू पूल अपनाएँ।"), null, false, DecisionBasis.Vote,
                [new VoteCount("Yes", 7), new VoteCount(" yes ", 2), new VoteCount("No", 1)], [], [], [], null, null, Chair, Now))
            .ThenRefused(new DomainError("Decision.CountsInvalid", "counts"));

    [Fact]
    public void an_initiative_id_already_used_is_refused_so_a_retry_adds_nothing()
    {
        var id = Guid.Parse("c0ffee00-1234-4abc-9def-000000000042");
        var title = new LocalizedText("Data at level 3 by March", "मार्च तक डेटा स्तर 3 पर");
        Groups.Given(Formed(), new InitiativeLaunched(GroupId, id, title, [Layer.Data], 3, new DateOnly(2026, 12, 31), Chair, At(2026, 1, 5)))
            .When(new LaunchInitiative(GroupId, id, title, [Layer.Data], 3, new DateOnly(2026, 12, 31), Chair, Now))
            .ThenRefused(new DomainError("Initiative.AlreadyLaunched"));
    }
}
