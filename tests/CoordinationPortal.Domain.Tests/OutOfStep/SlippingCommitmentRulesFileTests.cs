using System.Text.Json.Nodes;
using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>The rules file's <c>slipping-commitment</c> rule: the seed rule as read, and the settings and texts the parser refuses.</summary>
public sealed class SlippingCommitmentRulesFileTests
{
    private const string Id = "slipping-commitment";

    private static RuleSetFormatException Invalid(RulesDocument doc) =>
        Assert.Throws<RuleSetFormatException>(() => RuleSetParser.Parse(doc.Json));

    [Fact]
    public void the_seed_rule_is_read_with_its_thresholds_and_three_texts()
    {
        var rule = Rules.SeedRule(Id);

        Assert.Equal(SlippingCommitmentRule.KindName, rule.Kind);
        Assert.Equal(FlagSeverity.Low, rule.Severity);
        Assert.True(rule.Enabled);
        Assert.Equal(
            new Dictionary<string, string> { ["marginLevels"] = "1.0", ["mediumAfterDays"] = "30", ["highAfterDays"] = "90" },
            rule.Settings);
        Assert.Equal("Commitment slipping", rule.Title.En);
        Assert.Equal("प्रतिबद्धता में देरी", rule.Title.Hi);
        Assert.Equal([SlippingCommitmentRule.LaggingCase, SlippingCommitmentRule.NotAssessedCase], rule.Cases.Keys);
        Assert.Same(SlippingCommitmentRule.Kind, OutOfStepRules.Describe(Id));
    }

    [Fact]
    public void the_escalation_settings_may_be_left_out()
    {
        var doc = new RulesDocument();
        doc.Settings(Id).Remove("mediumAfterDays");
        doc.Settings(Id).Remove("highAfterDays");

        var rule = RuleSetParser.Parse(doc.Json).Rules.Single(r => r.Id == Id);

        Assert.Equal(["marginLevels"], rule.Settings.Keys);
    }

    [Fact]
    public void the_margin_is_required()
    {
        var doc = new RulesDocument();
        doc.Settings(Id).Remove("marginLevels");

        Assert.Equal([$"rules[8] ({Id}): setting 'marginLevels' is missing."], Invalid(doc).Problems);
    }

    [Theory]
    [InlineData("marginLevels", "-0.1", "must be a number from 0 to 4.")]
    [InlineData("marginLevels", "4.5", "must be a number from 0 to 4.")]
    [InlineData("mediumAfterDays", "0", "must be a whole number of days from 1 to 3660.")]
    [InlineData("mediumAfterDays", "30.5", "must be a whole number of days from 1 to 3660.")]
    [InlineData("highAfterDays", "\"ninety\"", "must be a whole number of days from 1 to 3660.")]
    [InlineData("highAfterDays", "3661", "must be a whole number of days from 1 to 3660.")]
    public void an_invalid_setting_is_refused_saying_what_it_must_be(string setting, string json, string expected)
    {
        var doc = new RulesDocument();
        doc.Settings(Id)[setting] = JsonNode.Parse(json);

        Assert.Equal([$"rules[8] ({Id}): setting '{setting}' {expected}"], Invalid(doc).Problems);
    }

    [Theory]
    [InlineData(90, 90)]
    [InlineData(91, 90)]
    public void medium_must_come_before_high(int medium, int high)
    {
        var doc = new RulesDocument();
        doc.Settings(Id)["mediumAfterDays"] = medium;
        doc.Settings(Id)["highAfterDays"] = high;

        Assert.Equal([$"rules[8] ({Id}): mediumAfterDays must be below highAfterDays."], Invalid(doc).Problems);
    }

    [Fact]
    public void medium_one_day_before_high_is_accepted()
    {
        var doc = new RulesDocument();
        doc.Settings(Id)["mediumAfterDays"] = 89;

        Assert.Equal("89", RuleSetParser.Parse(doc.Json).Rules.Single(r => r.Id == Id).Settings["mediumAfterDays"]);
    }

    [Theory]
    [InlineData("lagging")]
    [InlineData("notAssessed")]
    public void each_case_must_be_there(string name)
    {
        var doc = new RulesDocument();
        doc.Rule(Id)["cases"]!.AsObject().Remove(name);

        Assert.Equal([$"rules[8] ({Id}).cases.{name}: needs English and Hindi text."], Invalid(doc).Problems);
    }

    [Fact]
    public void the_not_assessed_case_may_not_cite_a_level_it_does_not_have()
    {
        var doc = new RulesDocument();
        doc.Rule(Id)["cases"]!["notAssessed"] = new JsonObject
        {
            ["en"] = "{title} on {layer} is at level {layerLevel}.",
            ["hi"] = "{layer} पर {title} स्तर {layerLevel} पर है।",
        };

        Assert.Equal(
            [$"rules[8] ({Id}).cases.notAssessed: placeholder {{layerLevel}} is unknown; this text may use {{title}}, {{dueDate}}, {{daysOverdue}}, {{layer}}."],
            Invalid(doc).Problems);
    }

    [Fact]
    public void the_english_and_hindi_explanations_must_cite_the_same_placeholders()
    {
        var doc = new RulesDocument();
        doc.Rule(Id)["explanation"]!["hi"] = "कार्य मद \"{title}\" में देरी हो चुकी है।";

        Assert.Equal([$"rules[8] ({Id}).explanation: the English and Hindi texts must cite the same placeholders."], Invalid(doc).Problems);
    }
}
