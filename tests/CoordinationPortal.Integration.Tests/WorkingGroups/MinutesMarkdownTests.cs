using CoordinationPortal.Web.WorkingGroups;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>Minutes are typed by a group's secretary and read by everyone signed in: what they can and cannot put on a page.</summary>
public sealed class MinutesMarkdownTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("<a href=\"https://evil.example\" onclick=\"steal()\">x</a>", "<a href")]
    [InlineData("[click](javascript:alert(1))", "javascript:")]
    [InlineData("[click](JaVaScRiPt:alert(1))", "javascript:")]
    [InlineData("[data](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html")]
    [InlineData("![pixel](https://tracker.example/p.gif)", "<img")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>", "<iframe")]
    [InlineData("<style>body{display:none}</style>", "<style")]
    public void typed_html_scripts_and_outside_images_never_reach_the_page(string markdown, string forbidden)
    {
        var html = MinutesMarkdown.ToSafeHtml(markdown);
        Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void raw_html_is_shown_as_text_not_dropped()
    {
        var html = MinutesMarkdown.ToSafeHtml("Use <b>bold</b> carefully.");
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void an_image_becomes_a_link_to_its_address_named_by_its_alt_text()
    {
        var html = MinutesMarkdown.ToSafeHtml("![Attendance sheet](https://docs.example.gov.in/sheet.png)");
        Assert.Equal("<p><a href=\"https://docs.example.gov.in/sheet.png\" rel=\"nofollow noopener noreferrer\">Attendance sheet</a></p>", html.Trim());
    }

    [Fact]
    public void ordinary_markup_survives_links_get_rel_and_headings_start_below_the_pages_own()
    {
        var html = MinutesMarkdown.ToSafeHtml("# Decisions\n\n## Compute\n\n- **Pool** GPUs, see [the note](https://docs.example.gov.in/n)\n\n| Agency | Due |\n| --- | --- |\n| MoHFW | June |\n");
        Assert.Contains("<h3>Decisions</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<h4>Compute</h4>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Pool</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://docs.example.gov.in/n\" rel=\"nofollow noopener noreferrer\">the note</a>", html, StringComparison.Ordinal);
        Assert.Contains("<td>MoHFW</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h1", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void no_text_is_no_markup(string? markdown) => Assert.Equal("", MinutesMarkdown.ToSafeHtml(markdown));
}
