using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>Minutes: drafted (and redrafted) once the session has begun, approved once, then immutable; corrections are numbered amendments.</summary>
public sealed class MinutesTests
{
    private const string Minutes = "## Minutes\nGPU pool agreed.";
    private static readonly DateTimeOffset After = At(2026, 3, 20, 16);
    private static readonly DateTimeOffset Later = At(2026, 3, 25);

    private static MinutesAmended Amendment(int number) =>
        new(SessionId, number, $"Correction {number}.", "Attendance was misrecorded.", Chair, At(2026, 3, 22 + number));

    [Fact]
    public void minutes_cannot_be_drafted_for_a_session_that_has_not_begun() =>
        Sessions.Given(Scheduled())
            .When(new DraftMinutes(SessionId, Minutes, Secretary, Starts.AddMinutes(-1)))
            .ThenRejectedWith("Session.NotBegun");

    [Fact]
    public void minutes_may_be_typed_up_after_the_start_time_without_the_session_being_started() =>
        Sessions.Given(Scheduled())
            .When(new DraftMinutes(SessionId, Minutes, Secretary, After))
            .Then(new MinutesDrafted(SessionId, Minutes, Secretary, After));

    [Fact]
    public void minutes_are_drafted_trimmed_during_the_session() =>
        Sessions.Given(Scheduled(), Started())
            .When(new DraftMinutes(SessionId, "\n  " + Minutes + "  \n", Secretary, After))
            .Then(new MinutesDrafted(SessionId, Minutes, Secretary, After));

    [Theory]
    [InlineData("")]
    [InlineData(" \n ")]
    [InlineData(null)]
    public void minutes_need_text(string? markdown) =>
        Sessions.Given(Scheduled(), Started())
            .When(new DraftMinutes(SessionId, markdown!, Secretary, After))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", "minutes"));

    [Fact]
    public void minutes_have_a_length_limit() =>
        Sessions.Given(Scheduled(), Started())
            .When(new DraftMinutes(SessionId, Text(GroupSessionDecider.MaxMinutesLength + 1), Secretary, After))
            .ThenRefused(new DomainError("WorkingGroup.TextTooLong", "minutes"));

    [Fact]
    public void a_new_draft_replaces_the_one_before()
    {
        Sessions.Given(Scheduled(), Started(), Drafted())
            .When(new DraftMinutes(SessionId, "## Minutes\nGPU pool agreed; budget next time.", Chair, Later))
            .Then(new MinutesDrafted(SessionId, "## Minutes\nGPU pool agreed; budget next time.", Chair, Later));

        var session = GroupSession.Fold([Scheduled(), Started(), Drafted(), new MinutesDrafted(SessionId, "Second draft.", Chair, Later)])!;
        Assert.Equal(SessionState.MinutesDrafted, session.State);
        Assert.Equal("Second draft.", session.Minutes);
        Assert.Equal(Chair, session.MinutesDraftedBy);
        Assert.Equal(Later, session.MinutesDraftedAt);
    }

    [Fact]
    public void the_same_draft_again_records_nothing() =>
        Sessions.Given(Scheduled(), Started(), Drafted(Minutes))
            .When(new DraftMinutes(SessionId, Minutes + "\n", Chair, Later))
            .ThenNothingHappens();

    [Fact]
    public void drafted_minutes_are_approved()
    {
        Sessions.Given(Scheduled(), Started(), Drafted())
            .When(new ApproveMinutes(SessionId, Chair, Later))
            .Then(new MinutesApproved(SessionId, Chair, Later));

        var session = GroupSession.Fold([Scheduled(), Started(), Drafted(), new MinutesApproved(SessionId, Chair, Later)])!;
        Assert.True(session.MinutesAreApproved);
        Assert.Equal(SessionState.MinutesApproved, session.State);
        Assert.Equal(Chair, session.MinutesApprovedBy);
        Assert.Equal(Later, session.MinutesApprovedAt);
        Assert.Equal(Drafted().Markdown, session.Minutes);
    }

    [Fact]
    public void minutes_not_drafted_cannot_be_approved()
    {
        Sessions.Given(Scheduled()).When(new ApproveMinutes(SessionId, Chair, Later)).ThenRejectedWith("Session.NoDraftToApprove");
        Sessions.Given(Scheduled(), Started()).When(new ApproveMinutes(SessionId, Chair, Later)).ThenRejectedWith("Session.NoDraftToApprove");
    }

    [Fact]
    public void approved_minutes_cannot_be_approved_again() =>
        Sessions.Given(Scheduled(), Started(), Drafted(), Approved())
            .When(new ApproveMinutes(SessionId, Chair, Later))
            .ThenRejectedWith("Session.MinutesAlreadyApproved");

    [Fact]
    public void approved_minutes_cannot_be_redrafted()
    {
        Sessions.Given(Scheduled(), Started(), Drafted(), Approved())
            .When(new DraftMinutes(SessionId, "Rewritten history.", Chair, Later))
            .ThenRejectedWith("Session.MinutesAlreadyApproved");
        Sessions.Given(Scheduled(), Started(), Drafted(), Approved())
            .When(new DraftMinutes(SessionId, Drafted().Markdown, Chair, Later))
            .ThenRejectedWith("Session.MinutesAlreadyApproved");
    }

    [Fact]
    public void approved_minutes_are_amended_with_a_reason_numbered_from_one() =>
        Sessions.Given(Scheduled(), Started(), Drafted(), Approved())
            .When(new AmendMinutes(SessionId, "  Correction 1. ", " Attendance was misrecorded.\n", Chair, Later))
            .Then(new MinutesAmended(SessionId, 1, "Correction 1.", "Attendance was misrecorded.", Chair, Later));

    [Fact]
    public void amendments_are_numbered_one_after_another() =>
        Sessions.Given(Scheduled(), Started(), Drafted(), Approved(), Amendment(1), Amendment(2))
            .When(new AmendMinutes(SessionId, "Correction 3.", "A figure was wrong.", Chair, Later))
            .Then(new MinutesAmended(SessionId, 3, "Correction 3.", "A figure was wrong.", Chair, Later));

    [Fact]
    public void amendments_are_kept_beside_the_approved_minutes_which_do_not_change()
    {
        var session = GroupSession.Fold([Scheduled(), Started(), Drafted(), Approved(), Amendment(1), Amendment(2)])!;

        Assert.Equal(Drafted().Markdown, session.Minutes);
        Assert.True(session.MinutesAreApproved);
        Assert.Equal(
            [
                new Amendment(1, "Correction 1.", "Attendance was misrecorded.", Chair, At(2026, 3, 23)),
                new Amendment(2, "Correction 2.", "Attendance was misrecorded.", Chair, At(2026, 3, 24)),
            ],
            session.Amendments);
    }

    [Fact]
    public void an_amendment_needs_its_text_and_its_reason() =>
        Sessions.Given(Scheduled(), Started(), Drafted(), Approved())
            .When(new AmendMinutes(SessionId, " ", "", Chair, Later))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", "minutes"), new DomainError("WorkingGroup.TextRequired", "reason"));

    [Fact]
    public void an_amendment_needs_a_reason() =>
        Sessions.Given(Scheduled(), Started(), Drafted(), Approved())
            .When(new AmendMinutes(SessionId, "Correction.", "  ", Chair, Later))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", "reason"));

    [Fact]
    public void minutes_not_approved_are_not_amended_but_redrafted()
    {
        Sessions.Given(Scheduled(), Started(), Drafted())
            .When(new AmendMinutes(SessionId, "Correction.", "Typo.", Chair, Later))
            .ThenRejectedWith("Session.AmendOnlyApproved");
        Sessions.Given(Scheduled(), Started())
            .When(new AmendMinutes(SessionId, "Correction.", "Typo.", Chair, Later))
            .ThenRejectedWith("Session.AmendOnlyApproved");
    }

    [Fact]
    public void a_cancelled_session_takes_no_minutes()
    {
        object[] cancelled = [Scheduled(), new SessionCancelled(SessionId, "Postponed.", Chair, Now)];

        Sessions.Given(cancelled).When(new DraftMinutes(SessionId, Minutes, Secretary, After)).ThenRejectedWith("Session.Cancelled");
        Sessions.Given(cancelled).When(new ApproveMinutes(SessionId, Chair, After)).ThenRejectedWith("Session.NoDraftToApprove");
        Sessions.Given(cancelled).When(new AmendMinutes(SessionId, "Correction.", "Typo.", Chair, After)).ThenRejectedWith("Session.AmendOnlyApproved");
    }
}
