using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.Tests.Framework;

/// <summary>The framework the portal ships with, read from <c>seed-data/framework/readiness-framework.v1.json</c>.</summary>
public sealed class SeedFrameworkTests
{
    private static ReadinessFramework Seed() =>
        FrameworkParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-data", "framework", "readiness-framework.v1.json")));

    private static bool IsHindi(string text) => text.Any(c => c is >= '\u0900' and <= '\u097F');

    [Fact]
    public void the_seed_framework_has_the_five_layers_in_order()
    {
        var framework = Seed();

        Assert.Equal(Layers.All, framework.Layers.Select(l => l.Layer));
        Assert.Equal([1, 2, 3, 4, 5], framework.Levels.Select(l => l.Level));
    }

    [Fact]
    public void every_seed_layer_has_3_to_6_indicators_with_every_level_described()
    {
        var framework = Seed();

        Assert.All(framework.Layers, layer => Assert.InRange(layer.Indicators.Count, 3, 6));
        Assert.All(framework.Indicators, indicator =>
            Assert.Equal([1, 2, 3, 4, 5], indicator.Levels.Select(l => l.Level)));
        Assert.Equal(framework.Indicators.Count(), framework.Indicators.Select(i => i.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void every_seed_text_is_in_english_and_hindi()
    {
        var framework = Seed();
        var texts = new[] { framework.Name }
            .Concat(framework.Levels.Select(l => l.Name))
            .Concat(framework.Layers.Select(l => l.Name))
            .Concat(framework.Indicators.Select(i => i.Name))
            .Concat(framework.Indicators.SelectMany(i => i.Levels.Select(l => l.Descriptor)))
            .ToList();

        Assert.All(texts, text =>
        {
            Assert.False(string.IsNullOrWhiteSpace(text.En));
            Assert.True(IsHindi(text.Hi), $"'{text.Hi}' (for '{text.En}') is not in Devanagari.");
        });
    }
}
