using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

public sealed class CitationTests
{
    [Fact]
    public void placeholders_are_filled_in_each_language()
    {
        var text = Citation.Fill(
            new LocalizedText("{lead} is at level {leadLevel}.", "{lead} स्तर {leadLevel} पर है।"),
            Citation.Text("lead", new LocalizedText("Compute", "कंप्यूट")),
            Citation.Number("leadLevel", 4));

        Assert.Equal(new LocalizedText("Compute is at level 4.0.", "कंप्यूट स्तर 4.0 पर है।"), text);
    }

    [Fact]
    public void text_that_is_not_a_placeholder_is_left_as_written()
    {
        var text = Citation.Fill(new LocalizedText("{ a } {} {x-y} {missing} {n", "{n}{n}"), Citation.Whole("n", 7));

        Assert.Equal(new LocalizedText("{ a } {} {x-y} {missing} {n", "77"), text);
    }

    [Fact]
    public void a_cited_value_is_never_read_for_placeholders()
    {
        // User text (an action item's title) may hold braces: it is copied as it is, not filled in again.
        var text = Citation.Fill(
            new LocalizedText("\"{title}\" on {layer}", "{layer} पर \"{title}\""),
            Citation.Verbatim("title", "{layer} {title} {{n}}"),
            Citation.Text("layer", new LocalizedText("Data", "डेटा")));

        Assert.Equal(new LocalizedText("\"{layer} {title} {{n}}\" on Data", "डेटा पर \"{layer} {title} {{n}}\""), text);
    }

    [Fact]
    public void a_long_text_is_filled_whole()
    {
        var long1 = new string('x', 700);
        var text = Citation.Fill(new LocalizedText("{a}-" + long1 + "-{a}", "{a}"), Citation.Verbatim("a", new string('y', 400)));

        Assert.Equal(new string('y', 400) + "-" + long1 + "-" + new string('y', 400), text.En);
        Assert.Equal(new string('y', 400), text.Hi);
    }

    [Theory]
    [InlineData(3.25, "3.3", 3.3)]
    [InlineData(3.249999, "3.2", 3.2)]
    [InlineData(2.4000000000000004, "2.4", 2.4)]
    [InlineData(-0.04, "0.0", 0.0)]
    public void numbers_are_cited_with_one_decimal_as_their_figure_is_rounded(double value, string cited, double figure)
    {
        Assert.Equal(cited, Citation.Number("x", value).En);
        Assert.Equal(figure, Citation.OneDecimal(value));
    }

    [Theory]
    [InlineData(1.5, "+1.5")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.04, "0.0")]
    public void changes_are_cited_with_their_sign(double value, string cited) =>
        Assert.Equal(cited, Citation.Change("x", value).En);

    [Theory]
    [InlineData(97.0, "97.0")]
    [InlineData(97.25, "97.25")]
    [InlineData(99.999, "99.999")]
    public void percentages_are_cited_with_as_many_decimals_as_they_have_up_to_three(double value, string cited) =>
        Assert.Equal(cited, Citation.Percent("x", value).En);

    [Fact]
    public void dates_are_cited_as_iso_dates_in_both_languages()
    {
        var date = Citation.Date("d", new DateOnly(2025, 6, 3));

        Assert.Equal(("2025-06-03", "2025-06-03"), (date.En, date.Hi));
    }

    [Fact]
    public void the_placeholders_of_a_template_are_listed_in_order()
    {
        Assert.Equal(["a", "b1", "a"], Citation.PlaceholdersIn("{a} and {b1}, then {a} again; {not one}"));
    }
}
