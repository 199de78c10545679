using CoordinationPortal.Domain.Briefings;

namespace CoordinationPortal.Web.Briefings;

/// <summary>A generated briefing as the pages and the API describe it (its bytes are read only to download it).</summary>
public sealed record BriefingFileInfo(
    BriefingTarget Target,
    string Title,
    DataVersion Version,
    string ETag,
    long Bytes,
    int Pages,
    DateTimeOffset GeneratedAt,
    int GenerationMilliseconds)
{
    /// <summary>The download's file name, e.g. <c>briefing-national-all-hi-4711.20261205.pdf</c>.</summary>
    public string FileName => $"briefing-{Target.ScopeSlug}-{Target.Subject}-{Target.Language}-{Version.Tag}.pdf";
}

/// <summary>Where a requested briefing stands for the reader who asked.</summary>
public abstract record BriefingState
{
    /// <summary>Generated from the current data: download it.</summary>
    public sealed record Ready(BriefingFileInfo File) : BriefingState;

    /// <summary>
    /// Queued or being generated since <paramref name="Since"/>, for data at least at <paramref name="Sequence"/>; ask
    /// again shortly with <c>after=</c> that sequence, and any briefing printed from that data or newer is served.
    /// </summary>
    public sealed record Pending(DateTimeOffset Since, long Sequence = 0) : BriefingState;

    /// <summary>Generation failed after its retries at <paramref name="At"/>; asking again queues a new attempt.</summary>
    public sealed record Failed(DateTimeOffset At) : BriefingState;

    /// <summary>Chromium is not installed where briefings are printed: <see cref="BriefingAvailability.InstallHint"/> says what to install.</summary>
    public sealed record Unavailable : BriefingState;

    /// <summary>No such sector, jurisdiction, agency or working group.</summary>
    public sealed record NotFound : BriefingState;

    /// <summary>The reader may not read this briefing (a working group's, for someone who does not read the whole group).</summary>
    public sealed record Forbidden : BriefingState;
}

/// <summary>A subject a reader may choose on the Briefings page: its code or id, and its name in the page's language.</summary>
public sealed record BriefingSubject(string Subject, string Name);

/// <summary>Every subject the reader may choose, per scope.</summary>
public sealed record BriefingSubjects(
    IReadOnlyList<BriefingSubject> Sectors,
    IReadOnlyList<BriefingSubject> Jurisdictions,
    IReadOnlyList<BriefingSubject> Agencies,
    IReadOnlyList<BriefingSubject> WorkingGroups);
