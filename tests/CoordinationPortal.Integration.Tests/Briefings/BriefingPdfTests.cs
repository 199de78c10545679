using System.Globalization;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.OutOfStep;
using CoordinationPortal.Integration.Tests.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Briefings.Content;
using CoordinationPortal.Web.Briefings.Printing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace CoordinationPortal.Integration.Tests.Briefings;

/// <summary>
/// Briefings printed by the portal's own printer and read back as a reader would (poppler's text extraction, the PDF's
/// outline and metadata): every scope in both languages names its agencies with the scores the API gives, explains its
/// flags, extracts Hindi conjuncts correctly, and says on every page which page it is and which data it reflects.
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class BriefingPdfTests(PortalFixture portal)
{
    // Conjuncts a broken shaper or ToUnicode map loses: क्ष, त्र, ज्ञ, श्र.
    private const string HindiName = "ज्ञान श्रम क्षेत्र त्रिपुरा परिषद";

    [Theory]
    [MemberData(nameof(ContentTests.Scopes), MemberType = typeof(ContentTests))]
    public async Task every_scope_prints_its_agencies_scores_flags_page_numbers_and_data_version_on_every_page(string scope, string lang)
    {
        var sector = RollupTestData.UniqueCode("pdf");
        var jurisdiction = RollupTestData.UniqueCode("pj");
        var levels = new Dictionary<string, int> { ["compute.capacity"] = 5, ["data.quality-management"] = 2, ["governance.policy-accountability"] = 3 };
        var first = await RollupTestData.AgencyAsync(portal, HindiName, sector, jurisdiction, levels);
        var second = await RollupTestData.AgencyAsync(portal, "Briefing Second Agency", sector, jurisdiction,
            new Dictionary<string, int> { ["compute.capacity"] = 2, ["skills.defined-roles"] = 4 });
        await RollupTestData.OpenFlagAsync(portal, first, "compute-leads-data", Domain.OutOfStep.FlagSeverity.High);
        var subject = scope switch
        {
            "national" => "all",
            "sector" => sector,
            "jurisdiction" => jurisdiction,
            "agency" => first.ToString("D"),
            _ => (await WorkingGroupPageData.GroupAsync(portal, "PDF group " + Guid.NewGuid().ToString("N")[..6], first, second)).ToString("D"),
        };
        Assert.True(BriefingTarget.TryParse(scope, subject, lang, out var target));

        var printer = portal.Factory.Services.GetRequiredService<ChromiumPrinter>();
        var blockedBefore = printer.BlockedRequests;
        var (model, pdf) = await PrintAsync(target);
        Assert.Equal(blockedBefore, printer.BlockedRequests); // the briefing asked for nothing outside itself

        var pages = (await PdfTools.PagesAsync(pdf.Bytes)).Select(Flatten).ToList();
        Assert.Equal(pdf.Pages, pages.Count);
        var text = string.Join(' ', pages);

        // Every page: which page of how many, the data version, the scope and the language.
        var version = (lang == "hi" ? "डेटा संस्करण " : "Data version ") + model.Version.Tag;
        var language = lang == "hi" ? "हिन्दी" : "English";
        for (var i = 0; i < pages.Count; i++)
        {
            var pageOf = lang == "hi" ? $"पृष्ठ {i + 1} / {pages.Count}" : $"Page {i + 1} of {pages.Count}";
            Assert.Contains(pageOf, pages[i], StringComparison.Ordinal);
            Assert.Contains(version, pages[i], StringComparison.Ordinal);
            Assert.Contains(language, pages[i], StringComparison.Ordinal);
        }

        // The scope's agencies with the scores the API gives, in the briefing's number format.
        var culture = CultureInfo.GetCultureInfo(lang == "hi" ? "hi-IN" : "en-IN");
        await using (var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var inScope = scope == "agency" ? [first] : new[] { first, second };
            foreach (var summary in scope == "national" ? [] : await session.LoadManyAsync<AgencySummary>(inScope))
            {
                Assert.Contains(summary.Name, text, StringComparison.Ordinal);
                var row = Regex.Escape(summary.Name) + @"\s+" + string.Join(@"\s+", Layers.All.Select(l =>
                    Regex.Escape(summary.LayerScores()[l] is { } s ? s.ToString("0", culture) : "–")));
                Assert.Matches(row, text);
            }
        }

        if (scope == "agency")
        {
            Assert.DoesNotContain("Briefing Second Agency", text, StringComparison.Ordinal);
        }

        // Hindi conjuncts survive shaping and extraction (the agency's name is Hindi in both briefings; a national
        // briefing lists only the weakest agencies of a portfolio this large).
        if (scope != "national")
        {
            Assert.Contains(HindiName, text, StringComparison.Ordinal);
        }
        if (lang == "hi")
        {
            Assert.Contains("कार्यकारी सारांश", text, StringComparison.Ordinal);
        }

        // The flag's explanation in the briefing's language: every character in order. Spaces are not compared: poppler
        // puts one between an anusvara and a following conjunct ("कंप्यूट" extracts as "कं प्यूट"), where the PDF has none.
        // (A national briefing of a portfolio this large lists the 50 most severe flags only.)
        var explanation = lang == "hi" ? "कंप्यूट स्तर 4 पर है लेकिन डेटा स्तर 2 पर है।" : "Compute is at level 4 but Data is at level 2.";
        if (scope != "national")
        {
            Assert.Contains(Whitespace().Replace(explanation, ""), Whitespace().Replace(text, ""), StringComparison.Ordinal);
        }

        // Tagged, titled, with the language set and an outline of the headings.
        var info = await PdfTools.InfoAsync(pdf.Bytes);
        Assert.Equal("yes", info["Tagged"]);
        Assert.Equal(model.Title, info["Title"]);
        using var document = PdfDocument.Open(pdf.Bytes);
        Assert.Equal(lang, document.Structure.Catalog.CatalogDictionary.Data["Lang"].ToString()?.Trim('(', ')'));
        Assert.True(document.TryGetBookmarks(out var outline));
        var headings = outline.GetNodes().Select(b => b.Title).ToList();
        Assert.Contains(lang == "hi" ? "कार्यकारी सारांश" : "Executive summary", headings);
        Assert.Contains(lang == "hi" ? "कार्यप्रणाली परिशिष्ट" : "Methodology annex", headings);
        Assert.All(await PdfTools.FontsAsync(pdf.Bytes), f => Assert.True(f.Embedded, $"{f.Name} is not embedded"));
    }

    private async Task<(BriefingModel Model, PrintedPdf Pdf)> PrintAsync(BriefingTarget target)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var model = await scope.ServiceProvider.GetRequiredService<BriefingQueries>().LoadAsync(target, CancellationToken.None);
        Assert.NotNull(model);
        var html = await scope.ServiceProvider.GetRequiredService<BriefingHtml>().RenderAsync(model, new Uri("http://127.0.0.1:5080/"), CancellationToken.None);
        return (model, await scope.ServiceProvider.GetRequiredService<ChromiumPrinter>().PrintAsync(html, CancellationToken.None));
    }

    /// <summary>Text as one line: a table cell's wrapped lines joined by single spaces.</summary>
    private static string Flatten(string text) => Whitespace().Replace(text, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
