namespace CoordinationPortal.Web.Briefings.Printing;

/// <summary>
/// How briefings are printed (configuration section <c>Briefings</c>): where Chromium is, how many documents one
/// process prints at once, how long one may take, and after how many documents the browser is replaced.
/// </summary>
public sealed record PrintSettings
{
    /// <summary>Where Debian and most distributions put the browser: the real binary first (the wrapper script splits arguments).</summary>
    public static readonly IReadOnlyList<string> KnownPaths =
        ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary><c>Briefings:ChromiumPath</c>; when unset, the first of <see cref="KnownPaths"/> that exists.</summary>
    public string? ChromiumPath { get; init; }

    /// <summary><c>Briefings:Concurrency</c>: documents printed at once by this process (default: the cores, at most 4).</summary>
    public int Concurrency { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary><c>Briefings:TimeoutSeconds</c>: one document's limit; past it the browser counts as hung and is replaced.</summary>
    public int TimeoutSeconds { get; init; } = 60;

    /// <summary><c>Briefings:RecycleAfter</c>: documents one browser prints before it is replaced (memory held by a long-lived browser is given back).</summary>
    public int RecycleAfter { get; init; } = 50;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public static PrintSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Briefings");
        var defaults = new PrintSettings();
        return new PrintSettings
        {
            ChromiumPath = section["ChromiumPath"] is { Length: > 0 } path ? path : KnownPaths.FirstOrDefault(File.Exists),
            Concurrency = Math.Clamp(section.GetValue("Concurrency", defaults.Concurrency), 1, 16),
            TimeoutSeconds = Math.Clamp(section.GetValue("TimeoutSeconds", defaults.TimeoutSeconds), 1, 600),
            RecycleAfter = Math.Clamp(section.GetValue("RecycleAfter", defaults.RecycleAfter), 1, 10_000),
        };
    }
}

/// <summary>A printed document: its bytes and its page count.</summary>
public sealed record PrintedPdf(byte[] Bytes, int Pages);

/// <summary>A document could not be printed: Chromium is missing, would not start, crashed or hung. The job retries.</summary>
public sealed class BriefingPrintException(string message, Exception? inner = null) : Exception(message, inner);
