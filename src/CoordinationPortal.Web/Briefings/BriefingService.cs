using System.Security.Claims;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Briefings.Content;
using CoordinationPortal.Web.Briefings.Printing;
using CoordinationPortal.Web.Briefings.Storage;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Kernel;
using CoordinationPortal.Web.WorkingGroups;
using Hangfire;
using Marten;

namespace CoordinationPortal.Web.Briefings;

/// <summary>
/// What the Briefings page and the API ask of the feature: a briefing's state for a reader (queueing its generation
/// when the current data has none yet), the recent briefings and the subjects a reader may choose. Authorisation is
/// decided here: every signed-in reader reads national, sector, jurisdiction and agency briefings; a working group's
/// briefing is for the readers of the whole group, as its draft minutes are. One cached PDF serves everyone allowed.
/// </summary>
public sealed class BriefingService(
    BriefingQueries queries,
    BriefingStore store,
    BriefingAvailability availability,
    IBackgroundJobClient jobs,
    IQuerySession session,
    GroupReaders readers,
    ReferenceData reference,
    PortalClock clock,
    IConfiguration configuration,
    IHttpContextAccessor http)
{
    /// <summary>Where links in a briefing point when neither <c>Briefings:PublicUrl</c> nor a request says.</summary>
    public const string FallbackOrigin = "http://localhost/";

    /// <summary>A pending briefing whose job has not finished in this long is queued again (its job was lost).</summary>
    public static readonly TimeSpan LostAfter = TimeSpan.FromMinutes(5);

    /// <summary>A failed briefing is reported as failed for this long; a request after it queues a new attempt.</summary>
    public static readonly TimeSpan FailedFor = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The briefing of the current data for this reader: ready, or now queued (pending), or why not. With
    /// <paramref name="after"/> (the sequence a pending answer gave), a briefing printed from that data or newer is
    /// ready too: on a portal whose data changes every few seconds, a reader who waited gets the briefing that was
    /// printed for them rather than a new request each time.
    /// </summary>
    public async Task<BriefingState> RequestAsync(BriefingTarget target, ClaimsPrincipal user, CancellationToken ct, long? after = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(user);
        if (await RefusalAsync(target, user, ct) is { } refused)
        {
            return refused;
        }

        return await EnsureAsync(target, user.Identity?.Name ?? "", Origin(), after, ct);
    }

    /// <summary>The generated PDF of a ready briefing, or null when it has been purged meanwhile.</summary>
    public Task<byte[]?> PdfAsync(BriefingTarget target, BriefingFileInfo file, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        return store.PdfAsync(BriefingKeys.For(target, file.Version, Origin()), ct);
    }

    /// <summary>
    /// Queues the current version of a briefing as the system (the nightly job), unless it exists, for each address
    /// readers used in the last week (<c>Briefings:PublicUrl</c> alone when set), so the morning's downloads find it.
    /// </summary>
    public async Task PregenerateAsync(BriefingTarget target, CancellationToken ct)
    {
        IReadOnlyList<string> origins = Configured() is { } configured
            ? [configured]
            : await store.OriginsAsync(clock.Now.AddDays(-7), take: 3, ct);
        foreach (var origin in origins.DefaultIfEmpty(FallbackOrigin))
        {
            await EnsureAsync(target, "system", origin, null, ct);
        }
    }

    /// <summary>The most recently generated briefings this reader may download, newest first.</summary>
    public async Task<IReadOnlyList<BriefingFileInfo>> RecentAsync(ClaimsPrincipal user, int take, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var rows = await store.RecentAsync(Math.Clamp(take, 1, 100) * 2, ct);
        var groupIds = rows.Where(r => r.Target.Scope == BriefingScope.WorkingGroup).Select(r => r.Target.SubjectId!.Value).Distinct().ToArray();
        var readable = new HashSet<Guid>();
        if (groupIds.Length > 0)
        {
            var reader = await readers.ForAsync(user, ct);
            var groups = await session.LoadManyAsync<WorkingGroup>(ct, groupIds);
            readable.UnionWith(groups.Where(g => GroupAccess.For(g, reader).ReadsAll).Select(g => g.Id));
        }

        var origin = Origin();
        return [.. rows
            .Where(r => r.Origin == origin)
            .Where(r => r.Target.Scope != BriefingScope.WorkingGroup || readable.Contains(r.Target.SubjectId!.Value))
            .Select(r => r.File)
            .OfType<BriefingFileInfo>()
            .Take(Math.Clamp(take, 1, 100))];
    }

    /// <summary>Every sector, jurisdiction, agency and working group this reader may ask a briefing of, named in <paramref name="language"/>.</summary>
    public async Task<BriefingSubjects> SubjectsAsync(ClaimsPrincipal user, string language, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var agencies = await session.Query<AgencySummary>().Select(a => new AgencyName(a.Id, a.Name, a.Sector, a.Jurisdiction)).ToListAsync(ct);
        var reader = await readers.ForAsync(user, ct);
        var groups = (await session.Query<WorkingGroup>().ToListAsync(ct)).Where(g => GroupAccess.For(g, reader).ReadsAll);
        var comparer = StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo(language == "hi" ? "hi-IN" : "en-IN"), ignoreCase: true);
        return new BriefingSubjects(
            [.. agencies.Select(a => a.Sector).Distinct().Select(c => new BriefingSubject(c, reference.SectorName(c, language))).OrderBy(s => s.Name, comparer)],
            [.. agencies.Select(a => a.Jurisdiction).Distinct().Select(c => new BriefingSubject(c, reference.JurisdictionName(c, language))).OrderBy(s => s.Name, comparer)],
            [.. agencies.Select(a => new BriefingSubject(a.Id.ToString("D"), a.Name)).OrderBy(s => s.Name, comparer)],
            [.. groups.Select(g => new BriefingSubject(g.Id.ToString("D"), g.Name.For(language))).OrderBy(s => s.Name, comparer)]);
    }

    private sealed record AgencyName(Guid Id, string Name, string Sector, string Jurisdiction);

    /// <summary>Why this reader may not have this briefing (not signed in, no such group, not a reader of the whole group), or null.</summary>
    public async Task<BriefingState?> RefusalAsync(BriefingTarget target, ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return new BriefingState.Forbidden();
        }

        if (target.Scope != BriefingScope.WorkingGroup)
        {
            return null;
        }

        var group = await session.LoadAsync<WorkingGroup>(target.SubjectId!.Value, ct);
        if (group is null)
        {
            return new BriefingState.NotFound();
        }

        return GroupAccess.For(group, await readers.ForAsync(user, ct)).ReadsAll ? null : new BriefingState.Forbidden();
    }

    private async Task<BriefingState> EnsureAsync(BriefingTarget target, string requestedBy, string origin, long? after, CancellationToken ct)
    {
        var version = await queries.VersionAsync(target, ct);
        if (version is null)
        {
            return new BriefingState.NotFound();
        }

        var key = BriefingKeys.For(target, version, origin);
        var row = await store.FindAsync(key, ct);
        if (row?.File is { } file)
        {
            return new BriefingState.Ready(file);
        }

        if (after is > 0 && await store.NewestReadyAsync(target, origin, BriefingKeys.Template, after.Value, ct) is { File: { } printed })
        {
            return new BriefingState.Ready(printed);
        }

        if (!availability.IsAvailable)
        {
            return new BriefingState.Unavailable();
        }

        var now = clock.Now;
        switch (row)
        {
            case null when await store.TryQueueAsync(key, target, version, origin, requestedBy, now, ct):
            case { State: BriefingRowState.Pending } when row.RequestedAt < now - LostAfter && await store.TryRequeueAsync(key, now - LostAfter, now, ct):
            case { State: BriefingRowState.Failed } when row.FailedAt < now - FailedFor && await store.TryRequeueAsync(key, now - FailedFor, now, ct):
                jobs.Enqueue<BriefingJob>(j => j.GenerateAsync(target.ScopeSlug, target.Subject, target.Language, key, CancellationToken.None));
                return new BriefingState.Pending(now, version.Sequence);
            case { State: BriefingRowState.Failed, FailedAt: { } failedAt }:
                return new BriefingState.Failed(failedAt);
            case null:
                // Another request queued it between our read and our insert.
                return new BriefingState.Pending(now, version.Sequence);
            default:
                return new BriefingState.Pending(row.RequestedAt, version.Sequence);
        }
    }

    /// <summary>
    /// The portal's address for links in a briefing: <c>Briefings:PublicUrl</c> when set; else the request's own
    /// origin, which is part of the cache key, so a request with a forged Host header gets a briefing of its own and
    /// never changes the one everyone else downloads.
    /// </summary>
    private string Origin() =>
        Configured()
        ?? (http.HttpContext?.Request is { Host.HasValue: true } request ? $"{request.Scheme}://{request.Host.ToUriComponent()}/" : FallbackOrigin);

    private string? Configured() =>
        configuration["Briefings:PublicUrl"] is { Length: > 0 } configured && Uri.TryCreate(configured, UriKind.Absolute, out var uri)
            ? uri.GetLeftPart(UriPartial.Authority) + "/"
            : null;
}

/// <summary>Whether this process can print briefings (Chromium found), and what to install when it cannot.</summary>
public sealed class BriefingAvailability(PrintSettings settings)
{
    /// <summary>The Debian command that installs what briefings need.</summary>
    public const string InstallCommand = "apt-get install -y chromium fonts-noto-core";

    public bool IsAvailable => settings.ChromiumPath is { } path && File.Exists(path);

    public string? ChromiumPath => settings.ChromiumPath;
}
