using System.Net;
using System.Text.RegularExpressions;
using CoordinationPortal.Integration.Tests.Infrastructure;

namespace CoordinationPortal.Integration.Tests.Performance;

/// <summary>
/// A first visit over a slow link: the stylesheet the pages link (MudBlazor's, fingerprinted) arrives as brotli, small
/// and immutable; HTML pages and API answers are compressed; every fingerprinted asset a page links is compressed and
/// immutable.
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class CompressionTests(PortalFixture portal)
{
    private const string BrowserEncodings = "gzip, deflate, br, zstd";

    [Fact]
    public async Task the_linked_mudblazor_stylesheet_arrives_as_brotli_under_60_kb_and_immutable()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var page = await client.GetStringAsync("/");
        var href = Linked().Matches(page).Select(m => m.Groups[1].Value).Single(h => h.Contains("MudBlazor.min", StringComparison.Ordinal) && h.EndsWith(".css", StringComparison.Ordinal));
        Assert.Matches(@"MudBlazor\.min\.[a-z0-9]{8,}\.css$", href); // the fingerprinted URL

        using var response = await GetAsync(client, "/" + href, BrowserEncodings);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
        Assert.InRange(bytes, 1, 60 * 1024);
        AssertImmutable(response);
    }

    [Fact]
    public async Task every_fingerprinted_asset_a_page_links_is_compressed_and_immutable()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var page = await client.GetStringAsync("/");
        var assets = Linked().Matches(page).Select(m => m.Groups[1].Value).Where(h => h.EndsWith(".css", StringComparison.Ordinal) || h.EndsWith(".js", StringComparison.Ordinal)).ToList();
        Assert.Contains(assets, a => a.Contains("blazor.web", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            Assert.Matches(@"\.[a-z0-9]{8,}\.(css|js)$", asset); // every one fingerprinted
            using var response = await GetAsync(client, "/" + asset, "gzip");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Content.Headers.ContentEncoding.Contains("gzip"), $"{asset} was not sent gzip-compressed");
            AssertImmutable(response);
        }
    }

    [Theory]
    [InlineData("/", "br")]
    [InlineData("/flags", "gzip")]
    [InlineData("/api/v1/agencies", "br")]
    [InlineData("/api/v1/agencies", "gzip")]
    public async Task html_pages_and_api_answers_arrive_compressed(string path, string encoding)
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var plain = await client.GetAsync(path);
        var plainBytes = (await plain.Content.ReadAsByteArrayAsync()).Length;

        using var response = await GetAsync(client, path, encoding);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
        Assert.True(bytes * 2 < plainBytes, $"{path} as {encoding}: {bytes} bytes against {plainBytes} uncompressed");
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string encodings)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", encodings);
        return await client.SendAsync(request);
    }

    private static void AssertImmutable(HttpResponseMessage response)
    {
        var cache = response.Headers.CacheControl;
        Assert.NotNull(cache);
        Assert.True(cache.Public, "Cache-Control: public");
        Assert.Equal(TimeSpan.FromSeconds(31536000), cache.MaxAge);
        Assert.Contains(cache.Extensions, e => e.Name == "immutable");
    }

    [GeneratedRegex("(?:href|src)=\"([^\"]+\\.(?:css|js))\"")]
    private static partial Regex Linked();
}
