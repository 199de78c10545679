using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.Tests.WorkingGroups;
using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Domain.Tests.Forum;

/// <summary>Quick polls as Given(events) / When(command) / Then(events): opening, voting, closing, revealing, recording.</summary>
public sealed class PollDeciderTests
{
    private static readonly Guid PollId = new("7b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e");
    private const string Code = "ABC234";

    private static readonly DeciderSpec<Poll, PollCommand> Polls = new(Poll.Evolve, PollDecider.Decide);

    private static readonly PollVoter Eligible = new(true, []);
    private static readonly PollVoter ForMeity = new(true, [Wg.Meity]);

    private static PollOpened Opened(PollKind kind = PollKind.YesNoAbstain, VoteBasis basis = VoteBasis.Person, Guid? flagId = null) => new(
        PollId, Wg.GroupId, Wg.SessionId, "Adopt the shared GPU booking policy?", kind,
        kind == PollKind.SingleChoice ? [new("option-1", "Pool A"), new("option-2", "Pool B")] : PollDecider.FixedOptions(kind),
        basis, flagId, Code, Wg.Chair, Wg.Now);

    private static OpenPoll Open(PollKind kind = PollKind.YesNoAbstain, IReadOnlyList<string>? options = null, Guid? flagId = null, bool flagKnown = true,
        bool sessionOpen = true, string? question = "Adopt the shared GPU booking policy?", VoteBasis basis = VoteBasis.Person) =>
        new(PollId, Wg.GroupId, Wg.SessionId, sessionOpen, question, kind, options, basis, flagId, flagKnown, Code, Wg.Chair, Wg.Now);

    private static CastVote Vote(string by, string choice, PollVoter? voter = null, Guid? agencyId = null, int minute = 1) =>
        new(PollId, choice, agencyId, voter ?? Eligible, by, Wg.Now.AddMinutes(minute));

    private static PollVoteCast Cast(string by, string choice, Guid? agencyId = null, int minute = 1) =>
        new(PollId, agencyId, choice, by, Wg.Now.AddMinutes(minute));

    private static PollClosed Closed() => new(PollId, Wg.Chair, Wg.Now.AddMinutes(5));

    [Fact]
    public void a_yes_no_abstain_poll_opens_with_its_fixed_options() =>
        Polls.Given().When(Open()).Then(Opened());

    [Fact]
    public void a_single_choice_poll_keeps_the_typed_options_in_order_with_stable_keys() =>
        Polls.Given().When(Open(PollKind.SingleChoice, [" Pool A ", "", "Pool B"])).Then(Opened(PollKind.SingleChoice));

    [Fact]
    public void a_single_choice_poll_needs_two_to_eight_distinct_options()
    {
        Polls.Given().When(Open(PollKind.SingleChoice, ["Only one"])).ThenRefused(new DomainError("Poll.OptionsCount", "options"));
        Polls.Given().When(Open(PollKind.SingleChoice, [.. Enumerable.Range(1, 9).Select(i => $"Option {i}")]))
            .ThenRefused(new DomainError("Poll.OptionsCount", "options"));
        Polls.Given().When(Open(PollKind.SingleChoice, ["Pool A", "pool a"])).ThenRefused(new DomainError("Poll.OptionsDuplicate", "options"));
    }

    [Fact]
    public void fixed_kinds_take_no_typed_options_and_a_flag_poll_needs_a_known_flag()
    {
        Polls.Given().When(Open(PollKind.Consent, ["Maybe"])).ThenRefused(new DomainError("Poll.OptionsFixed", "options"));
        Polls.Given().When(Open(PollKind.FlagReal)).ThenRefused(new DomainError("Poll.FlagRequired", "flagId"));
        Polls.Given().When(Open(PollKind.FlagReal, flagId: Wg.FlagId, flagKnown: false)).ThenRefused(new DomainError("Poll.UnknownFlag", "flagId"));
        Polls.Given().When(Open(PollKind.FlagReal, flagId: Wg.FlagId)).Then(Opened(PollKind.FlagReal, flagId: Wg.FlagId));
    }

    [Fact]
    public void a_poll_needs_a_question_and_a_session_that_is_still_running()
    {
        Polls.Given().When(Open(question: "  ", sessionOpen: false))
            .ThenRefused(new DomainError("Poll.QuestionRequired", "question"), new DomainError("Poll.SessionClosed", "sessionId"));
        Polls.Given(Opened()).When(Open()).ThenRejectedWith("Poll.AlreadyOpened");
    }

    [Fact]
    public void each_person_has_one_vote()
    {
        Polls.Given(Opened()).When(Vote(Wg.Member, "yes")).Then(Cast(Wg.Member, "yes"));
        var poll = Polls.Given(Opened(), Cast(Wg.Member, "yes"), Cast(Wg.Chair, "no"), Cast(Wg.Member, "no", minute: 2)).State!;
        Assert.Equal(2, poll.Votes.Count);
        var tally = PollTally.Of(poll);
        Assert.Equal(2, tally.Total);
        Assert.Equal([0, 2, 0], tally.Counts.Select(c => c.Count));
        Assert.Equal(["yes", "no", "abstain"], tally.Counts.Select(c => c.Key));
    }

    [Fact]
    public void a_vote_may_change_while_the_poll_is_open()
    {
        Polls.Given(Opened(), Cast(Wg.Member, "yes")).When(Vote(Wg.Member, "abstain", minute: 3)).Then(Cast(Wg.Member, "abstain", minute: 3));
        Polls.Given(Opened(), Cast(Wg.Member, "yes")).When(Vote(Wg.Member, "yes", minute: 3)).ThenNothingHappens();
    }

    [Fact]
    public void a_closed_poll_refuses_votes() =>
        Polls.Given(Opened(), Closed()).When(Vote(Wg.Member, "yes")).ThenRejectedWith("Poll.NotOpen");

    [Fact]
    public void a_choice_must_be_one_of_the_polls_options() =>
        Polls.Given(Opened()).When(Vote(Wg.Member, "maybe")).ThenRefused(new DomainError("Poll.UnknownChoice", "choice"));

    [Fact]
    public void only_eligible_people_vote() =>
        Polls.Given(Opened()).When(Vote(Wg.Observer, "yes", PollVoter.None)).ThenRejectedWith("Poll.NotEligible");

    [Fact]
    public void on_agency_basis_the_agency_has_one_vote_which_any_representative_may_change()
    {
        var lead = new PollVoter(true, [Wg.Meity, Wg.Niti]);
        Polls.Given(Opened(basis: VoteBasis.Agency)).When(Vote(Wg.Member, "yes", ForMeity)).Then(Cast(Wg.Member, "yes", Wg.Meity));
        Polls.Given(Opened(basis: VoteBasis.Agency), Cast(Wg.Member, "yes", Wg.Meity))
            .When(Vote(Wg.Lead, "yes", lead, Wg.Meity, minute: 2)).Then(Cast(Wg.Lead, "yes", Wg.Meity, minute: 2));

        var poll = Polls.Given(Opened(basis: VoteBasis.Agency), Cast(Wg.Member, "yes", Wg.Meity), Cast(Wg.Lead, "no", Wg.Meity, minute: 2)).State!;
        var vote = Assert.Single(poll.Votes);
        Assert.Equal((Wg.Lead, "no"), (vote.By, vote.Choice));
        Assert.Equal(1, PollTally.Of(poll).Total);
    }

    [Fact]
    public void on_agency_basis_a_voter_of_several_agencies_names_one_they_represent()
    {
        var lead = new PollVoter(true, [Wg.Meity, Wg.Niti]);
        Polls.Given(Opened(basis: VoteBasis.Agency)).When(Vote(Wg.Lead, "yes", lead)).ThenRefused(new DomainError("Poll.AgencyRequired", "agencyId"));
        Polls.Given(Opened(basis: VoteBasis.Agency)).When(Vote(Wg.Lead, "yes", lead, Wg.Health)).ThenRefused(new DomainError("Poll.NotRepresentative", "agencyId"));
        Polls.Given(Opened(basis: VoteBasis.Agency)).When(Vote(Wg.Chair, "yes")).ThenRefused(new DomainError("Poll.NoAgency", "agencyId"));
        Polls.Given(Opened(basis: VoteBasis.Agency)).When(Vote(Wg.Lead, "no", lead, Wg.Niti)).Then(Cast(Wg.Lead, "no", Wg.Niti));
    }

    [Fact]
    public void closing_twice_records_one_close() =>
        Polls.Given(Opened(), Closed()).When(new ClosePoll(PollId, Wg.Chair, Wg.Now)).ThenNothingHappens();

    [Fact]
    public void results_are_revealed_once_the_poll_is_closed()
    {
        Polls.Given(Opened()).When(new RevealResults(PollId, Wg.Chair, Wg.Now)).ThenRejectedWith("Poll.NotClosed");
        Polls.Given(Opened(), Closed()).When(new RevealResults(PollId, Wg.Chair, Wg.Now)).Then(new PollResultsRevealed(PollId, Wg.Chair, Wg.Now));
        Polls.Given(Opened(), Closed(), new PollResultsRevealed(PollId, Wg.Chair, Wg.Now)).When(new RevealResults(PollId, Wg.Chair, Wg.Now)).ThenNothingHappens();
    }

    [Fact]
    public void a_poll_is_recorded_as_a_decision_only_when_closed_and_only_once()
    {
        var record = new RecordPollAsDecision(PollId, 4, Wg.Chair, Wg.Now);
        Polls.Given(Opened()).When(record).ThenRejectedWith("Poll.NotClosed");
        Polls.Given(Opened(), Closed()).When(record).Then(new PollRecordedAsDecision(PollId, Wg.GroupId, 4, Wg.Chair, Wg.Now));
        Polls.Given(Opened(), Closed(), new PollRecordedAsDecision(PollId, Wg.GroupId, 4, Wg.Chair, Wg.Now)).When(record).ThenRejectedWith("Poll.AlreadyRecorded");
    }

    [Fact]
    public void commands_on_a_poll_that_was_never_opened_are_refused() =>
        Polls.Given().When(new ClosePoll(PollId, Wg.Chair, Wg.Now)).ThenRejectedWith("Poll.NotFound");
}
