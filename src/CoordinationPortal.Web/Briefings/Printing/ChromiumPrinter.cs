using System.Text.RegularExpressions;
using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace CoordinationPortal.Web.Briefings.Printing;

/// <summary>
/// Prints self-contained HTML to tagged PDF with headless Chromium, on the operating rules of a PDF service: one
/// browser per process, a fresh isolated context per document, at most <see cref="PrintSettings.Concurrency"/>
/// documents at once, a time limit per document, and the browser replaced after
/// <see cref="PrintSettings.RecycleAfter"/> documents or as soon as it crashes or hangs.
/// </summary>
/// <remarks>
/// The page may reach nothing. The document is served to the page by request interception at a reserved address
/// (<c>.invalid</c> never resolves), JavaScript is off, every other request is refused in the browser and counted, and
/// the browser's resolver maps every host name to "not found" as a second wall; so a briefing whose text names a URL
/// cannot make the server fetch it. Browser-level background traffic (updates, sync, metrics) is switched off.
/// </remarks>
public sealed partial class ChromiumPrinter(PrintSettings settings, ILogger<ChromiumPrinter> log) : IAsyncDisposable
{
    /// <summary>The one address the page loads; the answer comes from this process, never from a network.</summary>
    public const string DocumentUrl = "http://briefing.invalid/";

    private const string FaviconUrl = DocumentUrl + "favicon.ico";

    private static readonly string[] Arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--metrics-recording-only",
        "--no-first-run",
        "--no-default-browser-check",
        "--no-pings",
        // Quoted: the launcher joins the arguments into one command line.
        "--host-resolver-rules=\"MAP * ~NOTFOUND\"",
    ];

    private readonly SemaphoreSlim _slots = new(settings.Concurrency, settings.Concurrency);
    private readonly SemaphoreSlim _browserLock = new(1, 1);
    private Lease? _current;
    private long _launches;
    private long _blocked;
    private long _printed;

    public bool IsAvailable => settings.ChromiumPath is { } path && File.Exists(path);

    /// <summary>Browsers started by this process so far (a recycled or replaced browser counts again).</summary>
    public long Launches => Interlocked.Read(ref _launches);

    /// <summary>Requests a printed page tried to make and was refused.</summary>
    public long BlockedRequests => Interlocked.Read(ref _blocked);

    /// <summary>Documents printed by this process.</summary>
    public long Printed => Interlocked.Read(ref _printed);

    /// <summary>The running browser's process id, if one runs.</summary>
    public int? BrowserProcessId => _current?.Browser.Process?.Id;

    public async Task<PrintedPdf> PrintAsync(string html, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (!IsAvailable)
        {
            throw new BriefingPrintException($"Chromium was not found. Install it: {BriefingAvailability.InstallCommand}");
        }

        await _slots.WaitAsync(ct);
        try
        {
            // A browser that died between two documents may not have been noticed yet (its connection closes a moment
            // after the process ends): a document that fails on a dead browser is printed once more on a new one.
            for (var attempt = 1; ; attempt++)
            {
                var lease = await AcquireAsync(ct);
                var failed = false;
                try
                {
                    using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    limit.CancelAfter(settings.Timeout);
                    var bytes = await PrintOnAsync(lease, html).WaitAsync(limit.Token);
                    Interlocked.Increment(ref _printed);
                    return new PrintedPdf(bytes, CountPages(bytes));
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    failed = true;
                    LogHung(log, settings.TimeoutSeconds, lease.Pid);
                    throw new BriefingPrintException($"Printing took longer than {settings.TimeoutSeconds} s.");
                }
                catch (Exception e) when (e is not OperationCanceledException and not BriefingPrintException)
                {
                    failed = true;
                    if (attempt == 1 && await lease.DiesWithinAsync(TimeSpan.FromSeconds(2)))
                    {
                        LogDeadBrowser(log, lease.Pid);
                        continue;
                    }

                    LogFailed(log, e, lease.Pid);
                    throw new BriefingPrintException("The browser failed while printing.", e);
                }
                finally
                {
                    await ReleaseAsync(lease, failed);
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<byte[]> PrintOnAsync(Lease lease, string html)
    {
        var sheet = await lease.TakeSheetAsync(OpenSheetAsync);
        try
        {
            sheet.Html = html;
            await sheet.Page.GoToAsync(DocumentUrl, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 0 });
            return await sheet.Page.PdfDataAsync(new PdfOptions
            {
                Format = PaperFormat.A4,
                PreferCSSPageSize = true,
                PrintBackground = true,
                Tagged = true,
                Outline = true,
                DisplayHeaderFooter = false,
                // Fonts are the system's (web fonts would be a request, refused); waiting for them evaluates script in the page.
                WaitForFonts = false,
            });
        }
        finally
        {
            try
            {
                await sheet.Context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is PuppeteerException or TimeoutException or ObjectDisposedException)
            {
                // A dead browser has no context to close; the lease is retired by the caller.
            }
        }
    }

    /// <summary>
    /// A new isolated browser context with one page, JavaScript off and every request intercepted: used for one document
    /// only. Opening one starts a renderer process (half a second or more on a busy machine), so each lease keeps the next
    /// one opening while the current document prints.
    /// </summary>
    private async Task<Sheet> OpenSheetAsync(IBrowser browser)
    {
        var context = await browser.CreateBrowserContextAsync();
        var page = await context.NewPageAsync();
        var sheet = new Sheet(context, page);
        await page.SetJavaScriptEnabledAsync(false);
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            try
            {
                if (e.Request.Url == DocumentUrl && sheet.Html is { } html)
                {
                    await e.Request.RespondAsync(new ResponseData { Status = System.Net.HttpStatusCode.OK, ContentType = "text/html; charset=utf-8", Body = html });
                    return;
                }

                if (e.Request.Url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                {
                    // Inlined content (the charts): read from the document itself, no network involved.
                    await e.Request.ContinueAsync();
                    return;
                }

                if (e.Request.Url == FaviconUrl)
                {
                    // The browser's own request for every page, not the document's: answered "none" from here.
                    await e.Request.RespondAsync(new ResponseData { Status = System.Net.HttpStatusCode.NotFound, Body = "" });
                    return;
                }

                Interlocked.Increment(ref _blocked);
                LogBlocked(log, e.Request.Url.Length > 200 ? e.Request.Url[..200] : e.Request.Url);
                await e.Request.AbortAsync(RequestAbortErrorCode.BlockedByClient);
            }
            catch (PuppeteerException)
            {
                // The page closed meanwhile: nothing to answer.
            }
        };
        return sheet;
    }

    private async Task<Lease> AcquireAsync(CancellationToken ct)
    {
        await _browserLock.WaitAsync(ct);
        try
        {
            if (_current is { } current && (current.Retired || current.IsDead))
            {
                current.Retired = true;
                _current = null;
                if (current.InFlight == 0)
                {
                    await CloseAsync(current);
                }
            }

            _current ??= await LaunchAsync(ct);
            _current.InFlight++;
            return _current;
        }
        finally
        {
            _browserLock.Release();
        }
    }

    private async Task ReleaseAsync(Lease lease, bool failed)
    {
        await _browserLock.WaitAsync();
        try
        {
            lease.InFlight--;
            lease.Printed++;
            if (failed)
            {
                // Crashed or hung: documents still on it fail and are retried by their jobs; nothing new goes to it.
                lease.Retired = true;
                Kill(lease);
            }
            else if (lease.Printed >= settings.RecycleAfter && !lease.Retired)
            {
                lease.Retired = true;
                LogRecycled(log, lease.Pid, lease.Printed);
            }

            if (lease.Retired)
            {
                if (ReferenceEquals(_current, lease))
                {
                    _current = null;
                }

                if (lease.InFlight == 0)
                {
                    await CloseAsync(lease);
                }
            }
        }
        finally
        {
            _browserLock.Release();
        }
    }

    private async Task<Lease> LaunchAsync(CancellationToken ct)
    {
        var profile = Directory.CreateTempSubdirectory("portal-chromium-");
        try
        {
            var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                Headless = true,
                ExecutablePath = settings.ChromiumPath,
                UserDataDir = profile.FullName,
                Args = Arguments,
                Timeout = 30_000,
            }).WaitAsync(TimeSpan.FromSeconds(40), ct);
            Interlocked.Increment(ref _launches);
            var lease = new Lease(browser, profile.FullName);
            LogStarted(log, lease.Pid);
            return lease;
        }
        catch (Exception e) when (e is PuppeteerException or TimeoutException or System.ComponentModel.Win32Exception or IOException)
        {
            TryDelete(profile.FullName);
            throw new BriefingPrintException("Chromium would not start.", e);
        }
    }

    private static void Kill(Lease lease)
    {
        try
        {
            lease.Browser.Process?.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private async Task CloseAsync(Lease lease)
    {
        try
        {
            await lease.Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is PuppeteerException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            LogCloseFailed(log, e, lease.Pid);
            Kill(lease);
        }

        lease.Browser.Dispose();
        TryDelete(lease.ProfileDirectory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary profile left behind is cleaned with the temporary folder.
        }
    }

    /// <summary>The number of page objects: Chromium writes each page as <c>/Type /Page</c> and the tree's nodes as <c>/Type /Pages</c>.</summary>
    public static int CountPages(byte[] pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        return PageObject().Count(System.Text.Encoding.Latin1.GetString(pdf));
    }

    [GeneratedRegex(@"/Type\s*/Page(?![A-Za-z])")]
    private static partial Regex PageObject();

    [LoggerMessage(7301, LogLevel.Warning, "A printed briefing tried to load {Url}; refused")]
    private static partial void LogBlocked(ILogger logger, string url);

    [LoggerMessage(7302, LogLevel.Warning, "A briefing took longer than {Seconds} s to print; the browser (pid {Pid}) is replaced")]
    private static partial void LogHung(ILogger logger, int seconds, int? pid);

    [LoggerMessage(7303, LogLevel.Warning, "Printing a briefing failed; the browser (pid {Pid}) is replaced")]
    private static partial void LogFailed(ILogger logger, Exception exception, int? pid);

    [LoggerMessage(7304, LogLevel.Information, "The briefing browser (pid {Pid}) printed {Count} documents and is replaced")]
    private static partial void LogRecycled(ILogger logger, int? pid, int count);

    [LoggerMessage(7305, LogLevel.Information, "Started the briefing browser (pid {Pid})")]
    private static partial void LogStarted(ILogger logger, int? pid);

    [LoggerMessage(7307, LogLevel.Warning, "The briefing browser (pid {Pid}) had died; the document is printed on a new one")]
    private static partial void LogDeadBrowser(ILogger logger, int? pid);

    [LoggerMessage(7306, LogLevel.Debug, "Closing the briefing browser (pid {Pid}) failed; it is killed")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, int? pid);

    public async ValueTask DisposeAsync()
    {
        if (_current is { } lease)
        {
            _current = null;
            await CloseAsync(lease);
        }

        _slots.Dispose();
        _browserLock.Dispose();
    }

    /// <summary>One document's context and page; <see cref="Html"/> is what the page is served.</summary>
    private sealed class Sheet(IBrowserContext context, IPage page)
    {
        public IBrowserContext Context { get; } = context;

        public IPage Page { get; } = page;

        public string? Html { get; set; }
    }

    private sealed class Lease(IBrowser browser, string profileDirectory)
    {
        private readonly Lock _spareLock = new();
        private Task<Sheet>? _spare;

        /// <summary>The sheet opened in advance (or a new one), and the next one starts opening.</summary>
        public Task<Sheet> TakeSheetAsync(Func<IBrowser, Task<Sheet>> open)
        {
            lock (_spareLock)
            {
                var sheet = _spare ?? open(Browser);
                _spare = Retired ? null : open(Browser);
                // A spare that fails (its browser died) is never awaited; its exception is observed here.
                _spare?.ContinueWith(t => t.Exception, TaskScheduler.Default);
                return sheet;
            }
        }

        public IBrowser Browser { get; } = browser;

        public string ProfileDirectory { get; } = profileDirectory;

        public int? Pid { get; } = browser.Process?.Id;

        public int InFlight { get; set; }

        public int Printed { get; set; }

        public bool Retired { get; set; }

        /// <summary>
        /// Whether the browser is dead, or is seen to die within <paramref name="wait"/>: after a failed command, the end
        /// of its process and of its connection may be noticed a moment later than the failure.
        /// </summary>
        public async Task<bool> DiesWithinAsync(TimeSpan wait)
        {
            var until = DateTime.UtcNow + wait;
            while (!IsDead)
            {
                if (DateTime.UtcNow >= until)
                {
                    return false;
                }

                await Task.Delay(50);
            }

            return true;
        }

        /// <summary>The browser's process has ended or its connection is closed.</summary>
        public bool IsDead
        {
            get
            {
                if (!Browser.IsConnected)
                {
                    return true;
                }

                try
                {
                    return Browser.Process is { HasExited: true };
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }
    }
}
