using System.Diagnostics;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Web.Briefings.Content;
using CoordinationPortal.Web.Briefings.Printing;
using CoordinationPortal.Web.Briefings.Storage;
using CoordinationPortal.Web.Kernel;
using CoordinationPortal.Web.Operations;
using Hangfire;

namespace CoordinationPortal.Web.Briefings;

/// <summary>
/// Generates one briefing on the <c>briefings</c> queue: reads the data with its version, renders the HTML, prints it
/// and stores the PDF under the key of the version it actually read (a write that landed after the request makes the
/// job print the newer data, and the request's pending row gives way to it). A failed print (Chromium crashed, hung or
/// would not start; the printer has replaced the browser) is retried twice by Hangfire; the third failure marks the row
/// failed, and the next request queues it again.
/// </summary>
public sealed partial class BriefingJob(
    BriefingQueries queries,
    BriefingHtml html,
    ChromiumPrinter printer,
    BriefingStore store,
    PortalClock clock,
    ILogger<BriefingJob> log)
{
    public const int MaxAttempts = 3;

    [Queue(JobQueues.Briefings)]
    [AutomaticRetry(Attempts = MaxAttempts - 1, DelaysInSeconds = [1, 3], OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task GenerateAsync(string scope, string subject, string language, string requestedKey, CancellationToken ct)
    {
        if (!BriefingTarget.TryParse(scope, subject, language, out var target))
        {
            return;
        }

        var attempt = await store.StartAttemptAsync(requestedKey, ct);
        if (attempt == 0)
        {
            // Printed already (by an earlier attempt or another process), or purged.
            return;
        }

        try
        {
            await GenerateAsync(target, requestedKey, ct);
        }
        catch (Exception e) when (attempt >= MaxAttempts && e is not OperationCanceledException)
        {
            LogGaveUp(log, e, target.ToString(), attempt);
            await store.MarkFailedAsync(requestedKey, clock.Now, CancellationToken.None);
        }
    }

    private async Task GenerateAsync(BriefingTarget target, string requestedKey, CancellationToken ct)
    {
        var origin = await store.OriginAsync(requestedKey, ct) ?? BriefingService.FallbackOrigin;
        var started = Stopwatch.GetTimestamp();
        var model = await queries.LoadAsync(target, ct);
        if (model is null)
        {
            // The subject is gone (an agency or group deleted since the request).
            await store.DeletePendingAsync(requestedKey, ct);
            return;
        }

        var document = await html.RenderAsync(model, new Uri(origin), ct);
        var pdf = await printer.PrintAsync(document, ct);
        var key = BriefingKeys.For(target, model.Version, origin);
        var milliseconds = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await store.SaveReadyAsync(key, target, model.Version, origin, model.Title, BriefingKeys.ETagOf(pdf.Bytes), pdf.Bytes, pdf.Pages,
            clock.Now, milliseconds, ct);
        if (key != requestedKey)
        {
            await store.DeletePendingAsync(requestedKey, ct);
        }

        LogGenerated(log, target.ToString(), model.Version.Tag, pdf.Bytes.Length, pdf.Pages, milliseconds);
    }

    [LoggerMessage(7311, LogLevel.Information, "Briefing {Target} version {Version} generated: {Bytes} bytes, {Pages} pages, {Milliseconds} ms")]
    private static partial void LogGenerated(ILogger logger, string target, string version, int bytes, int pages, int milliseconds);

    [LoggerMessage(7312, LogLevel.Error, "Briefing {Target} failed on attempt {Attempt}; marked failed until asked for again")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string target, int attempt);
}

/// <summary>
/// The nightly work: the national briefing in both languages is generated before anyone asks (so the morning's first
/// download is instant), and each target's old versions beyond the newest three are purged.
/// </summary>
public sealed class BriefingNightlyJob(BriefingService briefings, BriefingStore store, PortalClock clock)
{
    public const string Id = "briefings-nightly";

    [Queue(JobQueues.Briefings)]
    [AutomaticRetry(Attempts = 1)]
    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var language in BriefingTarget.Languages)
        {
            await briefings.PregenerateAsync(new BriefingTarget(BriefingScope.National, BriefingTarget.AllSubject, language), ct);
        }

        await store.PurgeAsync(keep: 3, olderThan: clock.Now.AddDays(-1), ct);
    }
}
