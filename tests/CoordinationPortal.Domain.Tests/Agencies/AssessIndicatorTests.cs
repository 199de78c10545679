using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Tests.Framework;
using static CoordinationPortal.Domain.Tests.Agencies.AgencySpec;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Agencies;

public sealed class AssessIndicatorTests
{
    private const string PlainIndicator = "data.quality";
    private const string EvidenceIndicator = SmallFramework.EvidenceRequiredIndicator;
    private const string Link = "https://meity.gov.in/reports/data-quality-2026.pdf";

    private static readonly DateTimeOffset Now = At(2026, 5, 17);
    private static readonly DateOnly Today = new(2026, 5, 17);

    private static AssessIndicator Assess(
        string indicatorId = PlainIndicator,
        int level = 3,
        string note = Note,
        string? url = null,
        int? targetLevel = null,
        DateOnly? targetDate = null) =>
        new(AgencyId, indicatorId, level, note, url, targetLevel, targetDate, Lead, Now);

    [Fact]
    public void an_assessment_is_recorded_with_the_note_trimmed_and_the_layer_of_its_indicator() =>
        Given(Registered())
            .When(Assess(note: "  " + Note + "\n ", url: " " + Link + " "))
            .Then(new IndicatorAssessed(AgencyId, PlainIndicator, Layer.Data, 3, Note, Link, null, null, Lead, Now));

    [Theory]
    [InlineData("compute.cost", Layer.Compute)]
    [InlineData("governance.risk", Layer.Governance)]
    [InlineData("skills.training", Layer.Skills)]
    [InlineData("operations.incidents", Layer.Operations)]
    public void the_assessment_carries_the_layer_the_framework_puts_the_indicator_in(string indicatorId, Layer layer) =>
        Given(Registered())
            .When(Assess(indicatorId, level: 2))
            .Then(new IndicatorAssessed(AgencyId, indicatorId, layer, 2, Note, null, null, null, Lead, Now));

    [Fact]
    public void a_target_in_the_future_is_recorded_with_the_assessment() =>
        Given(Registered())
            .When(Assess(level: 2, targetLevel: 4, targetDate: new DateOnly(2026, 12, 31)))
            .Then(new IndicatorAssessed(AgencyId, PlainIndicator, Layer.Data, 2, Note, null, 4, new DateOnly(2026, 12, 31), Lead, Now));

    [Fact]
    public void a_target_at_the_current_level_is_accepted() =>
        Given(Registered())
            .When(Assess(level: 5, targetLevel: 5, targetDate: Today.AddDays(1)))
            .Then(new IndicatorAssessed(AgencyId, PlainIndicator, Layer.Data, 5, Note, null, 5, Today.AddDays(1), Lead, Now));

    [Fact]
    public void an_indicator_the_framework_does_not_have_is_refused() =>
        Given(Registered())
            .When(Assess("compute.quantum"))
            .ThenRejectedWith("Indicator.Unknown");

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void a_level_outside_1_to_5_is_refused(int level) =>
        Given(Registered())
            .When(Assess("compute.capacity", level))
            .ThenRejectedWith("Level.OutOfRange");

    [Theory]
    [InlineData("")]
    [InlineData("  \t ")]
    public void an_assessment_needs_an_evidence_note(string note) =>
        Given(Registered())
            .When(Assess(note: note))
            .ThenRejectedWith("EvidenceNote.Required");

    [Fact]
    public void a_note_longer_than_4000_characters_is_refused() =>
        Given(Registered())
            .When(Assess(note: new string('n', AgencyDecider.MaxNoteLength + 1)))
            .ThenRejectedWith("EvidenceNote.TooLong");

    [Fact]
    public void a_note_of_exactly_4000_characters_is_accepted_once_trimmed()
    {
        var note = new string('n', AgencyDecider.MaxNoteLength);
        Given(Registered())
            .When(Assess(note: "  " + note + "  "))
            .Then(new IndicatorAssessed(AgencyId, PlainIndicator, Layer.Data, 3, note, null, null, null, Lead, Now));
    }

    [Theory]
    [InlineData("ftp://files.meity.gov.in/report.pdf")]
    [InlineData("not a url")]
    [InlineData("javascript:alert(1)")]
    [InlineData("meity.gov.in/report.pdf")]
    public void an_evidence_link_must_be_a_web_address(string url) =>
        Given(Registered())
            .When(Assess(url: url))
            .ThenRejectedWith("EvidenceUrl.Invalid");

    [Fact]
    public void an_evidence_link_longer_than_the_limit_is_refused() =>
        Given(Registered())
            .When(Assess(url: "https://meity.gov.in/" + new string('a', AgencyDecider.MaxUrlLength)))
            .ThenRejectedWith("EvidenceUrl.Invalid");

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void an_evidence_required_indicator_at_level_3_or_above_needs_a_link(int level) =>
        Given(Registered())
            .When(Assess(EvidenceIndicator, level))
            .ThenRejectedWith("EvidenceUrl.Required");

    [Fact]
    public void a_blank_link_counts_as_no_link() =>
        Given(Registered())
            .When(Assess(EvidenceIndicator, 3, url: "   "))
            .ThenRejectedWith("EvidenceUrl.Required");

    [Fact]
    public void an_evidence_required_indicator_below_level_3_needs_no_link() =>
        Given(Registered())
            .When(Assess(EvidenceIndicator, 2))
            .Then(new IndicatorAssessed(AgencyId, EvidenceIndicator, Layer.Data, 2, Note, null, null, null, Lead, Now));

    [Fact]
    public void an_evidence_required_indicator_at_level_3_with_a_link_is_accepted() =>
        Given(Registered())
            .When(Assess(EvidenceIndicator, 3, url: Link))
            .Then(new IndicatorAssessed(AgencyId, EvidenceIndicator, Layer.Data, 3, Note, Link, null, null, Lead, Now));

    [Fact]
    public void an_indicator_without_the_evidence_requirement_needs_no_link_at_level_5() =>
        Given(Registered())
            .When(Assess(PlainIndicator, 5))
            .Then(new IndicatorAssessed(AgencyId, PlainIndicator, Layer.Data, 5, Note, null, null, null, Lead, Now));

    [Fact]
    public void a_target_level_below_the_current_level_is_refused() =>
        Given(Registered())
            .When(Assess(level: 3, targetLevel: 2, targetDate: new DateOnly(2026, 12, 31)))
            .ThenRejectedWith("TargetLevel.OutOfRange");

    [Fact]
    public void a_target_level_above_5_is_refused() =>
        Given(Registered())
            .When(Assess(level: 4, targetLevel: 6, targetDate: new DateOnly(2026, 12, 31)))
            .ThenRejectedWith("TargetLevel.OutOfRange");

    [Fact]
    public void a_target_level_without_a_date_is_incomplete()
    {
        var outcome = Given(Registered()).When(Assess(level: 2, targetLevel: 4));

        outcome.ThenRejectedWith("Target.Incomplete");
        Assert.Equal(nameof(AssessIndicator.TargetDate), Assert.Single(outcome.Decision.Errors).Field);
    }

    [Fact]
    public void a_target_date_without_a_level_is_incomplete()
    {
        var outcome = Given(Registered()).When(Assess(level: 2, targetDate: new DateOnly(2026, 12, 31)));

        outcome.ThenRejectedWith("Target.Incomplete");
        Assert.Equal(nameof(AssessIndicator.TargetLevel), Assert.Single(outcome.Decision.Errors).Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-400)]
    public void a_target_date_that_is_not_in_the_future_is_refused(int daysFromToday) =>
        Given(Registered())
            .When(Assess(level: 2, targetLevel: 4, targetDate: Today.AddDays(daysFromToday)))
            .ThenRejectedWith("TargetDate.NotInFuture");

    [Fact]
    public void every_problem_with_an_assessment_is_reported_together() =>
        Given(Registered())
            .When(Assess(EvidenceIndicator, level: 0, note: " ", url: "ftp://example.org/x", targetLevel: 4))
            .ThenRejectedWith("Level.OutOfRange", "EvidenceNote.Required", "EvidenceUrl.Invalid", "Target.Incomplete");

    [Fact]
    public void missing_link_and_past_target_are_reported_together() =>
        Given(Registered())
            .When(Assess(EvidenceIndicator, level: 4, targetLevel: 3, targetDate: Today))
            .ThenRejectedWith("EvidenceUrl.Required", "TargetLevel.OutOfRange", "TargetDate.NotInFuture");

    [Fact]
    public void reassessing_an_indicator_records_a_new_assessment() =>
        Given(Registered(), Assessed(PlainIndicator, 2, At(2026, 2, 1)))
            .When(Assess(PlainIndicator, 4))
            .Then(new IndicatorAssessed(AgencyId, PlainIndicator, Layer.Data, 4, Note, null, null, null, Lead, Now));
}
