using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Kernel;
using CoordinationPortal.Web.OutOfStep;
using JasperFx.Events;
using Marten;
using Marten.Events;

namespace CoordinationPortal.Web.Forum.Screen;

/// <summary>
/// Reads what the room screen of a session shows. Four round trips whatever the group's size: the session and the
/// screen state; the group; one batch of the member agencies' portfolio rows, their timelines, their open (or just
/// resolved) flags and the group's open (or just closed) action items; and the event history since the session
/// started, which is what "what changed" is made of. Authorisation is not done here: the page and the event stream ask
/// <c>ScreenAccess</c> first.
/// </summary>
public sealed class ForumScreenQueries(IQuerySession query, PortalClock clock, ReadinessFramework framework, Polls.PollQueries polls)
{
    /// <summary>Rows a heatmap shows before it says "+N more": readable from the back of a room at 1080p.</summary>
    public const int HeatmapRows = 12;

    public const int FlagItems = 6;
    public const int ActionItemCount = 6;
    public const int ChangeItems = 8;

    /// <summary>An action item shows from this many days before its due date.</summary>
    public const int DueWithinDays = 7;

    /// <summary>The most events the "what changed" panel reads; the panel shows <see cref="ChangeItems"/> and counts the rest.</summary>
    private const int MaxChangeEvents = 500;

    private static readonly Type[] ChangeEventTypes = [typeof(IndicatorAssessed), typeof(FlagRaised), typeof(FlagResolved), typeof(ActionItemStatusChanged)];

    /// <summary>The screen of <paramref name="sessionId"/>; null when there is no such session (or its group is gone).</summary>
    public async Task<ScreenView?> LoadAsync(Guid sessionId, CancellationToken ct)
    {
        var batch = query.CreateBatchQuery();
        var sessionTask = batch.Load<GroupSession>(sessionId);
        var stateTask = batch.Load<ScreenState>(sessionId);
        await batch.Execute(ct);
        var session = await sessionTask;
        if (session is null)
        {
            return null;
        }

        var group = await query.LoadAsync<WorkingGroup>(session.GroupId, ct);
        return group is null ? null : await LoadAsync(session, group, await stateTask, ct);
    }

    /// <summary>The screen of a session whose session and group the caller has already read (the access check reads them).</summary>
    public async Task<ScreenView> LoadAsync(GroupSession session, WorkingGroup group, ScreenState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(group);
        var now = clock.Now;
        var today = clock.Today;
        var since = (session.StartedAt ?? session.StartsAt).ToUniversalTime(); // Npgsql writes UTC offsets only
        var members = group.MemberAgencies.Distinct().ToArray();
        var groupId = group.Id;

        var batch = query.CreateBatchQuery();
        var summariesTask = batch.Query<AgencySummary>().Where(a => members.Contains(a.Id)).ToList();
        var timelinesTask = batch.Query<AgencyTimeline>().Where(t => members.Contains(t.Id)).ToList();
        var flagsTask = batch.Query<Flag>()
            .Where(f => members.Contains(f.AgencyId) && (f.Status != FlagStatus.Resolved || f.UpdatedAt >= since))
            .ToList();
        var itemsTask = batch.Query<ActionItem>()
            .Where(i => i.GroupId == groupId && (i.Status == ActionStatus.Open || i.Status == ActionStatus.InProgress || i.LastStatusAt >= since))
            .ToList();
        await batch.Execute(ct);
        var summaries = (await summariesTask).ToDictionary(a => a.Id);
        var flags = await flagsTask;
        var items = await itemsTask;

        var events = await ChangeEventsAsync([.. members, .. flags.Select(f => f.Id), .. items.Select(i => i.Id)], since, ct);
        var changes = Changes(events, since, summaries, (await timelinesTask).ToDictionary(t => t.Id), flags.ToDictionary(f => f.Id), items.ToDictionary(i => i.Id));

        // A poll is shown only on its own session's screen, whatever id the screen state names.
        var poll = state?.PollId is { } pollId ? await polls.ForScreenAsync(pollId, ct) : null;
        if (poll is not null && poll.Poll.SessionId != session.Id)
        {
            poll = null;
        }

        var heatmap = Heatmap(members.Select(id => summaries.GetValueOrDefault(id)).OfType<AgencySummary>().ToList());
        var openFlags = AgencyFlagList.OpenWorstFirst(flags.Where(f => summaries.ContainsKey(f.AgencyId)));
        var due = items
            .Where(i => i.IsOpen && i.DueDate <= today.AddDays(DueWithinDays))
            .OrderBy(i => i.DueDate)
            .ThenBy(i => i.Title, StringComparer.CurrentCulture)
            .ThenBy(i => i.Id)
            .ToList();

        return new ScreenView
        {
            SessionId = session.Id,
            SessionTitle = session.Title,
            SessionState = session.State,
            StartsAt = clock.Local(session.StartsAt),
            StartedAt = session.StartedAt is { } started ? clock.Local(started) : null,
            Since = clock.Local(since),
            GroupId = group.Id,
            GroupName = group.Name,
            MemberAgencies = members,
            State = state ?? ScreenState.Default(session.Id),
            Agenda = session.Agenda,
            Heatmap = heatmap.Take(HeatmapRows).ToList(),
            HeatmapMore = Math.Max(0, heatmap.Count - HeatmapRows),
            Flags = openFlags.Take(FlagItems)
                .Select(f => new ScreenFlag(f.Id, f.AgencyId, summaries[f.AgencyId].Name, f.Severity, f.Layers, f.Explanation, clock.Local(f.RaisedAt)))
                .ToList(),
            FlagsMore = Math.Max(0, openFlags.Count - FlagItems),
            ActionItems = due.Take(ActionItemCount)
                .Select(i => new ScreenActionItem(i.Id, i.Title, i.AgencyId, summaries.GetValueOrDefault(i.AgencyId)?.Name ?? "", i.Layer, i.DueDate, i.DaysOverdue(today), i.Status))
                .ToList(),
            ActionItemsMore = Math.Max(0, due.Count - ActionItemCount),
            Changes = changes.Take(ChangeItems).Select(c => c with { At = clock.Local(c.At) }).ToList(),
            ChangesMore = Math.Max(0, changes.Count - ChangeItems),
            AsOf = now,
            Today = today,
            Poll = poll,
        };
    }

    /// <summary>
    /// The events of the member agencies, their flags and the group's items committed since the session started. The
    /// commit time narrows the read in the database (with a minute's slack for clocks); the business time of each event
    /// then decides, so history imported or seeded today with past dates does not count as news.
    /// </summary>
    private async Task<IReadOnlyList<IEvent>> ChangeEventsAsync(Guid[] streams, DateTimeOffset since, CancellationToken ct)
    {
        var committedAfter = since.AddMinutes(-1);
        return await query.Events.QueryAllRawEvents()
            .Where(e => streams.Contains(e.StreamId) && e.Timestamp >= committedAfter)
            .Where(e => e.EventTypesAre(ChangeEventTypes))
            .OrderByDescending(e => e.Sequence)
            .Take(MaxChangeEvents)
            .ToListAsync(ct);
    }

    private List<ScreenChange> Changes(
        IReadOnlyList<IEvent> events,
        DateTimeOffset since,
        Dictionary<Guid, AgencySummary> agencies,
        Dictionary<Guid, AgencyTimeline> timelines,
        Dictionary<Guid, Flag> flags,
        Dictionary<Guid, ActionItem> items)
    {
        string Name(Guid agencyId) => agencies.GetValueOrDefault(agencyId)?.Name ?? "";

        var changes = new List<ScreenChange>();
        var assessments = new List<IndicatorAssessed>();
        foreach (var data in events.Select(e => e.Data))
        {
            switch (data)
            {
                case IndicatorAssessed a when a.At >= since && agencies.ContainsKey(a.AgencyId):
                    assessments.Add(a);
                    break;
                case FlagRaised r when r.At >= since && agencies.ContainsKey(r.AgencyId):
                    changes.Add(new ScreenChange(ScreenChangeKind.FlagRaised, r.At, r.AgencyId, Name(r.AgencyId), r.Explanation, r.Layers.Count == 1 ? r.Layers[0] : null, Severity: r.Severity));
                    break;
                case FlagResolved r when r.At >= since && flags.TryGetValue(r.FlagId, out var flag):
                    changes.Add(new ScreenChange(ScreenChangeKind.FlagResolved, r.At, flag.AgencyId, Name(flag.AgencyId), flag.Explanation, flag.Layers.Count == 1 ? flag.Layers[0] : null, Severity: flag.Severity));
                    break;
                case ActionItemStatusChanged s when s.Status == ActionStatus.Done && s.At >= since && items.TryGetValue(s.ActionItemId, out var item):
                    changes.Add(new ScreenChange(ScreenChangeKind.ActionItemDone, s.At, item.AgencyId, Name(item.AgencyId), new LocalizedText(item.Title, item.Title), item.Layer));
                    break;
            }
        }

        changes.AddRange(AssessmentChanges(assessments, timelines, Name));
        return [.. changes.OrderByDescending(c => c.At)];
    }

    /// <summary>
    /// Each assessment with the level it replaced. The events read are the latest of each indicator (the screen reads
    /// what happened since the session started, and live assessments are appended in business-time order), so the level
    /// before the earliest one read is the timeline's entry just before the last k of that indicator.
    /// </summary>
    private IEnumerable<ScreenChange> AssessmentChanges(List<IndicatorAssessed> assessments, Dictionary<Guid, AgencyTimeline> timelines, Func<Guid, string> name)
    {
        foreach (var group in assessments.GroupBy(a => (a.AgencyId, a.IndicatorId)))
        {
            var ordered = group.OrderBy(a => a.At).ToList();
            var history = timelines.TryGetValue(group.Key.AgencyId, out var timeline)
                ? timeline.Changes().Where(c => c.IndicatorId == group.Key.IndicatorId).ToList()
                : [];
            var before = history.Count - ordered.Count - 1;
            int? previous = before >= 0 ? history[before].Level : null;
            var indicator = framework.TryFind(group.Key.IndicatorId, out _, out var definition)
                ? definition.Name
                : new LocalizedText(group.Key.IndicatorId, group.Key.IndicatorId);
            foreach (var a in ordered)
            {
                yield return new ScreenChange(ScreenChangeKind.Assessed, a.At, a.AgencyId, name(a.AgencyId), indicator, a.Layer, previous, a.Level);
                previous = a.Level;
            }
        }
    }

    /// <summary>Every member's row: by name when all fit, otherwise the weakest first (unassessed before any score).</summary>
    private static List<HeatmapRow> Heatmap(List<AgencySummary> agencies)
    {
        IOrderedEnumerable<AgencySummary> ordered = agencies.Count <= HeatmapRows
            ? agencies.OrderBy(a => a.Name, StringComparer.CurrentCulture)
            : agencies.OrderBy(Weakness).ThenBy(a => a.Name, StringComparer.CurrentCulture);
        return [.. ordered.ThenBy(a => a.Id).Select(a =>
        {
            var scores = a.LayerScores();
            return new HeatmapRow(a.Id, a.Name, [.. Layers.All.Select(l => scores[l])]);
        })];
    }

    private static double Weakness(AgencySummary agency)
    {
        var scores = agency.LayerScores();
        var present = Layers.All.Select(l => scores[l]).OfType<double>().ToList();
        return present.Count == 0 ? -1 : present.Average();
    }
}
