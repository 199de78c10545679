using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>Forming a working group and changing its details, Given/When/Then through <see cref="WorkingGroupDecider"/>.</summary>
public sealed class FormingTests
{
    private static FormWorkingGroup Form(
        LocalizedText? name = null, LocalizedText? purpose = null, IReadOnlyList<Guid>? members = null, IReadOnlySet<Guid>? known = null,
        ForumKind kind = ForumKind.National) =>
        new(GroupId, name ?? Name, purpose ?? Purpose, kind, members ?? [Meity, Niti], known ?? Known, Admin, Now);

    private static LocalizedText With(LocalizedText text, string language, string? value) =>
        language == "en" ? text with { En = value! } : text with { Hi = value! };

    [Fact]
    public void a_group_is_formed_today_with_its_texts_trimmed_and_its_member_agencies()
    {
        var outcome = Groups.Given()
            .When(Form(new LocalizedText("  " + Name.En + " ", Name.Hi + "\n"), new LocalizedText(Purpose.En, " " + Purpose.Hi)));

        outcome.Then(new WorkingGroupFormed(GroupId, Name, Purpose, ForumKind.National, [Meity, Niti], Today, Admin, Now));
    }

    [Fact]
    public void the_formed_group_has_its_member_agencies_each_from_the_day_it_was_formed()
    {
        var group = WorkingGroup.Fold([Formed()])!;

        Assert.Equal([Meity, Niti], group.MemberAgencies);
        Assert.All(group.AgencyHistory, m => Assert.Equal(new AgencyMembership(m.AgencyId, FormedOn, null), m));
        Assert.Equal(1, group.Version);
        Assert.Empty(group.People);
    }

    [Fact]
    public void a_group_may_be_formed_without_member_agencies() =>
        Groups.Given()
            .When(Form(members: []))
            .Then(new WorkingGroupFormed(GroupId, Name, Purpose, ForumKind.National, [], Today, Admin, Now));

    [Theory]
    [InlineData("name", "en", "")]
    [InlineData("name", "hi", "   ")]
    [InlineData("name", "en", null)]
    [InlineData("purpose", "en", "\t")]
    [InlineData("purpose", "hi", "")]
    [InlineData("purpose", "hi", null)]
    public void each_missing_language_of_the_name_and_purpose_is_named(string field, string language, string? value)
    {
        var command = field == "name" ? Form(name: With(Name, language, value)) : Form(purpose: With(Purpose, language, value));

        Groups.Given().When(command).ThenRefused(new DomainError("WorkingGroup.TextRequired", $"{field}.{language}"));
    }

    [Theory]
    [InlineData("name", "en", WorkingGroupDecider.MaxNameLength)]
    [InlineData("name", "hi", WorkingGroupDecider.MaxNameLength)]
    [InlineData("purpose", "en", WorkingGroupDecider.MaxPurposeLength)]
    [InlineData("purpose", "hi", WorkingGroupDecider.MaxPurposeLength)]
    public void each_language_of_the_name_and_purpose_has_a_length_limit(string field, string language, int limit)
    {
        LocalizedText Texts(int length) => With(field == "name" ? Name : Purpose, language, Text(length));
        FormWorkingGroup Command(int length) => field == "name" ? Form(name: Texts(length)) : Form(purpose: Texts(length));

        Assert.True(Groups.Given().When(Command(limit)).Decision.IsAccepted);
        Groups.Given().When(Command(limit + 1)).ThenRefused(new DomainError("WorkingGroup.TextTooLong", $"{field}.{language}"));
    }

    [Fact]
    public void every_missing_text_is_named_at_once() =>
        Groups.Given()
            .When(Form(new LocalizedText("", ""), new LocalizedText(" ", Text(WorkingGroupDecider.MaxPurposeLength + 1))))
            .ThenRefused(
                new DomainError("WorkingGroup.TextRequired", "name.en"),
                new DomainError("WorkingGroup.TextRequired", "name.hi"),
                new DomainError("WorkingGroup.TextRequired", "purpose.en"),
                new DomainError("WorkingGroup.TextTooLong", "purpose.hi"));

    [Fact]
    public void an_unknown_kind_of_forum_is_refused() =>
        Groups.Given().When(Form(kind: (ForumKind)42)).ThenRefused(new DomainError("WorkingGroup.KindUnknown", "kind"));

    [Fact]
    public void a_member_agency_that_does_not_exist_is_refused() =>
        Groups.Given()
            .When(Form(members: [Meity, Stranger]))
            .ThenRefused(new DomainError("WorkingGroup.UnknownAgency", "memberAgencyIds"));

    [Fact]
    public void more_member_agencies_than_the_limit_are_refused_and_the_limit_itself_is_accepted()
    {
        var many = Enumerable.Range(1, WorkingGroupDecider.MaxMemberAgencies + 1).Select(i => StableIds.For(GroupId, $"agency:{i}")).ToList();
        var known = many.ToHashSet();

        Assert.True(Groups.Given().When(Form(members: [.. many.Take(WorkingGroupDecider.MaxMemberAgencies)], known: known)).Decision.IsAccepted);
        Groups.Given().When(Form(members: many, known: known)).ThenRefused(new DomainError("WorkingGroup.TooManyAgencies", "memberAgencyIds"));
    }

    [Fact]
    public void an_agency_named_twice_becomes_a_member_once() =>
        Groups.Given()
            .When(Form(members: [Meity, Niti, Meity, Niti]))
            .Then(new WorkingGroupFormed(GroupId, Name, Purpose, ForumKind.National, [Meity, Niti], Today, Admin, Now));

    [Fact]
    public void a_group_is_formed_once() =>
        Groups.Given(Formed()).When(Form()).ThenRejectedWith("WorkingGroup.AlreadyFormed");

    [Fact]
    public void nothing_but_forming_is_decided_for_a_group_that_does_not_exist() =>
        Groups.Given()
            .When(new ChangeGroupDetails(GroupId, Name, Purpose, ForumKind.Sector, Admin, Now))
            .ThenRejectedWith("WorkingGroup.NotFound");

    [Fact]
    public void new_details_are_recorded_trimmed() =>
        Groups.Given(Formed())
            .When(new ChangeGroupDetails(GroupId, new LocalizedText(" Compute group ", "कंप्यूट समूह "), Purpose, ForumKind.MultiStakeholder, Admin, Now))
            .Then(new WorkingGroupDetailsChanged(GroupId, new LocalizedText("Compute group", "कंप्यूट समूह"), Purpose, ForumKind.MultiStakeholder, Admin, Now));

    [Fact]
    public void details_that_do_not_change_once_trimmed_record_nothing() =>
        Groups.Given(Formed())
            .When(new ChangeGroupDetails(GroupId, new LocalizedText(Name.En + "  ", " " + Name.Hi), Purpose, ForumKind.National, Admin, Now))
            .ThenNothingHappens();

    [Fact]
    public void a_change_of_kind_alone_is_a_change() =>
        Groups.Given(Formed())
            .When(new ChangeGroupDetails(GroupId, Name, Purpose, ForumKind.Sector, Admin, Now))
            .Then(new WorkingGroupDetailsChanged(GroupId, Name, Purpose, ForumKind.Sector, Admin, Now));

    [Fact]
    public void new_details_are_checked_like_the_first() =>
        Groups.Given(Formed())
            .When(new ChangeGroupDetails(GroupId, new LocalizedText(Name.En, ""), Purpose, (ForumKind)9, Admin, Now))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", "name.hi"), new DomainError("WorkingGroup.KindUnknown", "kind"));

    [Fact]
    public void the_state_shows_the_new_details()
    {
        var renamed = new LocalizedText("Compute group", "कंप्यूट समूह");
        var group = WorkingGroup.Fold([Formed(), new WorkingGroupDetailsChanged(GroupId, renamed, Purpose, ForumKind.Sector, Admin, Now)])!;

        Assert.Equal(renamed, group.Name);
        Assert.Equal(ForumKind.Sector, group.Kind);
        Assert.Equal(2, group.Version);
    }
}
