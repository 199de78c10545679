using CoordinationPortal.Domain.Agencies;
using static CoordinationPortal.Domain.Tests.Agencies.AgencySpec;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Agencies;

public sealed class ReviewTests
{
    private const string A = "compute.access";
    private const string B = "data.quality";
    private const string C = "governance.policy";
    private const string D = "skills.training";

    private static readonly DateTimeOffset Now = At(2026, 3, 1);

    private static object[] Draft(params string[] ids) =>
        [Registered(), .. ids.Select((id, i) => Assessed(id, 3, At(2026, 2, 1 + i)))];

    [Fact]
    public void submitting_with_nothing_assessed_is_refused() =>
        Given(Registered())
            .When(new SubmitForReview(AgencyId, Lead, Now))
            .ThenRejectedWith("Review.NothingToSubmit");

    [Fact]
    public void submitting_when_everything_is_already_submitted_or_approved_is_refused() =>
        Given([.. Draft(A, B), Submitted(At(2026, 2, 10), A, B), new AssessmentApproved(AgencyId, A, null, Reviewer, At(2026, 2, 11))])
            .When(new SubmitForReview(AgencyId, Lead, Now))
            .ThenRejectedWith("Review.NothingToSubmit");

    [Fact]
    public void submitting_sends_the_draft_assessments_for_review() =>
        Given(Draft(A, B))
            .When(new SubmitForReview(AgencyId, Lead, Now))
            .Then(new AssessmentsSubmittedForReview(AgencyId, [A, B], Lead, Now));

    [Fact]
    public void submitting_takes_draft_and_returned_assessments_but_not_submitted_or_approved_ones() =>
        Given(
            [
                .. Draft(A, B, C),
                Submitted(At(2026, 2, 10), A, B, C),
                new AssessmentApproved(AgencyId, A, null, Reviewer, At(2026, 2, 11)),
                new AssessmentReturned(AgencyId, B, "Link the audit report.", Reviewer, At(2026, 2, 11)),
                Assessed(D, 2, At(2026, 2, 12)),
            ])
            .When(new SubmitForReview(AgencyId, Lead, Now))
            .Then(new AssessmentsSubmittedForReview(AgencyId, [B, D], Lead, Now));

    [Fact]
    public void a_reassessed_approved_indicator_is_a_draft_again_and_can_be_submitted() =>
        Given([.. Draft(A), Submitted(At(2026, 2, 10), A), new AssessmentApproved(AgencyId, A, null, Reviewer, At(2026, 2, 11)), Assessed(A, 4, At(2026, 2, 20))])
            .When(new SubmitForReview(AgencyId, Lead, Now))
            .Then(new AssessmentsSubmittedForReview(AgencyId, [A], Lead, Now));

    [Fact]
    public void a_submitted_assessment_is_approved_by_someone_else_with_the_note_trimmed() =>
        Given([.. Draft(A), Submitted(At(2026, 2, 10), A)])
            .When(new ApproveAssessment(AgencyId, A, "  Matches the audit report. ", Reviewer, Now))
            .Then(new AssessmentApproved(AgencyId, A, "Matches the audit report.", Reviewer, Now));

    [Fact]
    public void a_blank_approval_note_is_recorded_as_no_note() =>
        Given([.. Draft(A), Submitted(At(2026, 2, 10), A)])
            .When(new ApproveAssessment(AgencyId, A, "   ", Reviewer, Now))
            .Then(new AssessmentApproved(AgencyId, A, null, Reviewer, Now));

    [Fact]
    public void a_draft_assessment_cannot_be_approved() =>
        Given(Draft(A))
            .When(new ApproveAssessment(AgencyId, A, null, Reviewer, Now))
            .ThenRejectedWith("Review.NotSubmitted");

    [Fact]
    public void an_approved_assessment_cannot_be_approved_again() =>
        Given([.. Draft(A), Submitted(At(2026, 2, 10), A), new AssessmentApproved(AgencyId, A, null, Reviewer, At(2026, 2, 11))])
            .When(new ApproveAssessment(AgencyId, A, null, "third.person@niti.gov.in", Now))
            .ThenRejectedWith("Review.NotSubmitted");

    [Fact]
    public void an_indicator_never_assessed_cannot_be_approved() =>
        Given([.. Draft(A), Submitted(At(2026, 2, 10), A)])
            .When(new ApproveAssessment(AgencyId, B, null, Reviewer, Now))
            .ThenRejectedWith("Indicator.NotAssessed");

    [Theory]
    [InlineData("asha.rao@meity.gov.in")]
    [InlineData("  ASHA.Rao@MeitY.gov.in ")]
    public void a_lead_cannot_approve_their_own_assessment(string approver) =>
        Given([Registered(), LeadAssigned(Lead), Assessed(A, 3, At(2026, 2, 1), by: Lead), Submitted(At(2026, 2, 10), A)])
            .When(new ApproveAssessment(AgencyId, A, null, approver, Now))
            .ThenRejectedWith("Review.OwnAssessment");

    [Fact]
    public void an_assessment_recorded_with_a_mixed_case_name_cannot_be_approved_by_the_same_person() =>
        Given([Registered(), Assessed(A, 3, At(2026, 2, 1), by: "Asha.Rao@MeitY.gov.in"), Submitted(At(2026, 2, 10), A)])
            .When(new ApproveAssessment(AgencyId, A, null, "asha.rao@meity.gov.in", Now))
            .ThenRejectedWith("Review.OwnAssessment");

    [Fact]
    public void a_lead_cannot_return_their_own_assessment() =>
        Given([.. Draft(A), Submitted(At(2026, 2, 10), A)])
            .When(new ReturnAssessment(AgencyId, A, "Not sure about this.", Lead, Now))
            .ThenRejectedWith("Review.OwnAssessment");

    [Fact]
    public void a_submitted_assessment_is_returned_with_the_reason_trimmed() =>
        Given([.. Draft(A), Submitted(At(2026, 2, 10), A)])
            .When(new ReturnAssessment(AgencyId, A, "  Link the audit report. ", Reviewer, Now))
            .Then(new AssessmentReturned(AgencyId, A, "Link the audit report.", Reviewer, Now));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void returning_an_assessment_needs_a_reason(string reason) =>
        Given([.. Draft(A), Submitted(At(2026, 2, 10), A)])
            .When(new ReturnAssessment(AgencyId, A, reason, Reviewer, Now))
            .ThenRejectedWith("Review.ReasonRequired");

    [Fact]
    public void a_draft_assessment_cannot_be_returned() =>
        Given(Draft(A))
            .When(new ReturnAssessment(AgencyId, A, "Link the audit report.", Reviewer, Now))
            .ThenRejectedWith("Review.NotSubmitted");

    [Fact]
    public void the_review_status_follows_the_review_events()
    {
        var submitted = Agency.Fold([.. Draft(A, B), Submitted(At(2026, 2, 10), A, B)])!;
        var reviewed = Agency.Fold(
        [
            .. Draft(A, B),
            Submitted(At(2026, 2, 10), A, B),
            new AssessmentApproved(AgencyId, A, "Fine.", Reviewer, At(2026, 2, 11)),
            new AssessmentReturned(AgencyId, B, "Link the report.", Reviewer, At(2026, 2, 11)),
        ])!;

        Assert.Equal(ReviewStatus.Submitted, submitted.Indicators[A].Status);
        Assert.Equal(ReviewStatus.Approved, reviewed.Indicators[A].Status);
        Assert.Equal("Fine.", reviewed.Indicators[A].ReviewNote);
        Assert.Equal(ReviewStatus.Returned, reviewed.Indicators[B].Status);
        Assert.Equal("Link the report.", reviewed.Indicators[B].ReviewNote);
    }
}
