using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>Group initiatives: a target level on chosen layers for the member agencies by a deadline.</summary>
public sealed class InitiativeTests
{
    private static readonly Guid InitiativeId = new("7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918");
    private static readonly LocalizedText Title = new("Every member at level 3 on Compute and Data", "हर सदस्य कंप्यूट और डेटा पर स्तर 3 पर");
    private static readonly DateOnly Deadline = new(2026, 12, 31);

    private static LaunchInitiative Launch(LocalizedText? title = null, IReadOnlyList<Layer>? layers = null, double target = 3, DateOnly? deadline = null) =>
        new(GroupId, InitiativeId, title ?? Title, layers!, target, deadline ?? Deadline, Chair, Now);

    [Fact]
    public void an_initiative_is_launched_with_its_title_trimmed_and_its_layers_each_once() =>
        Groups.Given(Formed())
            .When(Launch(new LocalizedText(Title.En + " ", " " + Title.Hi), [Layer.Compute, Layer.Data, Layer.Compute]))
            .Then(new InitiativeLaunched(GroupId, InitiativeId, Title, [Layer.Compute, Layer.Data], 3, Deadline, Chair, Now));

    [Fact]
    public void the_group_tracks_its_initiatives()
    {
        var group = WorkingGroup.Fold([Formed(), new InitiativeLaunched(GroupId, InitiativeId, Title, [Layer.Compute], 3, Deadline, Chair, Now)])!;

        Assert.Equal([new Initiative(InitiativeId, Title, [Layer.Compute], 3, Deadline, Now)], group.Initiatives, new InitiativeComparer());
    }

    public static TheoryData<Layer[]?> NoLayers() => new() { null, Array.Empty<Layer>(), new[] { Layer.Data, (Layer)9 } };

    [Theory]
    [MemberData(nameof(NoLayers))]
    public void an_initiative_needs_known_layers(Layer[]? layers) =>
        Groups.Given(Formed())
            .When(Launch(layers: layers))
            .ThenRefused(new DomainError("Initiative.LayersRequired", "layers"));

    [Theory]
    [InlineData(0.99)]
    [InlineData(5.01)]
    [InlineData(0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void the_target_level_is_between_one_and_five(double target) =>
        Groups.Given(Formed())
            .When(Launch(layers: [Layer.Compute], target: target))
            .ThenRefused(new DomainError("Initiative.TargetOutOfRange", "targetLevel"));

    [Theory]
    [InlineData(1)]
    [InlineData(2.5)]
    [InlineData(5)]
    public void a_target_level_from_one_to_five_is_accepted(double target) =>
        Assert.True(Groups.Given(Formed()).When(Launch(layers: [Layer.Compute], target: target)).Decision.IsAccepted);

    [Fact]
    public void the_deadline_must_be_after_today() =>
        Groups.Given(Formed())
            .When(Launch(layers: [Layer.Compute], deadline: Today))
            .ThenRefused(new DomainError("Initiative.DeadlineNotAfterToday", "deadline"));

    [Fact]
    public void the_deadline_may_be_tomorrow() =>
        Assert.True(Groups.Given(Formed()).When(Launch(layers: [Layer.Compute], deadline: Today.AddDays(1))).Decision.IsAccepted);

    [Fact]
    public void an_implausible_deadline_is_refused() =>
        Groups.Given(Formed())
            .When(Launch(layers: [Layer.Compute], deadline: new DateOnly(2101, 1, 1)))
            .ThenRefused(new DomainError("Initiative.DeadlineNotAfterToday", "deadline"));

    [Fact]
    public void an_initiative_needs_its_title_in_both_languages() =>
        Groups.Given(Formed())
            .When(Launch(new LocalizedText(Title.En, " "), [Layer.Compute]))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", "title.hi"));

    private sealed class InitiativeComparer : IEqualityComparer<Initiative>
    {
        public bool Equals(Initiative? x, Initiative? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Title == y.Title && x.Layers.SequenceEqual(y.Layers)
            && x.TargetLevel.Equals(y.TargetLevel) && x.Deadline == y.Deadline && x.LaunchedAt == y.LaunchedAt;

        public int GetHashCode(Initiative obj) => obj.Id.GetHashCode();
    }
}
