using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.OutOfStep.RollupTestData;

namespace CoordinationPortal.Integration.Tests.Localization;

/// <summary>A note people typed keeps its own language: English evidence on a Hindi page is marked lang="en".</summary>
[Collection(PortalTests.Name)]
public sealed class NoteLanguageTests(PortalFixture portal)
{
    [Fact]
    public async Task an_english_evidence_note_on_a_hindi_page_carries_lang_en()
    {
        var agency = await AgencyAsync(portal, "Note language agency", UniqueCode("notes"), "national", new Dictionary<string, int> { ["compute.capacity"] = 3, ["data.quality-management"] = 2 });
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        var english = WebUtility.HtmlDecode(await client.GetStringAsync($"/agencies/{agency}"));
        using var switched = await client.GetAsync($"/culture?culture=hi-IN&returnUrl=/agencies/{agency}");
        var hindi = WebUtility.HtmlDecode(await client.GetStringAsync($"/agencies/{agency}"));

        Assert.Contains("<span>Evidence</span>", english, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"hi\"", hindi, StringComparison.Ordinal);
        Assert.Contains("<span lang=\"en\">Evidence</span>", hindi, StringComparison.Ordinal);
    }
}
