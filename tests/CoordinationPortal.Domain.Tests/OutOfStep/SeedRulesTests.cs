using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>The rules the portal ships with, read from <c>seed-data/out-of-step-rules.json</c>.</summary>
public sealed class SeedRulesTests
{
    private static bool IsHindi(string text) => text.Any(c => c is >= '\u0900' and <= '\u097F');

    [Fact]
    public void the_seed_rules_parse()
    {
        var rules = Rules.Seed;

        Assert.Equal(
            ["spread", "compute-leads-data", "operations-leads-governance", "operations-leads-skills", "data-leads-governance", "velocity-divergence", "stale-layer", "claimed-vs-measured", "slipping-commitment"],
            rules.Rules.Select(r => r.Id));
        Assert.All(rules.Rules, r => Assert.True(r.Enabled));
        Assert.Equal(rules.Rules.Count, rules.ActiveIds.Count);
    }

    [Fact]
    public void every_kind_has_a_seed_rule()
    {
        Assert.Equal(
            OutOfStepRules.Registry.Select(k => k.Name).Order(StringComparer.Ordinal),
            Rules.Seed.Rules.Select(r => r.Kind).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void the_lead_rules_pair_the_layers_of_the_product_spec_with_their_severities()
    {
        var leads = Rules.Seed.Rules.Where(r => r.Kind == "lead")
            .Select(r => (r.Id, r.Settings["lead"], r.Settings["lag"], r.Severity))
            .ToList();

        Assert.Equal(
            [
                ("compute-leads-data", "Compute", "Data", FlagSeverity.High),
                ("operations-leads-governance", "Operations", "Governance", FlagSeverity.Medium),
                ("operations-leads-skills", "Operations", "Skills", FlagSeverity.Medium),
                ("data-leads-governance", "Data", "Governance", FlagSeverity.High),
            ],
            leads);
    }

    [Fact]
    public void every_seed_text_is_in_english_and_hindi()
    {
        var texts = Rules.Seed.Rules.SelectMany(r => new[] { r.Title, r.Explanation }.Concat(r.Cases.Values)).ToList();

        Assert.Equal((9 * 2) + 2 + 2, texts.Count); // title and explanation each, claimed-vs-measured's and slipping-commitment's two cases
        Assert.All(texts, text =>
        {
            Assert.False(string.IsNullOrWhiteSpace(text.En));
            Assert.True(IsHindi(text.Hi), $"'{text.Hi}' (for '{text.En}') is not in Devanagari.");
        });
    }
}
