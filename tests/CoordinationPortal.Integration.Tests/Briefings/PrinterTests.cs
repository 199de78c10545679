using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CoordinationPortal.Web.Briefings.Printing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace CoordinationPortal.Integration.Tests.Briefings;

/// <summary>
/// The Chromium printer on its own, with Debian's Chromium: a tagged PDF with outline, language, table headers, alt
/// text and embedded fonts whose Hindi extracts correctly; no request leaves the page; a crashed, hung or well-used
/// browser is replaced; a missing Chromium is a clear error.
/// </summary>
public sealed class PrinterTests
{
    private const string Hindi = """
        <!DOCTYPE html><html lang="hi"><head><meta charset="utf-8"><title>परीक्षण ब्रीफ़िंग</title>
        <style>
          @page { size: A4; margin: 18mm; @top-left { content: "डेटा संस्करण 42.20261205"; } @bottom-right { content: "पृष्ठ " counter(page) " / " counter(pages); } }
          body { font-family: "Noto Sans", "Noto Sans Devanagari", sans-serif; }
          .long { break-before: page; }
        </style></head>
        <body>
          <h1>क्षेत्र की तैयारी</h1>
          <p>त्रैमासिक ज्ञान श्रम: क्ष त्र ज्ञ श्र</p>
          <h2>तालिका</h2>
          <table><caption>परतें</caption><thead><tr><th scope="col">एजेंसी</th><th scope="col">डेटा</th></tr></thead>
            <tbody><tr><th scope="row">स्वास्थ्य मंत्रालय</th><td>42</td></tr></tbody></table>
          <img alt="डेटा 42, कंप्यूट 60" src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCI+PHJlY3Qgd2lkdGg9IjEwIiBoZWlnaHQ9IjEwIi8+PC9zdmc+">
          <h2 class="long">दूसरा खंड</h2><p>अंत</p>
        </body></html>
        """;

    private static ChromiumPrinter Printer(int timeoutSeconds = 60, int recycleAfter = 50, int concurrency = 2) =>
        new(PrintSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Briefings:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Briefings:RecycleAfter"] = recycleAfter.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Briefings:Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build()), NullLogger<ChromiumPrinter>.Instance);

    [Fact]
    public async Task a_hindi_document_prints_tagged_with_outline_language_and_embedded_fonts_and_its_conjuncts_extract()
    {
        await using var printer = Printer();
        var pdf = await printer.PrintAsync(Hindi, CancellationToken.None);

        Assert.Equal(2, pdf.Pages);
        var pages = await PdfTools.PagesAsync(pdf.Bytes);
        Assert.Equal(2, pages.Count);
        Assert.Contains("क्षेत्र की तैयारी", pages[0], StringComparison.Ordinal);
        Assert.Contains("क्ष त्र ज्ञ श्र", pages[0], StringComparison.Ordinal);
        Assert.Contains("पृष्ठ 1 / 2", pages[0], StringComparison.Ordinal);
        Assert.Contains("पृष्ठ 2 / 2", pages[1], StringComparison.Ordinal);
        Assert.All(pages, p => Assert.Contains("डेटा संस्करण 42.20261205", p, StringComparison.Ordinal));

        var info = await PdfTools.InfoAsync(pdf.Bytes);
        Assert.Equal("yes", info["Tagged"]);
        Assert.Equal("परीक्षण ब्रीफ़िंग", info["Title"]);
        var fonts = await PdfTools.FontsAsync(pdf.Bytes);
        Assert.NotEmpty(fonts);
        Assert.All(fonts, f => Assert.True(f.Embedded, $"{f.Name} is not embedded"));

        using var document = PdfDocument.Open(pdf.Bytes);
        var catalog = document.Structure.Catalog.CatalogDictionary;
        Assert.Equal("hi", Assert.IsType<StringToken>(catalog.Data["Lang"]).Data);
        Assert.True(catalog.ContainsKey(NameToken.StructTreeRoot));
        Assert.True(catalog.ContainsKey(NameToken.Outlines));
        Assert.True(document.TryGetBookmarks(out var bookmarks));
        Assert.Contains(bookmarks.GetNodes(), b => b.Title == "क्षेत्र की तैयारी");
        Assert.Contains(bookmarks.GetNodes(), b => b.Title == "दूसरा खंड");

        // Table headers and the image's alternative text are in the structure tree.
        var structure = System.Text.Encoding.Latin1.GetString(pdf.Bytes);
        Assert.Contains("/TH", structure, StringComparison.Ordinal);
        Assert.Contains("/Figure", structure, StringComparison.Ordinal);
        Assert.Contains("/Alt", structure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_page_makes_no_network_request_whatever_the_html_asks_for()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
            }
        });

        var url = $"http://127.0.0.1:{port}";
        var html = $$"""
            <!DOCTYPE html><html lang="en"><head><title>Hostile</title>
            <link rel="stylesheet" href="{{url}}/a.css"><link rel="prefetch" href="{{url}}/p"><link rel="icon" href="{{url}}/i.ico">
            <style>@import url("{{url}}/b.css"); @font-face { font-family: X; src: url("{{url}}/f.woff2"); } body { font-family: X; background: url("{{url}}/bg.png"); }</style>
            </head><body><h1>Hostile</h1><img src="{{url}}/i.png" alt="x"><iframe src="{{url}}/frame"></iframe>
            <object data="{{url}}/o"></object><video poster="{{url}}/v.png"></video><img src="http://metadata.example.internal/latest" alt="y">
            <script src="{{url}}/s.js"></script></body></html>
            """;

        await using var printer = Printer();
        var pdf = await printer.PrintAsync(html, CancellationToken.None);
        await Task.Delay(500);
        await stop.CancelAsync();
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);

        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf.Bytes, 0, 4), StringComparison.Ordinal);
        Assert.Equal(0, connections);
        Assert.True(printer.BlockedRequests >= 5, $"only {printer.BlockedRequests} requests were refused");
    }

    [Fact]
    public async Task a_crashed_browser_is_replaced_and_the_next_document_prints()
    {
        await using var printer = Printer();
        await printer.PrintAsync(Hindi, CancellationToken.None);
        var first = printer.BrowserProcessId!.Value;
        using (var process = Process.GetProcessById(first))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var pdf = await printer.PrintAsync(Hindi, CancellationToken.None);
        Assert.Equal(2, pdf.Pages);
        Assert.Equal(2, printer.Launches);
        Assert.NotEqual(first, printer.BrowserProcessId);

        // Killed the moment before the next document, so its death may not be noticed until that document fails on it:
        // the document is printed on a new browser all the same.
        var second = printer.BrowserProcessId!.Value;
        using (var process = Process.GetProcessById(second))
        {
            process.Kill(entireProcessTree: true);
        }

        pdf = await printer.PrintAsync(Hindi, CancellationToken.None);
        Assert.Equal(2, pdf.Pages);
        Assert.Equal(3, printer.Launches);
        Assert.NotEqual(second, printer.BrowserProcessId);
    }

    [Fact]
    public async Task a_hung_browser_times_out_is_killed_and_replaced()
    {
        // Long enough for a real document on a busy machine, short enough for the test.
        await using var printer = Printer(timeoutSeconds: 10);
        await printer.PrintAsync(Hindi, CancellationToken.None);
        var hung = printer.BrowserProcessId!.Value;
        Signal("STOP", hung);
        try
        {
            await Assert.ThrowsAsync<BriefingPrintException>(() => printer.PrintAsync(Hindi, CancellationToken.None));
            var pdf = await printer.PrintAsync(Hindi, CancellationToken.None);
            Assert.Equal(2, pdf.Pages);
            Assert.Equal(2, printer.Launches);
            Assert.True(Exited(hung), "the hung browser was left running");
        }
        finally
        {
            if (!Exited(hung))
            {
                Signal("KILL", hung);
            }
        }
    }

    [Fact]
    public async Task the_browser_is_recycled_after_its_quota_of_documents()
    {
        await using var printer = Printer(recycleAfter: 2);
        for (var i = 0; i < 5; i++)
        {
            await printer.PrintAsync(Hindi, CancellationToken.None);
        }

        Assert.Equal(5, printer.Printed);
        Assert.Equal(3, printer.Launches);
    }

    [Fact]
    public async Task documents_printed_at_once_each_get_their_own_pages()
    {
        await using var printer = Printer(concurrency: 2);
        var documents = Enumerable.Range(1, 4)
            .Select(i => Hindi.Replace("क्षेत्र की तैयारी", $"दस्तावेज़ {i}", StringComparison.Ordinal))
            .ToList();
        var printed = await Task.WhenAll(documents.Select(d => printer.PrintAsync(d, CancellationToken.None)));
        for (var i = 0; i < printed.Length; i++)
        {
            var pages = await PdfTools.PagesAsync(printed[i].Bytes);
            Assert.Contains($"दस्तावेज़ {i + 1}", pages[0], StringComparison.Ordinal);
        }

        Assert.Equal(1, printer.Launches);
    }

    [Fact]
    public async Task a_missing_chromium_says_what_to_install()
    {
        var settings = PrintSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Briefings:ChromiumPath"] = "/nonexistent/chromium",
        }).Build());
        await using var printer = new ChromiumPrinter(settings, NullLogger<ChromiumPrinter>.Instance);
        Assert.False(printer.IsAvailable);
        var error = await Assert.ThrowsAsync<BriefingPrintException>(() => printer.PrintAsync(Hindi, CancellationToken.None));
        Assert.Contains("apt-get install -y chromium", error.Message, StringComparison.Ordinal);
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", $"-{signal} {pid}");
        kill.WaitForExit();
    }

    private static bool Exited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
