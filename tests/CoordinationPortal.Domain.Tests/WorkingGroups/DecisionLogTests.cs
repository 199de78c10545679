using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>The decision log: numbered in the group, its basis, its links, its review date and reviews.</summary>
public sealed class DecisionLogTests
{
    private static readonly LocalizedText Text = new("Pool GPU capacity across ministries.", "मंत्रालयों में जीपीयू क्षमता साझा करें।");
    private static readonly DateOnly Yesterday = Today.AddDays(-1);
    private static readonly DateOnly Tomorrow = Today.AddDays(1);

    private static readonly AgencyJoinedGroup HealthJoined = new(GroupId, Health, new DateOnly(2025, 9, 1), Admin, At(2025, 9, 1));
    private static readonly AgencyLeftGroup HealthLeft = new(GroupId, Health, new DateOnly(2025, 12, 31), Admin, At(2025, 12, 31));

    private static RecordDecision Record(
        LocalizedText? text = null, Guid? sessionId = null, bool sessionOfGroup = true, DecisionBasis basis = DecisionBasis.Consensus,
        IReadOnlyList<VoteCount>? counts = null, IReadOnlyList<Guid>? agencies = null, IReadOnlyList<Layer>? layers = null,
        IReadOnlyList<Guid>? flags = null, DateOnly? reviewOn = null, DateOnly? takenOn = null) =>
        new(GroupId, text ?? Text, sessionId, sessionOfGroup, basis, counts ?? [], agencies ?? [], layers ?? [], flags ?? [], reviewOn, takenOn, Chair, Now);

    private static DecisionRecorded Recorded(
        int number, Guid? sessionId = null, DecisionBasis basis = DecisionBasis.Consensus, IReadOnlyList<VoteCount>? counts = null,
        IReadOnlyList<Guid>? agencies = null, IReadOnlyList<Layer>? layers = null, IReadOnlyList<Guid>? flags = null, DateOnly? reviewOn = null,
        DateOnly? takenOn = null) =>
        new(GroupId, number, Text, sessionId, basis, counts ?? [], agencies ?? [], layers ?? [], flags ?? [], reviewOn, takenOn ?? Today, Chair, Now);

    [Fact]
    public void the_first_decision_is_number_one_taken_today_with_its_text_trimmed() =>
        Groups.Given(Formed())
            .When(Record(new LocalizedText("  " + Text.En, Text.Hi + " \n")))
            .Then(Recorded(1));

    [Fact]
    public void decisions_are_numbered_after_the_highest_in_the_group() =>
        Groups.Given(Formed(), DecisionNumber(1), DecisionNumber(2))
            .When(Record())
            .Then(Recorded(3));

    [Fact]
    public void the_log_keeps_decisions_in_the_order_of_their_numbers()
    {
        var group = WorkingGroup.Fold([Formed(), DecisionNumber(1), DecisionNumber(2), DecisionNumber(3)])!;

        Assert.Equal([1, 2, 3], group.Decisions.Select(d => d.Number));
    }

    [Fact]
    public void links_are_recorded_each_once() =>
        Groups.Given(Formed())
            .When(Record(agencies: [Meity, Niti, Meity], layers: [Layer.Compute, Layer.Data, Layer.Compute], flags: [FlagId, FlagId]))
            .Then(Recorded(1, agencies: [Meity, Niti], layers: [Layer.Compute, Layer.Data], flags: [FlagId]));

    [Fact]
    public void a_decision_names_the_session_of_the_group_it_was_taken_in() =>
        Groups.Given(Formed())
            .When(Record(sessionId: SessionId, sessionOfGroup: true))
            .Then(Recorded(1, sessionId: SessionId));

    [Fact]
    public void a_session_of_another_group_is_refused() =>
        Groups.Given(Formed())
            .When(Record(sessionId: SessionId, sessionOfGroup: false))
            .ThenRefused(new DomainError("WorkingGroup.SessionNotInGroup", "sessionId"));

    [Theory]
    [InlineData("text", "en")]
    [InlineData("text", "hi")]
    public void a_decision_needs_its_text_in_both_languages(string field, string language) =>
        Groups.Given(Formed())
            .When(Record(language == "en" ? Text with { En = " " } : Text with { Hi = "" }))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", $"{field}.{language}"));

    [Fact]
    public void a_vote_is_recorded_with_its_counts_their_options_trimmed() =>
        Groups.Given(Formed())
            .When(Record(basis: DecisionBasis.Vote, counts: [new VoteCount(" In favour ", 9), new VoteCount("Against", 2), new VoteCount("Abstain", 0)]))
            .Then(Recorded(1, basis: DecisionBasis.Vote, counts: [new VoteCount("In favour", 9), new VoteCount("Against", 2), new VoteCount("Abstain", 0)]));

    [Fact]
    public void a_vote_needs_its_counts() =>
        Groups.Given(Formed())
            .When(Record(basis: DecisionBasis.Vote))
            .ThenRefused(new DomainError("Decision.CountsRequired", "counts"));

    [Fact]
    public void a_consensus_has_no_counts() =>
        Groups.Given(Formed())
            .When(Record(basis: DecisionBasis.Consensus, counts: [new VoteCount("In favour", 9)]))
            .ThenRefused(new DomainError("Decision.CountsOnlyForVote", "counts"));

    [Fact]
    public void an_unknown_basis_is_refused() =>
        Groups.Given(Formed())
            .When(Record(basis: (DecisionBasis)5))
            .ThenRefused(new DomainError("Decision.BasisUnknown", "basis"));

    public static TheoryData<VoteCount[]> BadCounts() => new()
    {
        new[] { new VoteCount("In favour", 9), new VoteCount("Against", -1) },
        new[] { new VoteCount("In favour", 9), new VoteCount("  ", 2) },
        new[] { new VoteCount("", 2) },
        new[] { new VoteCount(new string('o', WorkingGroupDecider.MaxNameLength + 1), 2) },
        Enumerable.Range(1, WorkingGroupDecider.MaxVoteOptions + 1).Select(i => new VoteCount($"Option {i}", i)).ToArray(),
    };

    [Theory]
    [MemberData(nameof(BadCounts))]
    public void counts_must_be_whole_named_options_and_not_too_many(VoteCount[] counts) =>
        Groups.Given(Formed())
            .When(Record(basis: DecisionBasis.Vote, counts: counts))
            .ThenRefused(new DomainError("Decision.CountsInvalid", "counts"));

    [Fact]
    public void as_many_options_as_the_limit_are_accepted() =>
        Assert.True(Groups.Given(Formed())
            .When(Record(basis: DecisionBasis.Vote, counts: [.. Enumerable.Range(1, WorkingGroupDecider.MaxVoteOptions).Select(i => new VoteCount($"Option {i}", i))]))
            .Decision.IsAccepted);

    [Fact]
    public void an_agency_that_was_never_a_member_is_refused() =>
        Groups.Given(Formed())
            .When(Record(agencies: [Meity, Stranger]))
            .ThenRefused(new DomainError("WorkingGroup.AgencyNotMember", "agencyIds"));

    [Fact]
    public void an_agency_that_was_a_member_and_has_left_may_be_named() =>
        Groups.Given(Formed(), HealthJoined, HealthLeft)
            .When(Record(agencies: [Health]))
            .Then(Recorded(1, agencies: [Health]));

    [Fact]
    public void an_unknown_layer_is_refused() =>
        Groups.Given(Formed())
            .When(Record(layers: [Layer.Compute, (Layer)42]))
            .ThenRefused(new DomainError("Decision.LayerUnknown", "layers"));

    [Fact]
    public void a_decision_may_be_recorded_as_taken_on_an_earlier_day() =>
        Groups.Given(Formed())
            .When(Record(takenOn: Yesterday))
            .Then(Recorded(1, takenOn: Yesterday));

    [Fact]
    public void a_decision_cannot_be_taken_in_the_future() =>
        Groups.Given(Formed())
            .When(Record(takenOn: Tomorrow))
            .ThenRefused(new DomainError("Decision.TakenOnInvalid", "takenOn"));

    [Fact]
    public void a_decision_cannot_be_taken_in_an_implausible_year() =>
        Groups.Given(Formed())
            .When(Record(takenOn: new DateOnly(1999, 12, 31)))
            .ThenRefused(new DomainError("Decision.TakenOnInvalid", "takenOn"));

    [Fact]
    public void a_review_date_before_the_day_it_was_taken_is_refused() =>
        Groups.Given(Formed())
            .When(Record(takenOn: Yesterday, reviewOn: Yesterday.AddDays(-1)))
            .ThenRefused(new DomainError("Decision.ReviewBeforeTaken", "reviewOn"));

    [Fact]
    public void a_review_date_on_the_day_it_was_taken_is_accepted() =>
        Groups.Given(Formed())
            .When(Record(takenOn: Yesterday, reviewOn: Yesterday))
            .Then(Recorded(1, takenOn: Yesterday, reviewOn: Yesterday));

    [Fact]
    public void an_implausible_review_date_is_refused() =>
        Groups.Given(Formed())
            .When(Record(reviewOn: new DateOnly(2101, 1, 1)))
            .ThenRefused(new DomainError("Decision.ReviewBeforeTaken", "reviewOn"));

    [Fact]
    public void a_decision_is_due_for_review_on_and_after_its_review_date_and_not_before()
    {
        var reviewOn = new DateOnly(2026, 6, 30);
        var decision = WorkingGroup.Fold([Formed(), DecisionNumber(1, reviewOn)])!.Decisions.Single();

        Assert.False(decision.IsDueForReview(reviewOn.AddDays(-1)));
        Assert.True(decision.IsDueForReview(reviewOn));
        Assert.True(decision.IsDueForReview(reviewOn.AddDays(1)));
    }

    [Fact]
    public void a_decision_without_a_review_date_is_never_due() =>
        Assert.False(WorkingGroup.Fold([Formed(), DecisionNumber(1)])!.Decisions.Single().IsDueForReview(new DateOnly(2099, 1, 1)));

    // Reviews

    [Fact]
    public void a_review_records_its_note_trimmed_and_the_next_review_date() =>
        Groups.Given(Formed(), DecisionNumber(1, Yesterday))
            .When(new ReviewDecision(GroupId, 1, "  Still holds; revisit after the budget. ", new DateOnly(2026, 9, 30), Chair, Now))
            .Then(new DecisionReviewed(GroupId, 1, "Still holds; revisit after the budget.", new DateOnly(2026, 9, 30), Chair, Now));

    [Fact]
    public void a_decision_that_is_not_in_the_log_cannot_be_reviewed() =>
        Groups.Given(Formed(), DecisionNumber(1, Yesterday))
            .When(new ReviewDecision(GroupId, 2, "Still holds.", null, Chair, Now))
            .ThenRefused(new DomainError("Decision.NotFound", "number"));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void a_review_needs_a_note(string? note) =>
        Groups.Given(Formed(), DecisionNumber(1, Yesterday))
            .When(new ReviewDecision(GroupId, 1, note!, null, Chair, Now))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", "note"));

    [Fact]
    public void the_next_review_must_be_after_today() =>
        Groups.Given(Formed(), DecisionNumber(1, Yesterday))
            .When(new ReviewDecision(GroupId, 1, "Still holds.", Today, Chair, Now))
            .ThenRefused(new DomainError("Decision.NextReviewNotAfterToday", "nextReviewOn"));

    [Fact]
    public void the_next_review_may_be_tomorrow() =>
        Groups.Given(Formed(), DecisionNumber(1, Yesterday))
            .When(new ReviewDecision(GroupId, 1, "Still holds.", Tomorrow, Chair, Now))
            .Then(new DecisionReviewed(GroupId, 1, "Still holds.", Tomorrow, Chair, Now));

    [Fact]
    public void a_review_without_a_next_date_clears_the_decision_from_the_due_list()
    {
        var group = WorkingGroup.Fold([Formed(), DecisionNumber(1, Yesterday), DecisionNumber(2, Yesterday), new DecisionReviewed(GroupId, 1, "Settled.", null, Chair, Now)])!;

        var reviewed = group.Decisions.Single(d => d.Number == 1);
        Assert.False(reviewed.IsDueForReview(Today));
        Assert.Null(reviewed.ReviewOn);
        Assert.Equal("Settled.", reviewed.LastReviewNote);
        Assert.Equal(Now, reviewed.LastReviewedAt);
        Assert.True(group.Decisions.Single(d => d.Number == 2).IsDueForReview(Today));
    }

    [Fact]
    public void a_review_with_a_next_date_is_due_again_only_on_that_date()
    {
        var next = new DateOnly(2026, 9, 30);
        var reviewed = WorkingGroup.Fold([Formed(), DecisionNumber(1, Yesterday), new DecisionReviewed(GroupId, 1, "Revisit.", next, Chair, Now)])!.Decisions.Single();

        Assert.False(reviewed.IsDueForReview(Today));
        Assert.True(reviewed.IsDueForReview(next));
    }
}
