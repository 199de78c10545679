using System.Security.Claims;
using CoordinationPortal.Domain.Briefings;

namespace CoordinationPortal.Web.Briefings;

/// <summary>
/// What the Briefings page and the API ask of the feature: a briefing's state for a reader (queueing its generation
/// when the current data has none), the reader's recent briefings, and the subjects they may choose.
/// CONTRACT SKELETON: the lead engineer fills it in on main.
/// </summary>
public sealed class BriefingService
{
    /// <summary>The briefing of the current data for this reader: ready, or now queued (pending), or why not.</summary>
    public Task<BriefingState> RequestAsync(BriefingTarget target, ClaimsPrincipal user, CancellationToken ct) =>
        throw new NotImplementedException(target.ToString() + user.Identity?.Name + ct.IsCancellationRequested);

    /// <summary>The most recently generated briefings this reader may download, newest first.</summary>
    public Task<IReadOnlyList<BriefingFileInfo>> RecentAsync(ClaimsPrincipal user, int take, CancellationToken ct) =>
        throw new NotImplementedException(user.Identity?.Name + take + ct.IsCancellationRequested);

    /// <summary>Every sector, jurisdiction, agency and working group this reader may ask a briefing of, named in <paramref name="language"/>.</summary>
    public Task<BriefingSubjects> SubjectsAsync(ClaimsPrincipal user, string language, CancellationToken ct) =>
        throw new NotImplementedException(user.Identity?.Name + language + ct.IsCancellationRequested);
}

/// <summary>Whether this process can print briefings (Chromium found), and what to install when it cannot.</summary>
public sealed class BriefingAvailability
{
    /// <summary>The Debian command that installs what briefings need.</summary>
    public const string InstallCommand = "apt-get install -y chromium fonts-noto-core";

    public bool IsAvailable { get; init; }

    public string? ChromiumPath { get; init; }
}
