using System.Text.Json.Nodes;
using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.Tests.Framework;

public sealed class FrameworkParserTests
{
    private static FrameworkInvalidException Invalid(FrameworkDocument doc) =>
        Assert.Throws<FrameworkInvalidException>(() => FrameworkParser.Parse(doc.Json));

    [Fact]
    public void a_valid_document_is_read_layer_by_layer()
    {
        var framework = FrameworkParser.Parse(new FrameworkDocument().Json);

        Assert.Equal("ai-readiness", framework.Id);
        Assert.Equal("1.0.0", framework.Version);
        Assert.Equal("एआई तत्परता ढांचा", framework.Name.Hi);
        Assert.Equal(Layers.All, framework.Layers.Select(l => l.Layer));
        Assert.All(framework.Layers, l => Assert.Equal(3, l.Indicators.Count));
        Assert.Equal("data.3", Assert.Single(framework.Indicators, i => i.EvidenceRequired).Id);
        Assert.Equal([1, 2, 3, 4, 5], framework.Levels.Select(l => l.Level));
        Assert.Equal("operations.2 स्तर 4 पर", framework.LayerOf(Layer.Operations).Indicators[1].DescriptorFor(4).Hi);
    }

    [Fact]
    public void a_weight_left_out_is_1_and_a_weight_given_is_kept()
    {
        var doc = new FrameworkDocument();
        doc.Indicator(Layer.Skills, 0)["weight"] = 2.5;

        var framework = FrameworkParser.Parse(doc.Json);

        Assert.Equal(2.5, framework.LayerOf(Layer.Skills).Indicators[0].Weight);
        Assert.Equal(1.0, framework.LayerOf(Layer.Skills).Indicators[1].Weight);
    }

    [Fact]
    public void levels_listed_out_of_order_are_put_in_order()
    {
        var doc = new FrameworkDocument();
        var levels = doc.Indicator(Layer.Governance, 1)["levels"]!.AsArray();
        var first = levels[0]!;
        levels.RemoveAt(0);
        levels.Add(first);

        var framework = FrameworkParser.Parse(doc.Json);

        Assert.Equal([1, 2, 3, 4, 5], framework.LayerOf(Layer.Governance).Indicators[1].Levels.Select(l => l.Level));
    }

    [Fact]
    public void a_question_or_description_left_out_falls_back_to_the_name()
    {
        var doc = new FrameworkDocument();
        doc.Root.Remove("description");
        doc.Indicator(Layer.Compute, 0).Remove("question");

        var framework = FrameworkParser.Parse(doc.Json);

        Assert.Equal(framework.Name, framework.Description);
        var indicator = framework.LayerOf(Layer.Compute).Indicators[0];
        Assert.Equal(indicator.Name, indicator.Question);
    }

    [Fact]
    public void an_indicator_name_without_hindi_is_refused()
    {
        var doc = new FrameworkDocument();
        doc.Indicator(Layer.Data, 0)["name"]!.AsObject().Remove("hi");

        Assert.Equal(["Data/data.1.name: needs English and Hindi text."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_level_descriptor_with_blank_hindi_is_refused()
    {
        var doc = new FrameworkDocument();
        doc.Indicator(Layer.Skills, 2)["levels"]![3]!["descriptor"]!["hi"] = "  ";

        Assert.Equal(["Skills/skills.3.levels[4]: needs English and Hindi text."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_layer_name_without_hindi_is_refused()
    {
        var doc = new FrameworkDocument();
        doc.LayerNodeOf(Layer.Governance)["name"] = new JsonObject { ["en"] = "Governance" };

        Assert.Equal(["Governance.name: needs English and Hindi text."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_layer_with_two_indicators_is_refused()
    {
        var doc = new FrameworkDocument();
        doc.IndicatorsOf(Layer.Skills).RemoveAt(2);

        Assert.Equal(["Skills must have 3 to 6 indicators, has 2."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_layer_with_seven_indicators_is_refused()
    {
        var doc = new FrameworkDocument();
        foreach (var n in Enumerable.Range(4, 4))
        {
            doc.IndicatorsOf(Layer.Compute).Add(FrameworkDocument.IndicatorNode($"compute.{n}"));
        }

        Assert.Equal(["Compute must have 3 to 6 indicators, has 7."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_layer_with_six_indicators_is_accepted()
    {
        var doc = new FrameworkDocument();
        foreach (var n in Enumerable.Range(4, 3))
        {
            doc.IndicatorsOf(Layer.Compute).Add(FrameworkDocument.IndicatorNode($"compute.{n}"));
        }

        Assert.Equal(6, FrameworkParser.Parse(doc.Json).LayerOf(Layer.Compute).Indicators.Count);
    }

    [Fact]
    public void an_indicator_id_used_twice_is_refused()
    {
        var doc = new FrameworkDocument();
        doc.Indicator(Layer.Operations, 2)["id"] = "governance.1";

        Assert.Equal(["Operations/governance.1: id is used twice."], Invalid(doc).Problems);
    }

    [Fact]
    public void an_indicator_with_levels_1_to_4_only_is_refused()
    {
        var doc = new FrameworkDocument();
        doc.Indicator(Layer.Operations, 2)["levels"]!.AsArray().RemoveAt(4);

        Assert.Equal(["Operations/operations.3: levels must be 1 to 5 exactly once."], Invalid(doc).Problems);
    }

    [Fact]
    public void an_indicator_with_a_level_listed_twice_is_refused()
    {
        var doc = new FrameworkDocument();
        doc.Indicator(Layer.Compute, 0)["levels"]![4]!["level"] = 4;

        Assert.Equal(["Compute/compute.1: levels must be 1 to 5 exactly once."], Invalid(doc).Problems);
    }

    [Fact]
    public void the_framework_level_names_must_be_1_to_5()
    {
        var doc = new FrameworkDocument();
        doc.Root["levels"]!.AsArray().RemoveAt(0);

        Assert.Equal(["levels must list levels 1 to 5 exactly once."], Invalid(doc).Problems);
    }

    [Fact]
    public void layers_in_the_wrong_order_are_refused()
    {
        var doc = new FrameworkDocument();
        var compute = doc.LayersNode[0]!;
        doc.LayersNode.RemoveAt(0);
        doc.LayersNode.Insert(1, compute);

        Assert.Equal(["layers must be exactly Compute, Data, Governance, Skills, Operations, in that order."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_missing_layer_is_refused()
    {
        var doc = new FrameworkDocument();
        doc.LayersNode.RemoveAt(4);

        Assert.Contains("layers must be exactly Compute, Data, Governance, Skills, Operations, in that order.", Invalid(doc).Problems);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void a_weight_that_is_not_positive_is_refused(double weight)
    {
        var doc = new FrameworkDocument();
        doc.Indicator(Layer.Data, 1)["weight"] = weight;

        Assert.Equal(["Data/data.2: weight must be a positive number."], Invalid(doc).Problems);
    }

    [Fact]
    public void a_document_without_id_or_version_is_refused()
    {
        var doc = new FrameworkDocument();
        doc.Root.Remove("id");
        doc.Root["version"] = " ";

        Assert.Equal(["id is missing.", "version is missing."], Invalid(doc).Problems);
    }

    [Fact]
    public void every_problem_is_listed_together()
    {
        var doc = new FrameworkDocument();
        doc.Indicator(Layer.Data, 0)["name"]!.AsObject().Remove("hi");
        doc.IndicatorsOf(Layer.Skills).RemoveAt(2);
        doc.Indicator(Layer.Operations, 2)["id"] = "governance.1";
        doc.Indicator(Layer.Compute, 1)["levels"]!.AsArray().RemoveAt(4);

        var invalid = Invalid(doc);

        Assert.Equal(4, invalid.Problems.Count);
        Assert.Contains("Data/data.1.name: needs English and Hindi text.", invalid.Problems);
        Assert.Contains("Skills must have 3 to 6 indicators, has 2.", invalid.Problems);
        Assert.Contains("Operations/governance.1: id is used twice.", invalid.Problems);
        Assert.Contains("Compute/compute.2: levels must be 1 to 5 exactly once.", invalid.Problems);
        Assert.All(invalid.Problems, p => Assert.Contains(p, invalid.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void an_empty_document_is_refused() =>
        Assert.Equal(["The document is empty."], Assert.Throws<FrameworkInvalidException>(() => FrameworkParser.Parse("null")).Problems);

    [Fact]
    public void comments_in_the_document_are_allowed()
    {
        var json = "// AI readiness framework\n" + new FrameworkDocument().Json;

        Assert.Equal("ai-readiness", FrameworkParser.Parse(json).Id);
    }
}
