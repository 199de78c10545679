using CoordinationPortal.Domain.Briefings;

namespace CoordinationPortal.Domain.Tests.Briefings;

public sealed class BriefingTablesTests
{
    private sealed record Row(string Name, double? Balanced);

    [Fact]
    public void the_heatmap_lists_the_weakest_balanced_index_first_and_agencies_without_one_last()
    {
        Row[] rows = [new("Kappa", 70), new("Alpha", null), new("Beta", 12.5), new("Gamma", 12.5), new("Delta", 40)];

        var ordered = BriefingTables.WeakestFirst(rows, r => r.Balanced, r => r.Name);

        Assert.Equal(["Beta", "Gamma", "Delta", "Kappa", "Alpha"], ordered.Select(r => r.Name));
    }

    [Fact]
    public void up_to_fifty_agencies_all_print_and_past_fifty_only_the_twenty_five_weakest()
    {
        var fifty = Enumerable.Range(0, 50).Select(i => new Row($"A{i:00}", i)).ToList();
        Assert.Equal(50, BriefingTables.HeatmapRows(fifty).Count);

        var sixty = BriefingTables.WeakestFirst(Enumerable.Range(0, 60).Select(i => new Row($"A{i:00}", 60 - i)), r => r.Balanced, r => r.Name);
        var shown = BriefingTables.HeatmapRows(sixty);
        Assert.Equal(25, shown.Count);
        Assert.Equal("A59", shown[0].Name);
        Assert.All(shown, r => Assert.True(r.Balanced <= 25));
    }

    [Theory]
    [InlineData("Ministry of Health", "\"Ministry of Health\"")]
    [InlineData("say \"hi\"", "\"say \\22 hi\\22 \"")]
    [InlineData("a\\b", "\"a\\5c b\"")]
    [InlineData("</style><script>", "\"\\3c /style\\3e \\3c script\\3e \"")]
    [InlineData("line\nbreak", "\"line\\a break\"")]
    [InlineData("पृष्ठ", "\"पृष्ठ\"")]
    public void css_strings_escape_what_could_end_the_string_or_the_style_element(string text, string expected) =>
        Assert.Equal(expected, BriefingEscaping.CssString(text));

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+91 agency", "'+91 agency")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Health, Family", "\"Health, Family\"")]
    [InlineData("स्वास्थ्य मंत्रालय", "स्वास्थ्य मंत्रालय")]
    [InlineData("", "")]
    public void csv_fields_are_neutralised_and_quoted(string value, string expected) =>
        Assert.Equal(expected, CoordinationPortal.Domain.Spreadsheets.SpreadsheetText.CsvField(value));
}
