using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Overview;
using CoordinationPortal.Domain.Tests.Framework;

namespace CoordinationPortal.Domain.Tests.Overview;

public sealed class OutOfStepPatternTests
{
    private static readonly PatternNames Names = new(
        layer => layer switch
        {
            Layer.Compute => new LocalizedText("Compute", "कंप्यूट"),
            Layer.Data => new LocalizedText("Data", "डेटा"),
            _ => new LocalizedText(layer.ToString(), layer.ToString()),
        },
        sector => sector == "health" ? new LocalizedText("Health", "स्वास्थ्य") : new LocalizedText(sector, sector),
        rule => new LocalizedText("Layers far apart", "परतों के बीच बड़ा अंतर"));

    private static List<PatternAgency> Agencies(string sector, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new PatternAgency(Guid.NewGuid(), sector))];

    private static PatternFlag Lead(Guid agency) => new(agency, "compute-leads-data", LeadRule.KindName, [Layer.Compute, Layer.Data]);

    private static PatternFlag Spread(Guid agency) => new(agency, "spread", "spread", [Layer.Compute, Layer.Skills]);

    [Fact]
    public void the_commonest_pattern_is_the_rule_and_sector_with_most_agencies_flagged()
    {
        var health = Agencies("health", 14);
        var finance = Agencies("finance", 5);
        var flags = health.Take(9).Select(a => Lead(a.Id))
            .Concat(finance.Take(5).Select(a => Spread(a.Id)))
            .Concat(health.Take(3).Select(a => Spread(a.Id)));

        var pattern = OutOfStepPatterns.Commonest([.. health, .. finance], flags);

        Assert.Equal(new OutOfStepPattern("compute-leads-data", LeadRule.KindName, Layer.Compute, Layer.Data, "health", 9, 14), pattern);
    }

    [Fact]
    public void a_lead_pattern_reads_as_a_plain_sentence_in_english_and_hindi()
    {
        var health = Agencies("health", 14);

        var pattern = OutOfStepPatterns.Commonest(health, health.Take(9).Select(a => Lead(a.Id)))!;
        var sentence = OutOfStepPatterns.Sentence(pattern, Names);

        Assert.Equal("Data lags Compute in 9 of 14 agencies in Health", sentence.En);
        Assert.Equal("स्वास्थ्य क्षेत्र की 14 में से 9 एजेंसियों में डेटा कंप्यूट से पीछे है", sentence.Hi);
    }

    [Fact]
    public void another_rule_is_named_by_its_title()
    {
        var health = Agencies("health", 3);

        var pattern = OutOfStepPatterns.Commonest(health, [Spread(health[0].Id)])!;
        var sentence = OutOfStepPatterns.Sentence(pattern, Names);

        Assert.Equal("“Layers far apart” in 1 of 3 agencies in Health", sentence.En);
        Assert.Equal("स्वास्थ्य क्षेत्र की 3 में से 1 एजेंसी में “परतों के बीच बड़ा अंतर”", sentence.Hi);
    }

    [Fact]
    public void an_agency_with_two_flags_of_one_rule_counts_once_and_unknown_agencies_not_at_all()
    {
        var health = Agencies("health", 4);
        PatternFlag[] flags =
        [
            Lead(health[0].Id) with { RuleId = "spread", Kind = "spread" },
            new(health[0].Id, "spread", "spread", [Layer.Data, Layer.Skills]),
            Spread(Guid.NewGuid()),
        ];

        var pattern = OutOfStepPatterns.Commonest(health, flags);

        Assert.Equal(1, pattern!.Flagged);
        Assert.Equal(4, pattern.Agencies);
        Assert.Null(pattern.Lead);
    }

    [Fact]
    public void a_tie_goes_to_the_larger_share_then_the_rule_id()
    {
        var small = Agencies("finance", 2);
        var large = Agencies("health", 10);
        var flags = small.Select(a => Lead(a.Id)).Concat(large.Take(2).Select(a => Lead(a.Id)));

        Assert.Equal("finance", OutOfStepPatterns.Commonest([.. small, .. large], flags)!.Sector);

        var both = small.Select(a => Lead(a.Id)).Concat(small.Select(a => Spread(a.Id)));
        Assert.Equal("compute-leads-data", OutOfStepPatterns.Commonest(small, both)!.RuleId);
    }

    [Fact]
    public void no_open_flag_gives_no_pattern() =>
        Assert.Null(OutOfStepPatterns.Commonest(Agencies("health", 3), []));

    [Fact]
    public void flags_open_at_an_instant_come_from_their_episodes()
    {
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var monthAgo = now.AddDays(-30);
        Flag[] flags =
        [
            // Open then and now.
            new() { Episodes = [new FlagEpisode(1, FlagSeverity.High, now.AddDays(-40), null)] },
            // Raised since: open now only.
            new() { Episodes = [new FlagEpisode(1, FlagSeverity.Medium, now.AddDays(-3), null)] },
            // Resolved since: open then only; then raised again as Low.
            new()
            {
                Episodes =
                [
                    new FlagEpisode(1, FlagSeverity.High, now.AddDays(-60), now.AddDays(-10)),
                    new FlagEpisode(2, FlagSeverity.Low, now.AddDays(-2), null),
                ],
            },
            // Resolved exactly at the instant: no longer open.
            new() { Episodes = [new FlagEpisode(1, FlagSeverity.Low, now.AddDays(-50), monthAgo)] },
        ];

        Assert.Equal(new SeverityTally(1, 1, 1), FlagHistory.OpenAt(flags, now));
        Assert.Equal(new SeverityTally(2, 0, 0), FlagHistory.OpenAt(flags, monthAgo));
    }
}

public sealed class QuarterAveragesTests
{
    private static LevelChange Change(string indicator, int level, DateTimeOffset at) =>
        new(indicator, SmallFramework.LayerOf(indicator), level, at);

    [Fact]
    public void layer_averages_at_a_quarter_close_use_only_assessments_made_before_it()
    {
        var quarter = new AssessmentCycle("2026-Q3", new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30));
        var close = ExecutiveSummary.QuarterClose(quarter, _ => TimeSpan.FromHours(5.5));
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(5.5)), close);

        IEnumerable<LevelChange>[] histories =
        [
            [Change("compute.access", 3, close.AddDays(-5)), Change("compute.access", 5, close)],
            [Change("compute.access", 1, close.AddDays(-1)), Change("data.quality", 2, close.AddSeconds(-1))],
            [Change("compute.access", 5, close.AddDays(1))],
        ];

        var averages = ExecutiveSummary.AveragesBefore(histories, close, SmallFramework.Instance);

        // Level 3 is 50 points, level 1 is 0: the third agency had nothing yet and counts for no layer.
        Assert.Equal(25, averages[Layer.Compute]);
        Assert.Equal(25, averages[Layer.Data]);
        Assert.Null(averages[Layer.Skills]);
    }
}
