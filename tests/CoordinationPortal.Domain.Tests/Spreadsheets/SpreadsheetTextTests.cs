using CoordinationPortal.Domain.Spreadsheets;

namespace CoordinationPortal.Domain.Tests.Spreadsheets;

public sealed class SpreadsheetTextTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")")]
    [InlineData("+91 11 2301", "'+91 11 2301")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("Quarterly audit", "Quarterly audit")]
    [InlineData("साक्ष्य = नोट", "साक्ष्य = नोट")]
    [InlineData("", "")]
    public void a_cell_that_a_spreadsheet_would_run_is_neutralised_and_restored_on_import(string text, string cell)
    {
        Assert.Equal(cell, SpreadsheetText.Neutralise(text));
        Assert.Equal(text, SpreadsheetText.Restore(SpreadsheetText.Neutralise(text)));
    }

    [Fact]
    public void neutralising_twice_changes_nothing_more_and_a_plain_apostrophe_is_kept()
    {
        Assert.Equal("'=1+1", SpreadsheetText.Neutralise(SpreadsheetText.Neutralise("=1+1")));
        Assert.Equal("'quoted'", SpreadsheetText.Restore("'quoted'"));
    }

    [Fact]
    public void a_csv_field_is_neutralised_then_quoted_when_it_must_be()
    {
        Assert.Equal("\"'=1,2\"", SpreadsheetText.CsvField("=1,2"));
        Assert.Equal("\"say \"\"hi\"\"\"", SpreadsheetText.CsvField("say \"hi\""));
        Assert.Equal("a,'-b,", SpreadsheetText.CsvLine(["a", "-b", null]));
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(4, "E")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void columns_are_named_as_spreadsheets_name_them(int index, string letter) =>
        Assert.Equal(letter, SpreadsheetText.ColumnLetter(index));
}
