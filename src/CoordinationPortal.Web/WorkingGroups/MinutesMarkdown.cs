using AngleSharp.Html.Dom;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>
/// Minutes and amendments are Markdown typed by a group's chair or secretary and read by every signed-in user, so they
/// are rendered safely, in two steps that each stand on their own: Markdig with raw HTML off (any HTML typed is shown as
/// text), then HtmlSanitizer on the result (only ordinary text markup; links only to http, https and mailto, each with
/// rel="nofollow noopener noreferrer"). Images are never loaded from elsewhere: each becomes a link to its address,
/// named by its alt text. Headings start at level 3, under the page's own h1 and h2.
/// </summary>
public static class MinutesMarkdown
{
    /// <summary>The heading level a "# Heading" in the minutes becomes on the page.</summary>
    private const int TopHeadingLevel = 3;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    private static readonly string[] Tags =
    [
        "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "del", "ins", "sub", "sup", "mark", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    ];

    /// <summary>The sanitiser is thread-safe once configured; one is shared.</summary>
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "title", "align", "start"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        });
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IHtmlAnchorElement anchor)
            {
                anchor.SetAttribute("rel", "nofollow noopener noreferrer");
            }
        };
        return sanitizer;
    }

    /// <summary>The minutes as safe HTML (empty for no text).</summary>
    public static string ToSafeHtml(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }

        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            // An image from another site would tell it who reads the minutes, and when: it is shown as a link instead.
            link.IsImage = false;
        }

        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(6, heading.Level + TopHeadingLevel - 1);
        }

        return Sanitizer.Sanitize(document.ToHtml(Pipeline));
    }
}
