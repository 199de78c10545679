using Bunit;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Web.Components.Common;
using CoordinationPortal.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Integration.Tests.Components;

public sealed class ComponentTests : BunitContext
{
    public ComponentTests()
    {
        var strings = PortalStrings.Load();
        Services.AddSingleton<IStringLocalizerFactory>(new JsonStringLocalizerFactory(strings));
        Services.AddSingleton(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
        var frameworkFile = Path.Combine(AppContext.BaseDirectory, "seed-data", "framework", "readiness-framework.v1.json");
        Services.AddSingleton(FrameworkParser.Parse(File.ReadAllText(frameworkFile)));
    }

    [Fact]
    public void the_language_switch_links_back_to_the_same_page_and_marks_the_current_language()
    {
        Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>().NavigateTo("/agencies/42?asOf=2026-01-31");
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("hi-IN");
        try
        {
            var links = Render<CoordinationPortal.Web.Components.Layout.LanguageSwitch>().FindAll("a");
            Assert.Equal(2, links.Count);
            Assert.Equal("/culture?culture=en-IN&returnUrl=%2Fagencies%2F42%3FasOf%3D2026-01-31", links[0].GetAttribute("href"));
            Assert.Null(links[0].GetAttribute("aria-current"));
            Assert.Equal("true", links[1].GetAttribute("aria-current"));
            Assert.Equal("hi", links[1].GetAttribute("lang"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void the_trend_chart_draws_one_line_per_layer_and_repeats_the_data_in_a_table()
    {
        var points = new[]
        {
            new TrendPoint(new DateOnly(2026, 1, 31), new LayerScores(25, 25, 50, 0, 25), Scores.Index([25, 25, 50, 0, 25])),
            new TrendPoint(new DateOnly(2026, 2, 28), new LayerScores(75, 25, 50, 25, 50), Scores.Index([75, 25, 50, 25, 50])),
            new TrendPoint(new DateOnly(2026, 3, 31), new LayerScores(100, 50, 50, 25, 50), Scores.Index([100, 50, 50, 25, 50])),
        };
        var chart = Render<TrendChart>(p => p.Add(c => c.Points, points).Add(c => c.Caption, "Trend of X"));

        var lines = chart.FindAll("polyline");
        Assert.Equal(Layers.All.Count, lines.Count);
        Assert.Equal(3, lines[0].GetAttribute("points")!.Split(' ').Length);
        var rows = chart.FindAll("details table tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Contains("100", rows[2].TextContent, StringComparison.Ordinal);
        Assert.Equal("Trend of X", chart.Find("figcaption").FirstChild!.TextContent.Trim());
    }
}
