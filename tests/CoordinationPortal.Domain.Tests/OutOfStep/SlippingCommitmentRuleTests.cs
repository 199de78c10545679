using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>
/// The seed <c>slipping-commitment</c> rule: an open action item at least a day overdue on the agency's weakest layer
/// (ties count), on a layer 1.0 level or more behind its strongest, or on a layer not assessed; Low from one day
/// overdue, Medium from 30, High from 90.
/// </summary>
public sealed class SlippingCommitmentRuleTests
{
    private static readonly DateTimeOffset Assessed = History.On(2026, 1, 10);
    private static readonly DateTimeOffset Now = History.On(2026, 3, 1);
    private static readonly DateOnly Today = new(2026, 3, 1);
    private static readonly Guid Item = new("3f2a9c1e-5b7d-4e60-a8f1-2c3d4e5f6a7b");
    private static readonly Guid OtherItem = new("8e1d2c3b-4a59-4687-b7c6-d5e4f3a2b1c0");

    private static RuleDefinition Slipping => Rules.SeedRule("slipping-commitment");

    /// <summary>Every layer at 3 but Data at 2: Data is the weakest, 1.0 behind Compute (the first of the strongest).</summary>
    private static History DataWeakest() => new History()
        .Assess(Layer.Compute, 3, Assessed)
        .Assess(Layer.Data, 2, Assessed)
        .Assess(Layer.Governance, 3, Assessed)
        .Assess(Layer.Skills, 3, Assessed)
        .Assess(Layer.Operations, 3, Assessed);

    private static AgencyFacts With(AgencyFacts facts, params Commitment[] commitments) => facts with { Commitments = commitments };

    private static Commitment Due(DateOnly dueDate, Layer layer = Layer.Data, Guid? id = null, string title = "Publish the data-sharing policy") =>
        new(id ?? Item, title, layer, dueDate);

    private static Commitment Overdue(int days, Layer layer = Layer.Data, Guid? id = null) => Due(Today.AddDays(-days), layer, id);

    private static IReadOnlyList<Finding> Evaluate(AgencyFacts facts, RuleDefinition? rule = null) => Rules.Evaluate(facts, rule ?? Slipping);

    [Theory]
    [InlineData(-1)] // due tomorrow
    [InlineData(0)] // due today: not overdue yet
    public void an_item_not_yet_past_its_due_date_raises_nothing(int daysOverdue) =>
        Assert.Empty(Evaluate(With(DataWeakest().At(Now), Overdue(daysOverdue))));

    [Fact]
    public void one_day_overdue_on_the_weakest_layer_is_raised_at_the_rules_severity()
    {
        var finding = Assert.Single(Evaluate(With(DataWeakest().At(Now), Overdue(1))));

        Assert.Equal("slipping-commitment", finding.RuleId);
        Assert.Equal("slipping-commitment", finding.Kind);
        Assert.Equal("3f2a9c1e-5b7d-4e60-a8f1-2c3d4e5f6a7b", finding.Subject);
        Assert.Equal(FlagSeverity.Low, finding.Severity);
        Assert.Equal([Layer.Data], finding.Layers);
        Assert.Equal(
            [
                new Figure("daysOverdue", 1), new Figure("dueDate", 20260228),
                new Figure("layerLevel", 2.0), new Figure("strongestLevel", 3.0), new Figure("gapLevels", 1.0),
            ],
            finding.Figures);
    }

    [Theory]
    [InlineData(29, FlagSeverity.Low)]
    [InlineData(30, FlagSeverity.Medium)]
    [InlineData(31, FlagSeverity.Medium)]
    [InlineData(89, FlagSeverity.Medium)]
    [InlineData(90, FlagSeverity.High)]
    [InlineData(91, FlagSeverity.High)]
    public void severity_rises_with_the_days_overdue(int daysOverdue, FlagSeverity expected)
    {
        var finding = Assert.Single(Evaluate(With(DataWeakest().At(Now), Overdue(daysOverdue))));

        Assert.Equal(expected, finding.Severity);
        Assert.Equal(daysOverdue, finding.Figures.Single(f => f.Name == "daysOverdue").Value);
    }

    [Fact]
    public void escalation_never_lowers_the_rules_own_severity()
    {
        var high = Slipping with { Severity = FlagSeverity.High };

        Assert.Equal(FlagSeverity.High, Assert.Single(Evaluate(With(DataWeakest().At(Now), Overdue(1)), high)).Severity);
    }

    [Fact]
    public void without_the_escalation_settings_the_rules_severity_holds_however_late()
    {
        var flat = Slipping.With(("mediumAfterDays", null), ("highAfterDays", null));

        Assert.Equal(FlagSeverity.Low, Assert.Single(Evaluate(With(DataWeakest().At(Now), Overdue(400)), flat)).Severity);
    }

    /// <summary>
    /// Data at 4 (strongest), Governance at 1 (weakest), and Compute by its five indicators (weights 1.5, 1, 1, 0.5, 1):
    /// the item is on Compute, which is never the weakest here, so only the margin decides.
    /// </summary>
    private static AgencyFacts ComputeBehindData(params int[] compute) => With(
        new History()
            .Assess(Layer.Compute, Assessed, compute)
            .Assess(Layer.Data, 4, Assessed)
            .Assess(Layer.Governance, 1, Assessed)
            .At(Now),
        Overdue(10, Layer.Compute));

    [Fact]
    public void a_layer_just_under_the_margin_behind_the_strongest_raises_nothing()
    {
        // Compute (1.5·3 + 3 + 3 + 0.5·4 + 3) / 5 = 3.1: 0.9 behind Data.
        Assert.Empty(Evaluate(ComputeBehindData(3, 3, 3, 4, 3)));
    }

    [Fact]
    public void a_layer_exactly_the_margin_behind_the_strongest_is_lagging()
    {
        var finding = Assert.Single(Evaluate(ComputeBehindData(3, 3, 3, 3, 3)));

        Assert.Equal([Layer.Compute], finding.Layers);
        Assert.Contains(new Figure("gapLevels", 1.0), finding.Figures);
        Assert.Equal(
            "The action item \"Publish the data-sharing policy\" was due on 2026-02-19 and is 10 days overdue. It serves Compute, "
            + "at level 3.0: 1.0 levels behind Data at level 4.0, at or beyond the margin of 1.0. The commitment that should close the gap is slipping.",
            finding.Explanation.En);
        Assert.Equal(
            "कार्य-बिंदु \"Publish the data-sharing policy\" की नियत तिथि 2026-02-19 थी और यह 10 दिन अतिदेय है। "
            + "यह कंप्यूट के लिए है, जो स्तर 3.0 पर है: डेटा (स्तर 4.0) से 1.0 स्तर पीछे, जो 1.0 की सीमा के बराबर या उससे अधिक है। "
            + "जिस प्रतिबद्धता से यह अंतर कम होना था, वह पिछड़ रही है।",
            finding.Explanation.Hi);
    }

    [Fact]
    public void a_layer_just_over_the_margin_behind_the_strongest_is_lagging()
    {
        // Compute (1.5·3 + 3 + 3 + 0.5·2 + 3) / 5 = 2.9: 1.1 behind Data.
        var finding = Assert.Single(Evaluate(ComputeBehindData(3, 3, 3, 2, 3)));

        Assert.Equal(
            [
                new Figure("daysOverdue", 10), new Figure("dueDate", 20260219),
                new Figure("layerLevel", 2.9), new Figure("strongestLevel", 4.0), new Figure("gapLevels", 1.1),
            ],
            finding.Figures);
    }

    [Fact]
    public void the_margin_comes_from_the_rules_file()
    {
        var wider = Slipping.With(("marginLevels", "1.2"));

        Assert.Empty(Evaluate(ComputeBehindData(3, 3, 3, 2, 3), wider));
        Assert.Single(Evaluate(ComputeBehindData(3, 3, 3, 2, 3), Slipping));
    }

    /// <summary>A margin no gap reaches (4 levels), so only being the weakest can raise the flag.</summary>
    private static RuleDefinition WeakestOnly => Slipping.With(("marginLevels", "4"));

    [Fact]
    public void layers_tied_for_weakest_are_each_the_weakest()
    {
        var facts = With(
            new History()
                .Assess(Layer.Compute, 3, Assessed)
                .Assess(Layer.Data, 2, Assessed)
                .Assess(Layer.Governance, 2, Assessed)
                .At(Now),
            Overdue(5, Layer.Data, Item),
            Overdue(5, Layer.Governance, OtherItem),
            Overdue(5, Layer.Compute, Guid.NewGuid()));

        var findings = Evaluate(facts, WeakestOnly);

        Assert.Equal(
            [(Item.ToString("D"), Layer.Data), (OtherItem.ToString("D"), Layer.Governance)],
            findings.Select(f => (f.Subject, f.Layers.Single())).OrderBy(x => x.Item2));
    }

    [Theory]
    [InlineData(2, true)] // Compute (…0.5·2…) 2.9 against Data 3.0: Compute is the weakest
    [InlineData(3, true)] // 3.0 and 3.0: tied, so Compute is (one of) the weakest
    [InlineData(4, false)] // 3.1 against 3.0: Data is the weakest, Compute is not
    public void the_weakest_layer_is_the_lowest_level_ties_counting(int fourthIndicator, bool raised)
    {
        var facts = With(
            new History()
                .Assess(Layer.Compute, Assessed, 3, 3, 3, fourthIndicator, 3)
                .Assess(Layer.Data, 3, Assessed)
                .At(Now),
            Overdue(5, Layer.Compute));

        Assert.Equal(raised ? 1 : 0, Evaluate(facts, WeakestOnly).Count);
    }

    [Fact]
    public void a_layer_that_is_neither_weakest_nor_lagging_raises_nothing()
    {
        // Governance is at 3, the weakest is Data at 2 and the strongest 3: no gap at all.
        Assert.Empty(Evaluate(With(DataWeakest().At(Now), Overdue(200, Layer.Governance))));
    }

    [Fact]
    public void the_weakest_layer_is_explained_in_english_and_hindi_citing_the_numbers_exactly()
    {
        // 15 January to 1 March 2026: 45 days.
        var finding = Assert.Single(Evaluate(With(DataWeakest().At(Now), Due(new DateOnly(2026, 1, 15)))));

        Assert.Equal(FlagSeverity.Medium, finding.Severity);
        Assert.Equal(
            "The action item \"Publish the data-sharing policy\" was due on 2026-01-15 and is 45 days overdue. It serves Data, "
            + "the agency's weakest layer at level 2.0: the commitment that should lift it is slipping.",
            finding.Explanation.En);
        Assert.Equal(
            "कार्य-बिंदु \"Publish the data-sharing policy\" की नियत तिथि 2026-01-15 थी और यह 45 दिन अतिदेय है। "
            + "यह डेटा के लिए है, जो स्तर 2.0 पर एजेंसी की सबसे कमज़ोर परत है: जिस प्रतिबद्धता से इसे आगे बढ़ना था, वह पिछड़ रही है।",
            finding.Explanation.Hi);
        Assert.Equal(
            [
                new Figure("daysOverdue", 45), new Figure("dueDate", 20260115),
                new Figure("layerLevel", 2.0), new Figure("strongestLevel", 3.0), new Figure("gapLevels", 1.0),
            ],
            finding.Figures);
    }

    [Fact]
    public void a_layer_not_assessed_counts_and_says_so()
    {
        var facts = With(
            new History().Assess(Layer.Compute, 3, Assessed).Assess(Layer.Data, 2, Assessed).At(Now),
            Overdue(3, Layer.Skills, OtherItem));

        var finding = Assert.Single(Evaluate(facts));

        Assert.Equal([Layer.Skills], finding.Layers);
        Assert.Equal([new Figure("daysOverdue", 3), new Figure("dueDate", 20260226)], finding.Figures);
        Assert.Equal(
            "The action item \"Publish the data-sharing policy\" was due on 2026-02-26 and is 3 days overdue. It serves Skills, "
            + "which has not been assessed yet: nothing shows that the layer is being brought up.",
            finding.Explanation.En);
        Assert.Equal(
            "कार्य-बिंदु \"Publish the data-sharing policy\" की नियत तिथि 2026-02-26 थी और यह 3 दिन अतिदेय है। "
            + "यह कौशल के लिए है, जिसका अभी तक आकलन नहीं हुआ है: ऐसा कुछ नहीं दिखता कि इस परत को आगे बढ़ाया जा रहा है।",
            finding.Explanation.Hi);
    }

    [Fact]
    public void an_agency_with_nothing_assessed_has_every_overdue_item_flagged_as_not_assessed()
    {
        var findings = Evaluate(With(new History().At(Now), Overdue(3, Layer.Compute, Item), Overdue(4, Layer.Data, OtherItem)));

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Contains("has not been assessed yet", f.Explanation.En, StringComparison.Ordinal));
    }

    [Fact]
    public void an_unassessed_layer_does_not_stop_an_assessed_one_being_the_weakest()
    {
        var facts = With(
            new History().Assess(Layer.Compute, 3, Assessed).Assess(Layer.Data, 2, Assessed).At(Now),
            Overdue(3, Layer.Data));

        Assert.Single(Evaluate(facts, WeakestOnly));
    }

    [Fact]
    public void several_overdue_items_are_a_flag_each_oldest_first_and_items_not_yet_due_none()
    {
        var third = new Guid("00000000-0000-4000-8000-000000000003");
        var facts = With(
            DataWeakest().At(Now),
            Overdue(5, Layer.Data, Item),
            Due(Today.AddDays(10), Layer.Data, Guid.NewGuid()),
            Overdue(40, Layer.Data, OtherItem),
            Overdue(95, Layer.Data, third));

        var findings = Evaluate(facts);

        Assert.Equal([third.ToString("D"), OtherItem.ToString("D"), Item.ToString("D")], findings.Select(f => f.Subject));
        Assert.Equal([FlagSeverity.High, FlagSeverity.Medium, FlagSeverity.Low], findings.Select(f => f.Severity));
    }

    [Fact]
    public void an_item_done_or_dropped_is_not_supplied_so_its_flag_resolves()
    {
        // The source gives only open items: once the item is done it is simply not among the commitments.
        var open = With(DataWeakest().At(Now), Overdue(5));
        var raised = FlagReconciler.Reconcile(History.AgencyId, Evaluate(open), [], Now);
        var flag = Flag.Evolve(null, Assert.Single(raised).Event)!;

        var done = With(DataWeakest().At(Now.AddHours(2)));
        var change = Assert.Single(FlagReconciler.Reconcile(History.AgencyId, Evaluate(done), [flag], Now.AddHours(2)));

        Assert.Equal(ResolutionReason.ConditionCleared, Assert.IsType<FlagResolved>(change.Event).Reason);
    }

    [Fact]
    public void a_layer_that_catches_up_resolves_the_flag()
    {
        // Data reassessed at 4: from the weakest layer to the strongest.
        var weak = With(DataWeakest().At(Now), Overdue(5));
        var caughtUp = With(DataWeakest().Assess(Layer.Data, 4, Now.AddHours(-1)).At(Now), Overdue(5));

        Assert.Single(Evaluate(weak));
        Assert.Empty(Evaluate(caughtUp));
    }

    [Fact]
    public void days_are_counted_between_dates_in_the_offset_of_the_moment_evaluated()
    {
        // 1 March 2026 00:30 in India is still 28 February in UTC: one day past a 28 February due date, not none.
        var justAfterMidnight = new DateTimeOffset(2026, 3, 1, 0, 30, 0, History.Ist);

        var finding = Assert.Single(Evaluate(With(DataWeakest().At(justAfterMidnight), Due(new DateOnly(2026, 2, 28)))));

        Assert.Equal(1, finding.Figures.Single(f => f.Name == "daysOverdue").Value);
    }

    [Fact]
    public void the_flag_counts_the_days_so_it_changes_once_a_day_while_open()
    {
        var history = DataWeakest();

        var today = Assert.Single(Evaluate(With(history.At(Now), Overdue(5))));
        var laterToday = Assert.Single(Evaluate(With(history.At(Now.AddHours(8)), Overdue(5))));
        var tomorrow = Assert.Single(Evaluate(With(history.At(Now.AddDays(1)), Overdue(5))));

        Assert.Equal(today.Figures, laterToday.Figures);
        Assert.Equal(today.Explanation, laterToday.Explanation);
        Assert.Contains(new Figure("daysOverdue", 6), tomorrow.Figures);
        Assert.Contains("is 6 days overdue", tomorrow.Explanation.En, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{layer} by {dueDate}")]
    [InlineData("Fix the {{daysOverdue}} } { report")]
    [InlineData("{title}")]
    public void a_title_with_braces_is_cited_as_typed_and_never_filled_in_again(string title)
    {
        var facts = With(DataWeakest().At(Now), Due(Today.AddDays(-5), title: title));

        var finding = Assert.Single(Evaluate(facts));

        Assert.StartsWith($"The action item \"{title}\" was due on 2026-02-24", finding.Explanation.En, StringComparison.Ordinal);
        Assert.StartsWith($"कार्य-बिंदु \"{title}\" की नियत तिथि 2026-02-24", finding.Explanation.Hi, StringComparison.Ordinal);
        Assert.EndsWith("the commitment that should lift it is slipping.", finding.Explanation.En, StringComparison.Ordinal);
    }

    [Fact]
    public void without_commitments_the_rule_finds_nothing()
    {
        Assert.Empty(Evaluate(DataWeakest().At(Now)));
        Assert.DoesNotContain(Rules.Evaluate(DataWeakest().At(Now), [.. Rules.Seed.Rules]), f => f.Kind == SlippingCommitmentRule.KindName);
    }
}
