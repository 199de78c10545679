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
    public void a_score_cell_shows_the_number_and_says_it_in_words()
    {
        var cell = Render<ScoreCell>(p => p.Add(c => c.Score, 62.5).Add(c => c.LayerName, "Data"));
        var td = cell.Find("td");
        Assert.Contains("band-4", td.ClassList);
        Assert.Equal("63", cell.Find("span[aria-hidden]").TextContent);
        Assert.Equal("Data: 63 of 100, about level 3.5", cell.Find(".visually-hidden").TextContent);
    }

    [Fact]
    public void an_unassessed_cell_says_so()
    {
        var cell = Render<ScoreCell>(p => p.Add(c => c.Score, null).Add(c => c.LayerName, "Skills"));
        Assert.Contains("band-0", cell.Find("td").ClassList);
        Assert.Equal("Skills: not assessed", cell.Find(".visually-hidden").TextContent);
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
