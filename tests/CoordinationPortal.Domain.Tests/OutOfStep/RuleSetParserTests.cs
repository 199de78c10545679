using System.Text.Json.Nodes;
using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

public sealed class RuleSetParserTests
{
    private static RuleSetFormatException Invalid(RulesDocument doc) =>
        Assert.Throws<RuleSetFormatException>(() => RuleSetParser.Parse(doc.Json));

    private static JsonObject Text(string en, string hi) => new() { ["en"] = en, ["hi"] = hi };

    [Fact]
    public void a_rule_is_read_with_its_kind_severity_settings_and_texts()
    {
        var rules = RuleSetParser.Parse(new RulesDocument().Json);

        var rule = rules.Rules.Single(r => r.Id == "compute-leads-data");
        Assert.Equal("1.0.0", rules.Version);
        Assert.Equal("lead", rule.Kind);
        Assert.Equal(FlagSeverity.High, rule.Severity);
        Assert.True(rule.Enabled);
        Assert.Equal(new Dictionary<string, string> { ["lead"] = "Compute", ["lag"] = "Data", ["marginLevels"] = "1.0" }, rule.Settings);
        Assert.Equal("Compute ahead of data", rule.Title.En);
        Assert.Equal("कंप्यूट डेटा से आगे", rule.Title.Hi);
        Assert.Empty(rule.Cases);
        Assert.Equal(["ttft", "noEndpoint"], rules.Rules.Single(r => r.Id == "claimed-vs-measured").Cases.Keys);
    }

    [Fact]
    public void settings_may_be_numbers_or_text_and_severity_any_case()
    {
        var doc = new RulesDocument();
        doc.Settings("spread")["minLevels"] = "2";
        doc.Rule("spread")["severity"] = "low";

        var rule = RuleSetParser.Parse(doc.Json).Rules.Single(r => r.Id == "spread");

        Assert.Equal("2", rule.Settings["minLevels"]);
        Assert.Equal(FlagSeverity.Low, rule.Severity);
    }

    [Fact]
    public void a_disabled_rule_is_read_but_not_active()
    {
        var doc = new RulesDocument();
        doc.Rule("stale-layer")["enabled"] = false;

        var rules = RuleSetParser.Parse(doc.Json);

        Assert.False(rules.Rules.Single(r => r.Id == "stale-layer").Enabled);
        Assert.DoesNotContain("stale-layer", rules.ActiveIds);
        Assert.Equal(8, rules.Active.Count());
    }

    [Fact]
    public void the_problems_are_a_format_exception()
    {
        var doc = new RulesDocument();
        doc.Root.Remove("version");

        FormatException e = Invalid(doc);

        Assert.Equal(["version is missing."], ((RuleSetFormatException)e).Problems);
        Assert.Contains("version is missing.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void an_unknown_kind_is_refused_naming_the_known_ones()
    {
        var doc = new RulesDocument();
        doc.Rule("spread")["kind"] = "slipping-actions";

        Assert.Equal(
            ["rules[0] (spread): kind 'slipping-actions' is unknown; known kinds are spread, lead, velocity, staleness, claimed-vs-measured, slipping-commitment."],
            Invalid(doc).Problems);
    }

    [Fact]
    public void an_id_used_twice_is_refused()
    {
        var doc = new RulesDocument();
        doc.Rule("operations-leads-skills")["id"] = "operations-leads-governance";

        Assert.Equal(["rules[3] (operations-leads-governance): id is used twice."], Invalid(doc).Problems);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Spread")]
    [InlineData("spread rule")]
    public void an_id_must_be_lower_case_letters_digits_and_hyphens(string id)
    {
        var doc = new RulesDocument();
        doc.Rule("spread")["id"] = id;

        Assert.Equal([$"rules[0] ({id}): id must be lower-case letters, digits and hyphens."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_missing_setting_is_refused()
    {
        var doc = new RulesDocument();
        doc.Settings("compute-leads-data").Remove("marginLevels");

        Assert.Equal(["rules[1] (compute-leads-data): setting 'marginLevels' is missing."], Invalid(doc).Problems);
    }

    [Fact]
    public void an_optional_setting_may_be_left_out()
    {
        var doc = new RulesDocument();
        doc.Settings("spread").Remove("highAtLevels");
        doc.Settings("claimed-vs-measured").Remove("noEndpointLayer");

        var rules = RuleSetParser.Parse(doc.Json);

        Assert.DoesNotContain("highAtLevels", rules.Rules[0].Settings.Keys);
    }

    [Theory]
    [InlineData("spread", "minLevels", "\"one and a half\"", "must be a number from 0 to 4.")]
    [InlineData("spread", "minLevels", "-0.5", "must be a number from 0 to 4.")]
    [InlineData("spread", "minLevels", "true", "must be a number from 0 to 4.")]
    [InlineData("velocity-divergence", "windowDays", "180.5", "must be a whole number of days from 1 to 3660.")]
    [InlineData("velocity-divergence", "windowDays", "0", "must be a whole number of days from 1 to 3660.")]
    [InlineData("claimed-vs-measured", "minClaimedLevel", "6", "must be a number from 1 to 5.")]
    public void an_invalid_setting_is_refused_saying_what_it_must_be(string id, string setting, string json, string expected)
    {
        var doc = new RulesDocument();
        doc.Settings(id)[setting] = JsonNode.Parse(json);

        var problem = Assert.Single(Invalid(doc).Problems);

        Assert.EndsWith($"({id}): setting '{setting}' {expected}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void an_unknown_layer_name_is_refused()
    {
        var doc = new RulesDocument();
        doc.Settings("data-leads-governance")["lag"] = "Governence";

        Assert.Equal(
            ["rules[4] (data-leads-governance): setting 'lag' names no layer: 'Governence' (must be one of Compute, Data, Governance, Skills, Operations.)"],
            Invalid(doc).Problems);
    }

    [Theory]
    [InlineData("Compute,Compute")]
    [InlineData("Compute,Ops")]
    [InlineData("")]
    public void a_layer_list_must_name_each_layer_once(string layers)
    {
        var doc = new RulesDocument();
        doc.Settings("claimed-vs-measured")["layers"] = layers;

        Assert.StartsWith("rules[7] (claimed-vs-measured): setting 'layers' must list layers, each once", Assert.Single(Invalid(doc).Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void a_setting_the_kind_does_not_read_is_refused()
    {
        var doc = new RulesDocument();
        doc.Settings("stale-layer")["staleDay"] = 200;

        Assert.Equal(
            ["rules[6] (stale-layer): setting 'staleDay' is not one that kind staleness reads (staleDays)."],
            Invalid(doc).Problems);
    }

    [Theory]
    [InlineData("title", "en")]
    [InlineData("title", "hi")]
    [InlineData("explanation", "hi")]
    public void a_text_without_english_or_hindi_is_refused(string text, string language)
    {
        var doc = new RulesDocument();
        doc.Rule("velocity-divergence")[text]!.AsObject().Remove(language);

        Assert.Equal([$"rules[5] (velocity-divergence).{text}: needs English and Hindi text."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_case_the_kind_explains_must_be_there_in_both_languages()
    {
        var doc = new RulesDocument();
        doc.Rule("claimed-vs-measured")["cases"]!.AsObject().Remove("noEndpoint");
        doc.Rule("claimed-vs-measured")["cases"]!["ttft"]!["hi"] = " ";

        Assert.Equal(
            [
                "rules[7] (claimed-vs-measured).cases.ttft: needs English and Hindi text.",
                "rules[7] (claimed-vs-measured).cases.noEndpoint: needs English and Hindi text.",
            ],
            Invalid(doc).Problems);
    }

    [Fact]
    public void a_case_the_kind_does_not_explain_is_refused()
    {
        var doc = new RulesDocument();
        doc.Rule("spread")["cases"] = new JsonObject { ["severe"] = Text("Very far apart.", "बहुत दूर।") };

        Assert.Equal(["rules[0] (spread): case 'severe' is not one that kind spread explains."], Invalid(doc).Problems);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Critical")]
    [InlineData("2")]
    public void a_severity_other_than_low_medium_or_high_is_refused(string severity)
    {
        var doc = new RulesDocument();
        doc.Rule("spread")["severity"] = severity;

        Assert.Equal(["rules[0] (spread): severity must be one of Low, Medium, High."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_placeholder_the_kind_does_not_fill_is_refused_listing_those_it_does()
    {
        var doc = new RulesDocument();
        doc.Rule("stale-layer")["explanation"] = Text("{layer} was last assessed {daysAgo} days ago.", "{layer} का आकलन {daysAgo} दिन पहले हुआ था।");

        Assert.Equal(
            ["rules[6] (stale-layer).explanation: placeholder {daysAgo} is unknown; this text may use {layer}, {lastAssessed}, {staleDays}."],
            Invalid(doc).Problems);
    }

    [Fact]
    public void the_english_and_hindi_texts_must_cite_the_same_placeholders()
    {
        var doc = new RulesDocument();
        doc.Rule("stale-layer")["explanation"] = Text("{layer} was last assessed on {lastAssessed}.", "{layer} का आकलन बहुत पहले हुआ था।");

        Assert.Equal(
            ["rules[6] (stale-layer).explanation: the English and Hindi texts must cite the same placeholders."],
            Invalid(doc).Problems);
    }

    [Fact]
    public void settings_that_contradict_each_other_are_refused()
    {
        var doc = new RulesDocument();
        doc.Settings("operations-leads-skills")["lag"] = "Operations";
        doc.Settings("velocity-divergence")["flatMaxChangeLevels"] = 1.0;
        doc.Settings("spread")["highAtLevels"] = 1.0;

        Assert.Equal(
            [
                "rules[0] (spread): highAtLevels cannot be below minLevels.",
                "rules[3] (operations-leads-skills): lead and lag must be different layers.",
                "rules[5] (velocity-divergence): minRiseLevels must be above flatMaxChangeLevels.",
            ],
            Invalid(doc).Problems);
    }

    [Fact]
    public void every_problem_is_listed_at_once()
    {
        var doc = new RulesDocument();
        doc.Root["version"] = " ";
        doc.Rule("spread")["kind"] = "sprawl";
        doc.Rule("compute-leads-data")["severity"] = "Severe";
        doc.Settings("compute-leads-data")["lead"] = "GPU";
        doc.Rule("operations-leads-skills")["id"] = "operations-leads-governance";
        doc.Rule("velocity-divergence")["title"]!.AsObject().Remove("hi");
        doc.Settings("stale-layer").Remove("staleDays");

        var problems = Invalid(doc).Problems;

        Assert.Equal(
            [
                "version is missing.",
                "rules[0] (spread): kind 'sprawl' is unknown; known kinds are spread, lead, velocity, staleness, claimed-vs-measured, slipping-commitment.",
                "rules[1] (compute-leads-data): severity must be one of Low, Medium, High.",
                "rules[1] (compute-leads-data): setting 'lead' names no layer: 'GPU' (must be one of Compute, Data, Governance, Skills, Operations.)",
                "rules[3] (operations-leads-governance): id is used twice.",
                "rules[5] (velocity-divergence).title: needs English and Hindi text.",
                "rules[6] (stale-layer): setting 'staleDays' is missing.",
            ],
            problems);
    }

    [Fact]
    public void a_document_that_is_not_json_is_refused_with_one_problem()
    {
        var e = Assert.Throws<RuleSetFormatException>(() => RuleSetParser.Parse("{ \"version\": \"1\", \"rules\": [ }"));

        Assert.StartsWith("The document is not valid JSON:", Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void a_document_without_rules_is_refused()
    {
        var doc = new RulesDocument();
        doc.Root.Remove("rules");

        Assert.Equal(["rules is missing."], Invalid(doc).Problems);
    }

    [Fact]
    public void an_empty_rule_list_is_a_rule_set_with_nothing_active()
    {
        var doc = new RulesDocument();
        doc.Root["rules"] = new JsonArray();

        Assert.Empty(RuleSetParser.Parse(doc.Json).ActiveIds);
    }
}
