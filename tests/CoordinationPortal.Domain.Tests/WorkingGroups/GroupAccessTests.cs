using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>Who may read and manage a group, read its minutes, and update its action items.</summary>
public sealed class GroupAccessTests
{
    private const string FormerChair = "old.chair@meity.gov.in";
    private const string Viewer = "priya.viewer@example.in";
    private static readonly IReadOnlySet<Guid> NoAgencies = new HashSet<Guid>();

    private static readonly WorkingGroup Group = WorkingGroup.Fold(
    [
        Formed(),
        new AgencyJoinedGroup(GroupId, Health, new DateOnly(2025, 9, 1), Admin, At(2025, 9, 1)),
        new AgencyLeftGroup(GroupId, Health, new DateOnly(2025, 12, 31), Admin, At(2025, 12, 31)),
        Joined(FormerChair, GroupRole.Chair, Meity),
        new PersonLeftGroup(GroupId, FormerChair, new DateOnly(2025, 12, 1), Admin, At(2025, 12, 1)),
        Joined(Chair, GroupRole.Chair, Meity, new DateOnly(2025, 12, 1)),
        Joined(Secretary, GroupRole.Secretary, Meity),
        Joined(Member, GroupRole.Member, Niti),
        Joined(Observer, GroupRole.Observer),
    ])!;

    private static readonly ActionItem MeityItem = ActionItem.Fold([ItemRecorded()])!;

    private static Reader Person(string name, bool admin = false, params Guid[] leads) => new(name, admin, leads.ToHashSet());

    private static GroupSession SessionIn(params object[] after) => GroupSession.Fold([Scheduled(), Started(), .. after])!;

    [Fact]
    public void an_admin_reads_and_manages_every_group_without_being_in_it() =>
        Assert.Equal(new GroupAccess(ReadsAll: true, Manages: true), GroupAccess.For(Group, Person(Admin, admin: true)));

    [Theory]
    [InlineData(Chair)]
    [InlineData(Secretary)]
    [InlineData("MEERA.IYER@MeitY.gov.in")]
    public void the_chair_and_the_secretary_read_and_manage(string name) =>
        Assert.Equal(new GroupAccess(ReadsAll: true, Manages: true), GroupAccess.For(Group, Person(name)));

    [Theory]
    [InlineData(Member)]
    [InlineData(Observer)]
    public void members_and_observers_read_everything_but_do_not_manage(string name) =>
        Assert.Equal(new GroupAccess(ReadsAll: true, Manages: false), GroupAccess.For(Group, Person(name)));

    [Fact]
    public void the_lead_of_a_member_agency_reads_everything_but_does_not_manage() =>
        Assert.Equal(new GroupAccess(ReadsAll: true, Manages: false), GroupAccess.For(Group, Person(Lead, leads: Niti)));

    [Fact]
    public void the_lead_of_an_agency_that_has_left_no_longer_reads_everything() =>
        Assert.Equal(new GroupAccess(ReadsAll: false, Manages: false), GroupAccess.For(Group, Person(Lead, leads: Health)));

    [Fact]
    public void a_viewer_with_no_role_and_no_member_agency_reads_only_what_is_public() =>
        Assert.Equal(new GroupAccess(ReadsAll: false, Manages: false), GroupAccess.For(Group, Person(Viewer, leads: Stranger)));

    [Fact]
    public void a_person_who_left_the_group_loses_their_access() =>
        Assert.Equal(new GroupAccess(ReadsAll: false, Manages: false), GroupAccess.For(Group, Person(FormerChair)));

    [Fact]
    public void an_anonymous_reader_has_no_access() =>
        Assert.Equal(new GroupAccess(ReadsAll: false, Manages: false), GroupAccess.For(Group, Reader.Anonymous));

    [Fact]
    public void a_viewer_reads_approved_minutes_and_their_amendments_but_no_draft()
    {
        var viewer = GroupAccess.For(Group, Person(Viewer));

        Assert.False(viewer.MayReadMinutes(SessionIn()));
        Assert.False(viewer.MayReadMinutes(SessionIn(Drafted())));
        Assert.True(viewer.MayReadMinutes(SessionIn(Drafted(), Approved())));
        Assert.True(viewer.MayReadMinutes(SessionIn(Drafted(), Approved(), new MinutesAmended(SessionId, 1, "Fix.", "Typo.", Chair, Now))));
    }

    [Theory]
    [InlineData(Member)]
    [InlineData(Observer)]
    [InlineData(Chair)]
    public void people_of_the_group_read_draft_minutes(string name) =>
        Assert.True(GroupAccess.For(Group, Person(name)).MayReadMinutes(SessionIn(Drafted())));

    [Fact]
    public void the_lead_of_the_agency_that_owns_an_item_may_update_it()
    {
        var lead = Person(Lead, leads: Meity);

        Assert.True(GroupAccess.For(Group, lead).MayUpdate(MeityItem, lead));
    }

    [Fact]
    public void the_lead_of_another_agency_may_not_update_it()
    {
        var lead = Person(Lead, leads: Niti);

        Assert.False(GroupAccess.For(Group, lead).MayUpdate(MeityItem, lead));
    }

    [Theory]
    [InlineData(Chair)]
    [InlineData(Secretary)]
    public void managers_may_update_any_item(string name)
    {
        var manager = Person(name);

        Assert.True(GroupAccess.For(Group, manager).MayUpdate(MeityItem, manager));
    }

    [Fact]
    public void an_admin_may_update_any_item()
    {
        var admin = Person(Admin, admin: true);

        Assert.True(GroupAccess.For(Group, admin).MayUpdate(MeityItem, admin));
    }

    [Theory]
    [InlineData(Member)]
    [InlineData(Observer)]
    [InlineData(Viewer)]
    [InlineData(FormerChair)]
    public void others_may_not_update_an_item(string name)
    {
        var reader = Person(name, leads: Stranger);

        Assert.False(GroupAccess.For(Group, reader).MayUpdate(MeityItem, reader));
    }
}
