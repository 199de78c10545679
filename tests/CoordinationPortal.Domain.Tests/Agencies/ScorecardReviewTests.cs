using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Tests.Framework;
using static CoordinationPortal.Domain.Tests.Agencies.AgencySpec;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Agencies;

public sealed class ScorecardReviewTests
{
    private const string Marker = "Confirmed unchanged in the 2026-Q2 review";
    private const string Link = "https://meity.gov.in/reports/lineage.pdf";
    private static readonly DateTimeOffset LastQuarter = At(2026, 2, 10);
    private static readonly DateTimeOffset Now = At(2026, 5, 17);
    private static readonly DateOnly Today = new(2026, 5, 17);
    private static readonly AssessmentCycle ThisQuarter = AssessmentCycle.Containing(Today);

    private static Agency Fold(params object[] events) => Agency.Fold(events)!;

    [Fact]
    public void confirming_unchanged_records_the_same_level_and_evidence_link_with_a_confirming_note()
    {
        var assessed = new IndicatorAssessed(AgencyId, SmallFramework.EvidenceRequiredIndicator, Layer.Data, 4, Note, Link, null, null, Lead, LastQuarter);
        var agency = Fold(Registered(), assessed);

        var command = ScorecardReview.ConfirmUnchanged(agency, SmallFramework.EvidenceRequiredIndicator, Marker, Today, Lead, Now);

        // The decider requires a link at level 4 for this indicator: the previous one carries over, so it is accepted.
        Given(Registered(), assessed)
            .When(command!)
            .Then(new IndicatorAssessed(AgencyId, SmallFramework.EvidenceRequiredIndicator, Layer.Data, 4, $"[{Marker}] {Note}", Link, null, null, Lead, Now));
    }

    [Fact]
    public void a_target_still_ahead_is_kept_and_a_reached_or_lapsed_one_is_dropped()
    {
        var ahead = Assessed("data.quality", 2, LastQuarter) with { TargetLevel = 4, TargetDate = new DateOnly(2026, 12, 31) };
        var reached = Assessed("compute.cost", 3, LastQuarter) with { TargetLevel = 3, TargetDate = new DateOnly(2026, 12, 31) };
        var lapsed = Assessed("skills.training", 2, LastQuarter) with { TargetLevel = 4, TargetDate = new DateOnly(2026, 5, 17) };
        var agency = Fold(Registered(), ahead, reached, lapsed);

        var kept = ScorecardReview.ConfirmUnchanged(agency, "data.quality", Marker, Today, Lead, Now)!;
        Assert.Equal((4, new DateOnly(2026, 12, 31)), (kept.TargetLevel!.Value, kept.TargetDate!.Value));
        var whenReached = ScorecardReview.ConfirmUnchanged(agency, "compute.cost", Marker, Today, Lead, Now)!;
        Assert.Null(whenReached.TargetLevel);
        Assert.Null(whenReached.TargetDate);
        var whenLapsed = ScorecardReview.ConfirmUnchanged(agency, "skills.training", Marker, Today, Lead, Now)!;
        Assert.Null(whenLapsed.TargetLevel);
        Assert.Null(whenLapsed.TargetDate);

        // Each is accepted as it stands.
        Given(Registered(), ahead, reached, lapsed).When(whenLapsed).Then(new IndicatorAssessed(
            AgencyId, "skills.training", Layer.Skills, 2, $"[{Marker}] {Note}", null, null, null, Lead, Now));
    }

    [Fact]
    public void an_indicator_never_assessed_has_nothing_to_confirm() =>
        Assert.Null(ScorecardReview.ConfirmUnchanged(Fold(Registered()), "data.quality", Marker, Today, Lead, Now));

    [Theory]
    [InlineData("Audits run quarterly.", "[M] Audits run quarterly.")]
    [InlineData("[Confirmed unchanged in the 2026-Q1 review] Audits run quarterly.", "[M] Audits run quarterly.")]
    [InlineData("[2026-Q1 की समीक्षा में अपरिवर्तित] Audits run quarterly.", "[M] Audits run quarterly.")]
    [InlineData("  ", "[M]")]
    public void confirming_again_replaces_the_earlier_marker_instead_of_stacking_them(string previous, string expected) =>
        Assert.Equal(expected, ScorecardReview.ConfirmedNote("M", previous));

    [Fact]
    public void the_confirmed_note_never_exceeds_the_deciders_limit() =>
        Assert.Equal(AgencyDecider.MaxNoteLength, ScorecardReview.ConfirmedNote(Marker, new string('x', AgencyDecider.MaxNoteLength)).Length);

    [Theory]
    [InlineData(3, 4, true)]
    [InlineData(4, 4, false)]
    [InlineData(5, 4, false)]
    public void a_target_is_ahead_only_above_the_level(int level, int target, bool ahead) =>
        Assert.Equal(ahead, ScorecardReview.TargetAhead(level, target, new DateOnly(2026, 12, 31), Today));

    [Fact]
    public void an_indicator_needs_attention_until_it_is_reassessed_in_this_cycle_and_again_when_returned()
    {
        var old = Fold(Registered(), Assessed("data.quality", 2, LastQuarter)).Indicators["data.quality"];
        var fresh = Fold(Registered(), Assessed("data.quality", 2, Now)).Indicators["data.quality"];
        var returned = Fold(
            Registered(), Assessed("data.quality", 2, Now), Submitted(Now, "data.quality"),
            new AssessmentReturned(AgencyId, "data.quality", "Link is broken", Reviewer, Now)).Indicators["data.quality"];

        Assert.True(ScorecardReview.NeedsAttention(null, ThisQuarter, Ist));
        Assert.True(ScorecardReview.NeedsAttention(old, ThisQuarter, Ist));
        Assert.False(ScorecardReview.NeedsAttention(fresh, ThisQuarter, Ist));
        Assert.True(ScorecardReview.NeedsAttention(returned, ThisQuarter, Ist));
        Assert.True(ScorecardReview.ReassessedIn(returned, ThisQuarter, Ist));
        Assert.False(ScorecardReview.ReassessedIn(old, ThisQuarter, Ist));
    }
}
