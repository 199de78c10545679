using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>Agencies and people joining and leaving a group, with dates and history kept.</summary>
public sealed class MembershipTests
{
    private static readonly DateOnly JoinedOn = new(2025, 9, 1);
    private static readonly DateOnly LeftOn = new(2025, 12, 31);

    private static AgencyJoinedGroup HealthJoined(DateOnly? on = null) => new(GroupId, Health, on ?? JoinedOn, Admin, At(2025, 9, 1));

    private static AgencyLeftGroup HealthLeft(DateOnly? on = null) => new(GroupId, Health, on ?? LeftOn, Admin, At(2025, 12, 31));

    // Agencies

    [Fact]
    public void an_agency_joins_on_the_date_given() =>
        Groups.Given(Formed())
            .When(new AddMemberAgency(GroupId, Health, true, JoinedOn, Admin, Now))
            .Then(new AgencyJoinedGroup(GroupId, Health, JoinedOn, Admin, Now));

    [Fact]
    public void an_agency_that_does_not_exist_cannot_join() =>
        Groups.Given(Formed())
            .When(new AddMemberAgency(GroupId, Stranger, false, JoinedOn, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.UnknownAgency", "agencyId"));

    [Fact]
    public void an_agency_already_a_member_joining_again_records_nothing() =>
        Groups.Given(Formed())
            .When(new AddMemberAgency(GroupId, Meity, true, Today, Admin, Now))
            .ThenNothingHappens();

    [Fact]
    public void an_agency_leaves_on_the_date_given_and_its_history_is_kept()
    {
        Groups.Given(Formed(), HealthJoined())
            .When(new RemoveMemberAgency(GroupId, Health, LeftOn, Admin, Now))
            .Then(new AgencyLeftGroup(GroupId, Health, LeftOn, Admin, Now));

        var group = WorkingGroup.Fold([Formed(), HealthJoined(), HealthLeft()])!;
        Assert.DoesNotContain(Health, group.MemberAgencies);
        Assert.False(group.HasMemberAgency(Health));
        Assert.Contains(new AgencyMembership(Health, JoinedOn, LeftOn), group.AgencyHistory);
    }

    [Fact]
    public void an_agency_may_leave_on_the_day_it_joined() =>
        Groups.Given(Formed(), HealthJoined())
            .When(new RemoveMemberAgency(GroupId, Health, JoinedOn, Admin, Now))
            .Then(new AgencyLeftGroup(GroupId, Health, JoinedOn, Admin, Now));

    [Fact]
    public void an_agency_cannot_leave_before_it_joined() =>
        Groups.Given(Formed(), HealthJoined())
            .When(new RemoveMemberAgency(GroupId, Health, JoinedOn.AddDays(-1), Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.LeftBeforeJoined", "on"));

    [Fact]
    public void an_agency_that_is_not_a_member_cannot_leave() =>
        Groups.Given(Formed())
            .When(new RemoveMemberAgency(GroupId, Health, Today, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.AgencyNotMember", "agencyId"));

    [Fact]
    public void an_agency_that_has_left_cannot_leave_again() =>
        Groups.Given(Formed(), HealthJoined(), HealthLeft())
            .When(new RemoveMemberAgency(GroupId, Health, Today, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.AgencyNotMember", "agencyId"));

    [Fact]
    public void an_agency_that_rejoins_has_a_new_period_beside_the_old_one()
    {
        var rejoinedOn = new DateOnly(2026, 2, 1);
        Groups.Given(Formed(), HealthJoined(), HealthLeft())
            .When(new AddMemberAgency(GroupId, Health, true, rejoinedOn, Admin, Now))
            .Then(new AgencyJoinedGroup(GroupId, Health, rejoinedOn, Admin, Now));

        var group = WorkingGroup.Fold([Formed(), HealthJoined(), HealthLeft(), new AgencyJoinedGroup(GroupId, Health, rejoinedOn, Admin, Now)])!;
        Assert.Equal(
            [new AgencyMembership(Health, JoinedOn, LeftOn), new AgencyMembership(Health, rejoinedOn, null)],
            group.AgencyHistory.Where(m => m.AgencyId == Health));
        Assert.True(group.HasMemberAgency(Health));
        Assert.Equal([Meity, Niti, Health], group.MemberAgencies);
    }

    [Fact]
    public void leaving_after_a_rejoin_closes_only_the_new_period()
    {
        var rejoinedOn = new DateOnly(2026, 2, 1);
        var group = WorkingGroup.Fold(
        [
            Formed(), HealthJoined(), HealthLeft(), new AgencyJoinedGroup(GroupId, Health, rejoinedOn, Admin, Now),
            new AgencyLeftGroup(GroupId, Health, Today, Admin, Now),
        ])!;

        Assert.Equal(
            [new AgencyMembership(Health, JoinedOn, LeftOn), new AgencyMembership(Health, rejoinedOn, Today)],
            group.AgencyHistory.Where(m => m.AgencyId == Health));
    }

    [Fact]
    public void a_rejoined_agency_leaving_is_checked_against_its_latest_join() =>
        Groups.Given(Formed(), HealthJoined(), HealthLeft(), new AgencyJoinedGroup(GroupId, Health, new DateOnly(2026, 2, 1), Admin, Now))
            .When(new RemoveMemberAgency(GroupId, Health, new DateOnly(2026, 1, 15), Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.LeftBeforeJoined", "on"));

    // People

    [Fact]
    public void a_person_joins_by_their_lowercase_name_in_a_role_for_a_member_agency() =>
        Groups.Given(Formed())
            .When(new AddPerson(GroupId, "  Meera.Iyer@MeitY.gov.in ", GroupRole.Chair, Meity, JoinedOn, Admin, Now))
            .Then(new PersonJoinedGroup(GroupId, Chair, GroupRole.Chair, Meity, JoinedOn, Admin, Now));

    [Fact]
    public void a_person_may_join_for_no_agency() =>
        Groups.Given(Formed())
            .When(new AddPerson(GroupId, Observer, GroupRole.Observer, null, JoinedOn, Admin, Now))
            .Then(new PersonJoinedGroup(GroupId, Observer, GroupRole.Observer, null, JoinedOn, Admin, Now));

    [Fact]
    public void a_person_cannot_join_for_an_agency_that_is_not_a_member() =>
        Groups.Given(Formed())
            .When(new AddPerson(GroupId, Member, GroupRole.Member, Health, JoinedOn, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.AgencyNotMember", "agencyId"));

    [Fact]
    public void a_person_cannot_join_for_an_agency_that_has_left() =>
        Groups.Given(Formed(), HealthJoined(), HealthLeft())
            .When(new AddPerson(GroupId, Member, GroupRole.Member, Health, Today, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.AgencyNotMember", "agencyId"));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void a_person_needs_a_name(string? person) =>
        Groups.Given(Formed())
            .When(new AddPerson(GroupId, person!, GroupRole.Member, null, JoinedOn, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", "person"));

    [Fact]
    public void a_person_name_has_a_length_limit() =>
        Groups.Given(Formed())
            .When(new AddPerson(GroupId, Text(WorkingGroupDecider.MaxNameLength + 1), GroupRole.Member, null, JoinedOn, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.TextTooLong", "person"));

    [Fact]
    public void an_unknown_role_is_refused_with_everything_else_wrong() =>
        Groups.Given(Formed())
            .When(new AddPerson(GroupId, " ", (GroupRole)7, Stranger, JoinedOn, Admin, Now))
            .ThenRefused(
                new DomainError("WorkingGroup.TextRequired", "person"),
                new DomainError("WorkingGroup.RoleUnknown", "role"),
                new DomainError("WorkingGroup.AgencyNotMember", "agencyId"));

    [Fact]
    public void a_person_in_the_same_role_for_the_same_agency_joining_again_records_nothing_whatever_the_case() =>
        Groups.Given(Formed(), Joined(Chair, GroupRole.Chair, Meity))
            .When(new AddPerson(GroupId, "MEERA.IYER@meity.gov.in", GroupRole.Chair, Meity, Today, Admin, Now))
            .ThenNothingHappens();

    [Fact]
    public void a_new_role_is_recorded_as_joining_in_that_role() =>
        Groups.Given(Formed(), Joined(Member, GroupRole.Member, Niti))
            .When(new AddPerson(GroupId, Member, GroupRole.Secretary, Niti, Today, Admin, Now))
            .Then(new PersonJoinedGroup(GroupId, Member, GroupRole.Secretary, Niti, Today, Admin, Now));

    [Fact]
    public void the_same_role_for_another_agency_is_a_change() =>
        Groups.Given(Formed(), Joined(Member, GroupRole.Member, Niti))
            .When(new AddPerson(GroupId, Member, GroupRole.Member, Meity, Today, Admin, Now))
            .Then(new PersonJoinedGroup(GroupId, Member, GroupRole.Member, Meity, Today, Admin, Now));

    [Fact]
    public void a_change_of_role_closes_the_old_period_on_the_day_the_new_one_opens()
    {
        var group = WorkingGroup.Fold([Formed(), Joined(Member, GroupRole.Member, Niti, JoinedOn), Joined(Member, GroupRole.Secretary, Niti, Today)])!;

        Assert.Equal(
            [new PersonMembership(Member, GroupRole.Member, Niti, JoinedOn, Today), new PersonMembership(Member, GroupRole.Secretary, Niti, Today, null)],
            group.PeopleHistory);
        Assert.Equal([new PersonMembership(Member, GroupRole.Secretary, Niti, Today, null)], group.People);
        Assert.Equal(GroupRole.Secretary, group.RoleOf(Member));
    }

    [Fact]
    public void a_change_of_role_cannot_be_dated_before_the_current_role_began() =>
        Groups.Given(Formed(), Joined(Member, GroupRole.Member, Niti, JoinedOn))
            .When(new AddPerson(GroupId, Member, GroupRole.Chair, Niti, JoinedOn.AddDays(-1), Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.LeftBeforeJoined", "on"));

    [Fact]
    public void a_person_leaves_by_their_name_in_any_case() =>
        Groups.Given(Formed(), Joined(Chair, GroupRole.Chair, Meity))
            .When(new RemovePerson(GroupId, " Meera.IYER@meity.gov.in", Today, Admin, Now))
            .Then(new PersonLeftGroup(GroupId, Chair, Today, Admin, Now));

    [Fact]
    public void a_person_cannot_leave_before_they_joined() =>
        Groups.Given(Formed(), Joined(Chair, GroupRole.Chair, Meity, JoinedOn))
            .When(new RemovePerson(GroupId, Chair, JoinedOn.AddDays(-1), Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.LeftBeforeJoined", "on"));

    [Fact]
    public void a_person_not_in_the_group_cannot_leave() =>
        Groups.Given(Formed(), Joined(Chair, GroupRole.Chair, Meity))
            .When(new RemovePerson(GroupId, Member, Today, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.PersonNotInGroup", "person"));

    [Fact]
    public void a_person_who_left_is_no_longer_in_the_group_but_their_history_is_kept()
    {
        var group = WorkingGroup.Fold([Formed(), Joined(Chair, GroupRole.Chair, Meity, JoinedOn), new PersonLeftGroup(GroupId, Chair, LeftOn, Admin, Now)])!;

        Assert.Null(group.RoleOf(Chair));
        Assert.Empty(group.People);
        Assert.Equal([new PersonMembership(Chair, GroupRole.Chair, Meity, JoinedOn, LeftOn)], group.PeopleHistory);
        Groups.Given(Formed(), Joined(Chair, GroupRole.Chair, Meity, JoinedOn), new PersonLeftGroup(GroupId, Chair, LeftOn, Admin, Now))
            .When(new RemovePerson(GroupId, Chair, Today, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.PersonNotInGroup", "person"));
    }

    [Fact]
    public void a_person_who_left_may_join_again_in_a_new_period() =>
        Groups.Given(Formed(), Joined(Chair, GroupRole.Chair, Meity, JoinedOn), new PersonLeftGroup(GroupId, Chair, LeftOn, Admin, Now))
            .When(new AddPerson(GroupId, Chair, GroupRole.Chair, Meity, Today, Admin, Now))
            .Then(new PersonJoinedGroup(GroupId, Chair, GroupRole.Chair, Meity, Today, Admin, Now));

    [Theory]
    [InlineData("meera.iyer@meity.gov.in")]
    [InlineData("Meera.Iyer@MeitY.GOV.IN")]
    [InlineData("  MEERA.IYER@MEITY.GOV.IN\t")]
    public void the_role_of_a_person_is_found_whatever_the_case(string name) =>
        Assert.Equal(GroupRole.Chair, WorkingGroup.Fold([Formed(), Joined(Chair, GroupRole.Chair, Meity)])!.RoleOf(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("someone.else@meity.gov.in")]
    public void no_one_else_has_a_role(string? name) =>
        Assert.Null(WorkingGroup.Fold([Formed(), Joined(Chair, GroupRole.Chair, Meity)])!.RoleOf(name));
}
