using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Framework;
using Marten;

namespace CoordinationPortal.Web.Seeding;

/// <summary>
/// The demo's working groups (<c>seed-data/working-groups.json</c>): 18 months of sessions with approved minutes,
/// decisions, and action items done on time, done late, dropped and still open, and one planned session per group with
/// its open items carried forward. Every stream is decided by the domain's own deciders at the historical time it
/// claims, so the seed obeys the rules users face; a refusal stops the seed with the decider's codes. Deterministic for
/// a given day (a seeded <see cref="Random"/> per group, name-based ids).
/// </summary>
public static partial class DemoWorkingGroups
{
    public const int HistoryMonths = 18;

    /// <summary>Seeds the groups unless one exists. Returns how many it seeded (0: there were groups already).</summary>
    public static async Task<int> SeedAsync(
        IDocumentStore store, ReadinessFramework framework, PortalClock clock, string seedDataDirectory, ILogger logger, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var session = store.LightweightSession();
        if (await session.Query<WorkingGroup>().AnyAsync(ct))
        {
            return 0;
        }

        var document = await ReadAsync(seedDataDirectory, ct);
        var agencies = (await session.Query<AgencySummary>().ToListAsync(ct)).ToDictionary(a => a.Id);
        var streams = Build(document, agencies, framework, clock.Now, clock.OffsetAt);
        foreach (var stream in streams)
        {
            switch (stream.Kind)
            {
                case StreamKind.Group:
                    session.Events.StartStream<WorkingGroup>(stream.Id, stream.Events);
                    break;
                case StreamKind.Session:
                    session.Events.StartStream<GroupSession>(stream.Id, stream.Events);
                    break;
                default:
                    session.Events.StartStream<ActionItem>(stream.Id, stream.Events);
                    break;
            }
        }

        await session.SaveChangesAsync(ct);
        var groups = streams.Count(s => s.Kind == StreamKind.Group);
        var sessions = streams.Count(s => s.Kind == StreamKind.Session);
        var items = streams.Count(s => s.Kind == StreamKind.ActionItem);
        var events = streams.Sum(s => s.Events.Count);
        LogSeeded(logger, groups, sessions, items, events, watch.ElapsedMilliseconds);
        return groups;
    }

    /// <summary>Reads <c>working-groups.json</c> from the seed-data directory.</summary>
    public static async Task<WorkingGroupSeeds> ReadAsync(string seedDataDirectory, CancellationToken ct) =>
        JsonSerializer.Deserialize<WorkingGroupSeeds>(await File.ReadAllTextAsync(Path.Combine(seedDataDirectory, "working-groups.json"), ct), FrameworkFeature.SeedJson)
            ?? throw new InvalidOperationException("seed-data/working-groups.json is empty.");

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Seeded {Groups} working groups, {Sessions} sessions and {Items} action items ({Events} events) in {Milliseconds} ms")]
    private static partial void LogSeeded(ILogger logger, int groups, int sessions, int items, int events, long milliseconds);

    public enum StreamKind
    {
        Group,
        Session,
        ActionItem,
    }

    /// <summary>One stream to start: its id, what it is, and its events in order.</summary>
    public sealed record SeedBatch(Guid Id, StreamKind Kind, IReadOnlyList<object> Events);

    public static Guid GroupId(string slug) => SeedHistory.StableId("working-group:" + slug);

    /// <summary>
    /// Every stream of every group, as of <paramref name="now"/>, from the seed document and the portfolio as it stands
    /// (the owner agencies' weakest layers are read from their current summaries). Pure: no I/O, no clock.
    /// </summary>
    public static IReadOnlyList<SeedBatch> Build(
        WorkingGroupSeeds document, IReadOnlyDictionary<Guid, AgencySummary> agencies, ReadinessFramework framework, DateTimeOffset now,
        Func<DateOnly, TimeSpan> offsetAt)
    {
        ArgumentNullException.ThrowIfNull(document);
        var streams = new List<SeedBatch>();
        for (var i = 0; i < document.Groups.Count; i++)
        {
            streams.AddRange(new GroupBuilder(document, document.Groups[i], i, agencies, framework, now, offsetAt).Build());
        }

        return streams;
    }

    /// <summary>The layer an agency scores lowest on now (Data when nothing is assessed), the one slipping commitments sit on.</summary>
    public static Layer WeakestLayer(AgencySummary agency)
    {
        ArgumentNullException.ThrowIfNull(agency);
        var scores = agency.LayerScores();
        return Layers.All.Where(l => scores[l] is not null).OrderBy(l => scores[l]).Cast<Layer?>().FirstOrDefault() ?? Layer.Data;
    }

    /// <summary>A stream being written: the events the deciders accepted so far and the state they fold to.</summary>
    private sealed class Writer<TState>(Guid id, StreamKind kind, Func<TState?, object, TState?> evolve)
        where TState : class
    {
        public Guid Id { get; } = id;

        public List<object> Events { get; } = [];

        public TState? State { get; private set; }

        public void Apply(Decision decision, string what)
        {
            if (!decision.IsAccepted)
            {
                throw new InvalidOperationException(
                    $"seed-data/working-groups.json: {what} was refused: {string.Join(", ", decision.Errors.Select(e => e.Field is null ? e.Code : $"{e.Code} ({e.Field})"))}");
            }

            foreach (var e in decision.Events)
            {
                Events.Add(e);
                State = evolve(State, e);
            }
        }

        public SeedBatch ToSeed() => new(Id, kind, Events);
    }

    /// <summary>An action item as planned: when it was recorded and, if it was closed, when.</summary>
    private sealed record PlannedItem(Guid Id, string Title, Guid AgencyId, Layer Layer, DateOnly DueDate, DateTimeOffset RecordedAt, DateTimeOffset? ClosedAt)
    {
        public bool IsOpenAt(DateTimeOffset at) => RecordedAt < at && (ClosedAt is null || ClosedAt > at);
    }

    private enum Fate
    {
        StillOpen,
        InProgress,
        DoneOnTime,
        DoneLate,
        Dropped,
    }

    private sealed class GroupBuilder
    {
        private const string Admin = SeedHistory.AdminUser;
        private readonly WorkingGroupSeeds _document;
        private readonly GroupSeed _seed;
        private readonly int _index;
        private readonly IReadOnlyDictionary<Guid, AgencySummary> _agencies;
        private readonly ReadinessFramework _framework;
        private readonly DateTimeOffset _now;
        private readonly Func<DateOnly, TimeSpan> _offsetAt;
        private readonly Random _random;
        private readonly Writer<WorkingGroup> _group;
        private readonly List<SeedBatch> _streams = [];
        private readonly List<PlannedItem> _items = [];
        private readonly string _secretary;
        private readonly string _chairName;

        public GroupBuilder(
            WorkingGroupSeeds document, GroupSeed seed, int index, IReadOnlyDictionary<Guid, AgencySummary> agencies, ReadinessFramework framework,
            DateTimeOffset now, Func<DateOnly, TimeSpan> offsetAt)
        {
            _document = document;
            _seed = seed;
            _index = index;
            _agencies = agencies;
            _framework = framework;
            _now = now;
            _offsetAt = offsetAt;
            _random = new Random(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes("working-group:" + seed.Slug)), 0));
            _group = new Writer<WorkingGroup>(GroupId(seed.Slug), StreamKind.Group, WorkingGroup.Evolve);
            _secretary = (seed.People.FirstOrDefault(p => p.Role == GroupRole.Secretary) ?? seed.People.First(p => p.Role == GroupRole.Chair)).Person;
            _chairName = seed.People.First(p => p.Role == GroupRole.Chair).DisplayName;
        }

        private static Guid AgencyId(string slug) => SeedHistory.StableId("agency:" + slug);

        private AgencySummary Agency(Guid id) => _agencies.TryGetValue(id, out var agency)
            ? agency
            : throw new InvalidOperationException($"seed-data/working-groups.json: group {_seed.Slug} names an agency that is not seeded.");

        private string Key(string name) => $"working-group:{_seed.Slug}:{name}";

        private DateTimeOffset At(DateOnly day, int hour, int minute) => new(day.ToDateTime(new TimeOnly(hour, minute)), _offsetAt(day));

        private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.DateTime);

        private static DateOnly Weekday(DateOnly day) => day.DayOfWeek switch
        {
            DayOfWeek.Saturday => day.AddDays(2),
            DayOfWeek.Sunday => day.AddDays(1),
            _ => day,
        };

        public IReadOnlyList<SeedBatch> Build()
        {
            var today = Day(_now);
            var formedOn = Weekday(today.AddMonths(-HistoryMonths).AddDays(-10 - _random.Next(0, 10)));
            var formedAt = At(formedOn, 11, 0);
            var known = _agencies.Keys.ToHashSet();
            _group.Apply(
                WorkingGroupDecider.Decide(
                    new FormWorkingGroup(_group.Id, _seed.Name, _seed.Purpose, _seed.Kind, [.. _seed.Agencies.Select(AgencyId)], known, Admin, formedAt),
                    null),
                $"forming {_seed.Slug}");
            foreach (var (person, i) in _seed.People.Select((p, i) => (p, i)))
            {
                Decide(new AddPerson(_group.Id, person.Person, person.Role, person.Agency is null ? null : AgencyId(person.Agency), formedOn, Admin,
                    formedAt.AddMinutes(5 + i)), $"adding {person.Person}");
            }

            // The sessions held so far: every cadence months from two weeks after forming, while their minutes could be
            // approved by now (about two weeks after the meeting).
            var dates = new List<DateOnly>();
            for (var n = 0; ; n++)
            {
                var day = Weekday(formedOn.AddDays(14).AddMonths(n * _seed.CadenceMonths));
                if (At(day, 13, 0).AddDays(14) > _now)
                {
                    break;
                }

                dates.Add(day);
            }

            var decisionAt = DecisionSessions(dates.Count);
            for (var k = 0; k < dates.Count; k++)
            {
                var next = k + 1 < dates.Count ? dates[k + 1] : UpcomingDay(today);
                PastSession(k, dates, next, decisionAt);
            }

            var upcoming = dates.Count + 1;
            if (_seed.MeetsNow == true)
            {
                LiveSession(upcoming++);
            }

            UpcomingSession(upcoming, UpcomingDay(today));
            return [_group.ToSeed(), .. _streams];
        }

        private DateOnly UpcomingDay(DateOnly today) => Weekday(today.AddDays(8 + (4 * _index)));

        /// <summary>The session (index) each decision template is taken in: spread evenly, from the second session.</summary>
        private Dictionary<int, int> DecisionSessions(int sessions)
        {
            var count = _seed.Decisions.Count;
            var map = new Dictionary<int, int>();
            for (var d = 0; d < count; d++)
            {
                map[Math.Min(sessions - 1, 1 + (int)Math.Round(d * (sessions - 2) / (double)Math.Max(1, count - 1)))] = d;
            }

            return map;
        }

        private void Decide(GroupCommand command, string what) => _group.Apply(WorkingGroupDecider.Decide(command, _group.State), what);

        private WorkingGroup GroupState => _group.State!;

        private List<OpenActionItem> OpenAt(DateTimeOffset at) =>
            [.. _items.Where(i => i.IsOpenAt(at)).OrderBy(i => i.DueDate).Select(i => new OpenActionItem(i.Id, i.Title, i.AgencyId, i.Layer))];

        private void PastSession(int k, List<DateOnly> dates, DateOnly nextDay, Dictionary<int, int> decisionAt)
        {
            var n = k + 1;
            var day = dates[k];
            var startsAt = At(day, _seed.CadenceMonths == 1 ? 10 : 11, 30);
            var endsAt = startsAt.AddHours(2.5);
            // Scheduled two weeks ahead (the first one the day after the group was formed).
            var scheduledAt = k == 0 ? startsAt.AddDays(-13).AddHours(5) : startsAt.AddDays(-14);

            foreach (var join in _seed.Joins ?? [])
            {
                if (join.AtSession == n)
                {
                    var agency = AgencyId(join.Agency);
                    Decide(new AddMemberAgency(_group.Id, agency, _agencies.ContainsKey(agency), Day(scheduledAt), _secretary, scheduledAt.AddHours(-1)),
                        $"{join.Agency} joining {_seed.Slug}");
                }
            }

            var id = SeedHistory.StableId(Key($"session:{n}"));
            var session = new Writer<GroupSession>(id, StreamKind.Session, GroupSession.Evolve);
            var carriedBefore = OpenAt(scheduledAt);
            session.Apply(GroupSessionDecider.Decide(
                new ScheduleSession(id, _group.Id, Title(n), startsAt, endsAt, _seed.Place, _seed.Link, Agenda(n), carriedBefore, _secretary, scheduledAt),
                null), $"scheduling {_seed.Slug} session {n}");
            session.Apply(GroupSessionDecider.Decide(new StartSession(id, OpenAt(startsAt), _secretary, startsAt), session.State),
                $"starting {_seed.Slug} session {n}");
            var attendees = Attendees();
            session.Apply(GroupSessionDecider.Decide(
                new RecordAttendance(id, attendees, GroupState.MemberAgencies.ToHashSet(), _secretary, endsAt.AddMinutes(10)), session.State),
                $"attendance of {_seed.Slug} session {n}");

            // The minutes are typed up a day or three later; the decisions and action items are recorded with them.
            var draftedAt = At(Day(endsAt).AddDays(1 + _random.Next(0, 3)), 15, _random.Next(0, 50));
            LoggedDecision? decision = null;
            if (decisionAt.TryGetValue(k, out var template))
            {
                decision = RecordDecision(_seed.Decisions[template], id, day, draftedAt, attendees.Count);
            }

            if (_seed.Initiative is { } initiative && initiative.AtSession == n)
            {
                Decide(new LaunchInitiative(_group.Id, SeedHistory.StableId(Key("initiative")), initiative.Title, initiative.Layers, initiative.TargetLevel,
                    day.AddMonths(initiative.DeadlineMonths), _secretary, draftedAt.AddMinutes(2)), $"launching the initiative of {_seed.Slug}");
            }

            var recorded = new List<PlannedItem>();
            var count = _seed.CadenceMonths == 1 ? 1 + _random.Next(0, 3) : 2 + _random.Next(0, 3);
            for (var i = 0; i < count; i++)
            {
                recorded.Add(RecordItem(Key($"session:{n}:action:{i + 1}"), id, day, draftedAt.AddMinutes(5 + i), null));
            }

            foreach (var (slip, i) in _seed.Slipping.Select((s, i) => (s, i)))
            {
                if (dates.Count - 1 - slip.SessionsAgo == k)
                {
                    recorded.Add(RecordItem(Key($"slipping:{i + 1}"), id, day, draftedAt.AddMinutes(20 + i), slip));
                }
            }

            var minutes = Minutes(n, startsAt, attendees, session.State!.Agenda, decision, recorded, nextDay);
            session.Apply(GroupSessionDecider.Decide(new DraftMinutes(id, minutes, _secretary, draftedAt), session.State), $"minutes of {_seed.Slug} session {n}");
            var approvedAt = draftedAt.AddDays(3 + _random.Next(0, 5));
            if (approvedAt > _now.AddHours(-1))
            {
                approvedAt = _now.AddHours(-1);
            }

            session.Apply(GroupSessionDecider.Decide(new ApproveMinutes(id, _secretary, approvedAt), session.State), $"approving {_seed.Slug} session {n}");

            // One session in the groups that meet monthly was corrected after approval.
            if (_seed.CadenceMonths == 1 && n == 5)
            {
                var reason = _document.AmendmentReasons[_index % _document.AmendmentReasons.Count];
                var amendedAt = approvedAt.AddDays(9);
                session.Apply(GroupSessionDecider.Decide(
                    new AmendMinutes(id, $"**Correction.** {reason} The attendance list above stands corrected as circulated by the secretariat on {amendedAt.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}.", reason, _secretary, amendedAt),
                    session.State), $"amending {_seed.Slug} session {n}");
            }

            _streams.Add(session.ToSeed());
        }

        private void UpcomingSession(int n, DateOnly day)
        {
            var id = SeedHistory.StableId(Key($"session:{n}"));
            var session = new Writer<GroupSession>(id, StreamKind.Session, GroupSession.Evolve);
            var startsAt = At(day, _seed.CadenceMonths == 1 ? 10 : 11, 30);
            var scheduledAt = _now.AddDays(-2);
            session.Apply(GroupSessionDecider.Decide(
                new ScheduleSession(id, _group.Id, Title(n), startsAt, startsAt.AddHours(2.5), _seed.Place, _seed.Link, Agenda(n), OpenAt(scheduledAt),
                    _secretary, scheduledAt),
                null), $"scheduling the next session of {_seed.Slug}");
            _streams.Add(session.ToSeed());
        }

        /// <summary>
        /// A session in progress at seeding time (it began 25 minutes ago), so the demo's room screen and operator panel have
        /// a forum to show: the session was scheduled a week earlier with the items open then carried forward, and it was
        /// started on time, carrying forward what was open at that moment.
        /// </summary>
        private void LiveSession(int n)
        {
            var id = SeedHistory.StableId(Key($"session:{n}"));
            var session = new Writer<GroupSession>(id, StreamKind.Session, GroupSession.Evolve);
            var startsAt = new DateTimeOffset(_now.Year, _now.Month, _now.Day, _now.Hour, _now.Minute, 0, _now.Offset).AddMinutes(-25);
            var scheduledAt = startsAt.AddDays(-7);
            session.Apply(GroupSessionDecider.Decide(
                new ScheduleSession(id, _group.Id, Title(n), startsAt, startsAt.AddHours(2), _seed.Place, _seed.Link, Agenda(n), OpenAt(scheduledAt),
                    _secretary, scheduledAt),
                null), $"scheduling the live session of {_seed.Slug}");
            session.Apply(GroupSessionDecider.Decide(new StartSession(id, OpenAt(startsAt), _secretary, startsAt), session.State),
                $"starting the live session of {_seed.Slug}");
            _streams.Add(session.ToSeed());
        }

        private string Title(int n) => $"{_seed.ShortName} meeting {n.ToString(CultureInfo.InvariantCulture)}";

        private List<AgendaEntry> Agenda(int n)
        {
            var members = GroupState.MemberAgencies.ToList();
            var spotlight = members[_random.Next(members.Count)];
            var agency = Agency(spotlight);
            var presenter = _seed.People.First(p => p.Role == GroupRole.Chair).DisplayName;
            return
            [
                new(null, n == 1 ? "Adoption of the terms of reference" : "Confirmation of the minutes of the previous meeting", 10, presenter, null, null, null),
                new(null, _seed.Agenda[(2 * n) % _seed.Agenda.Count], 30, _seed.People.First(p => p.Person == _secretary).DisplayName, null, null, null),
                new(null, _seed.Agenda[((2 * n) + 1) % _seed.Agenda.Count], 30, null, null, null, null),
                new(null, $"Readiness update: {agency.Name}", 15, null, spotlight, WeakestLayer(agency), null),
                new(null, "Any other business", 10, presenter, null, null, null),
            ];
        }

        private List<Attendee> Attendees()
        {
            var list = _seed.People.Where(p => p.Role != GroupRole.Observer || _random.NextDouble() < 0.5)
                .Select(p => new Attendee(p.DisplayName, p.Agency is null ? null : AgencyId(p.Agency)))
                .ToList();
            var seated = list.Where(a => a.AgencyId is not null).Select(a => a.AgencyId!.Value).ToHashSet();
            foreach (var agency in GroupState.MemberAgencies.Where(a => !seated.Contains(a)))
            {
                if (_random.NextDouble() < 0.85)
                {
                    list.Add(new Attendee(_document.AttendeeNames[_random.Next(_document.AttendeeNames.Count)], agency));
                }
            }

            return list;
        }

        private LoggedDecision RecordDecision(DecisionSeed seed, Guid sessionId, DateOnly day, DateTimeOffset at, int present)
        {
            IReadOnlyList<VoteCount> counts = [];
            if (seed.Basis == DecisionBasis.Vote)
            {
                var against = _random.Next(0, Math.Max(1, present / 4));
                var abstain = _random.Next(0, 3);
                counts = [new("For", Math.Max(1, present - against - abstain)), new("Against", against), new("Abstain", abstain)];
            }

            Decide(new RecordDecision(
                _group.Id, new LocalizedText(seed.En, seed.Hi), sessionId, true, seed.Basis, counts, [.. (seed.Agencies ?? []).Select(AgencyId)], seed.Layers, [],
                seed.ReviewAfterMonths is { } months ? day.AddMonths(months) : null, day, _secretary, at), $"a decision of {_seed.Slug}");
            return GroupState.Decisions[^1];
        }

        /// <summary>
        /// Records one action item and decides its life so far: most items are done (on time or late), a few dropped
        /// with a reason, recent ones still open; a <paramref name="slip"/> stays open past its due date on the owner's
        /// weakest layer.
        /// </summary>
        private PlannedItem RecordItem(string key, Guid sessionId, DateOnly day, DateTimeOffset recordedAt, SlippingSeed? slip)
        {
            var id = SeedHistory.StableId(key);
            var members = GroupState.MemberAgencies.ToList();
            var owner = slip is not null ? AgencyId(slip.Agency) : members[_random.Next(members.Count)];
            var agency = Agency(owner);
            var weakest = WeakestLayer(agency);
            var layer = slip is not null || _random.NextDouble() < 0.6 ? weakest : Layers.All[_random.Next(Layers.All.Count)];
            var templates = _document.ActionItems[layer.ToString()];
            var title = slip?.Title ?? templates[_random.Next(templates.Count)].Replace("{agency}", agency.Name, StringComparison.Ordinal);
            var due = day.AddDays(slip?.DueDays ?? 30 + _random.Next(0, 61));
            var today = Day(_now);
            if (slip is not null && due >= today)
            {
                throw new InvalidOperationException($"seed-data/working-groups.json: the slipping item '{slip.Title}' of {_seed.Slug} is not due yet.");
            }

            ActionTarget? target = null;
            if (slip is null && _random.NextDouble() < 0.35)
            {
                var indicators = _framework.LayerOf(layer).Indicators;
                var indicator = indicators[_random.Next(indicators.Count)];
                var level = agency.Levels.TryGetValue(indicator.Id, out var l) ? l : 1;
                target = level < ReadinessFramework.MaxLevel ? new ActionTarget(indicator.Id, level + 1) : null;
            }

            var stream = new Writer<ActionItem>(id, StreamKind.ActionItem, ActionItem.Evolve);
            stream.Apply(ActionItemDecider.Decide(
                new RecordActionItem(id, _group.Id, sessionId, title, owner, null, layer, null, target, due,
                    new ActionItemReferences(GroupState.HasMemberAgency(owner), true, false, target is null ? null : layer), _secretary, recordedAt),
                null), $"recording '{title}' in {_seed.Slug}");

            var by = agency.Leads.Count > 0 ? agency.Leads[0] : _secretary;
            var dueAt = At(due, 17, 0);
            var fate = slip is not null ? (slip.InProgress ? Fate.InProgress : Fate.StillOpen) : ChooseFate(recordedAt, dueAt);
            DateTimeOffset? closedAt = null;
            switch (fate)
            {
                case Fate.InProgress:
                    Status(stream, ActionStatus.InProgress, null, by, Past(recordedAt, recordedAt.AddDays(5 + _random.Next(0, 10))));
                    break;
                case Fate.DoneOnTime:
                case Fate.DoneLate:
                    closedAt = fate == Fate.DoneLate
                        ? dueAt.AddDays(7 + _random.Next(0, 38))
                        : Past(recordedAt, Later(recordedAt.AddDays(3), dueAt.AddDays(-_random.Next(0, 25))));
                    if (_random.NextDouble() < 0.5)
                    {
                        Status(stream, ActionStatus.InProgress, null, by, recordedAt + ((closedAt.Value - recordedAt) / 3));
                    }

                    Status(stream, ActionStatus.Done, _random.NextDouble() < 0.5 ? _document.DoneNotes[_random.Next(_document.DoneNotes.Count)] : null, by, closedAt.Value);
                    break;
                case Fate.Dropped:
                    closedAt = recordedAt + ((dueAt - recordedAt) / 2);
                    Status(stream, ActionStatus.Dropped, _document.DropReasons[_random.Next(_document.DropReasons.Count)], _secretary, closedAt.Value);
                    break;
                default:
                    break;
            }

            _streams.Add(stream.ToSeed());
            var planned = new PlannedItem(id, title, owner, layer, due, recordedAt, closedAt);
            _items.Add(planned);
            return planned;
        }

        /// <summary><paramref name="at"/>, or halfway from <paramref name="from"/> to now when it would lie in the future.</summary>
        private DateTimeOffset Past(DateTimeOffset from, DateTimeOffset at) => at < _now.AddHours(-1) ? at : from + ((_now - from) / 2);

        private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

        /// <summary>What became of an item, given when it was due: the outcome must already have happened by now.</summary>
        private Fate ChooseFate(DateTimeOffset recordedAt, DateTimeOffset dueAt)
        {
            var roll = _random.NextDouble();
            if (dueAt > _now)
            {
                // Not due yet: mostly open or under way; a few finished early.
                return roll < 0.2 && recordedAt.AddDays(10) < _now ? Fate.DoneOnTime : roll < 0.6 ? Fate.InProgress : Fate.StillOpen;
            }

            var lateFits = dueAt.AddDays(45) < _now;
            return roll switch
            {
                < 0.70 => Fate.DoneOnTime,
                < 0.93 when lateFits => Fate.DoneLate,
                < 0.93 => Fate.DoneOnTime,
                _ => Fate.Dropped,
            };
        }

        private static void Status(Writer<ActionItem> stream, ActionStatus status, string? note, string by, DateTimeOffset at) =>
            stream.Apply(ActionItemDecider.Decide(new ChangeActionStatus(stream.Id, status, note, by, at), stream.State), $"{status} of '{stream.State?.Title}'");

        private string Minutes(
            int n, DateTimeOffset startsAt, IReadOnlyList<Attendee> attendees, IReadOnlyList<AgendaItem> agenda, LoggedDecision? decision,
            IReadOnlyList<PlannedItem> items, DateOnly nextDay)
        {
            var invariant = CultureInfo.InvariantCulture;
            string AgencyName(Guid? id) => id is { } a && _agencies.TryGetValue(a, out var s) ? s.Name : "independent member";
            var present = string.Join("\n", attendees.Select(a => $"- {a.Name}, {AgencyName(a.AgencyId)}"));
            var carried = agenda.Where(a => a.ActionItemId is not null).ToList();
            var report = carried.Count == 0
                ? "No action items were pending."
                : string.Join("\n", carried.Select(a =>
                {
                    var item = _items.First(i => i.Id == a.ActionItemId);
                    var overdue = Day(startsAt).DayNumber - item.DueDate.DayNumber;
                    var state = overdue > 0 ? $"**pending, {overdue.ToString(invariant)} days past its due date**" : "in progress, within its due date";
                    return $"- {item.Title} ({AgencyName(item.AgencyId)}, due {item.DueDate.ToString("d MMMM yyyy", invariant)}): {state}.";
                }));
            var discussion = string.Join("\n\n", _seed.Agenda.Skip((2 * n) % _seed.Agenda.Count).Take(1)
                .Concat(_seed.Agenda.Skip(((2 * n) + 1) % _seed.Agenda.Count).Take(1))
                .Select(title => $"**{title}.** {_document.Discussion[_random.Next(_document.Discussion.Count)]}"));
            var decisions = decision is null
                ? "No decision was taken at this meeting."
                : $"{decision.Number.ToString(invariant)}. {decision.Text.En} *({(decision.Basis == DecisionBasis.Vote ? "by vote: " + string.Join(", ", decision.Counts.Select(c => $"{c.Option} {c.Count.ToString(invariant)}")) : "by consensus")}" +
                  $"{(decision.ReviewOn is { } review ? $"; to be reviewed on {review.ToString("d MMMM yyyy", invariant)}" : "")})*";
            var actions = items.Count == 0
                ? "No new action items."
                : string.Join("\n", items.Select(i => $"- {i.Title}: **{AgencyName(i.AgencyId)}**, {i.Layer} layer, by {i.DueDate.ToString("d MMMM yyyy", invariant)}"));
            var text = string.Join("\n", _document.Minutes);
            return text
                .Replace("{ordinal}", Ordinal(n), StringComparison.Ordinal)
                .Replace("{group}", _seed.Name.En, StringComparison.Ordinal)
                .Replace("{date}", Day(startsAt).ToString("dddd, d MMMM yyyy", invariant), StringComparison.Ordinal)
                .Replace("{time}", startsAt.ToString("HH:mm", invariant), StringComparison.Ordinal)
                .Replace("{place}", _seed.Place, StringComparison.Ordinal)
                .Replace("{chair}", _chairName, StringComparison.Ordinal)
                .Replace("{present}", present, StringComparison.Ordinal)
                .Replace("{confirmation}", n == 1 ? "This was the first meeting; the terms of reference were adopted." : "The minutes of the previous meeting were confirmed without change.", StringComparison.Ordinal)
                .Replace("{actionReport}", report, StringComparison.Ordinal)
                .Replace("{discussion}", discussion, StringComparison.Ordinal)
                .Replace("{decisions}", decisions, StringComparison.Ordinal)
                .Replace("{actions}", actions, StringComparison.Ordinal)
                .Replace("{nextDate}", nextDay.ToString("d MMMM yyyy", invariant), StringComparison.Ordinal)
                .Replace("{link}", _seed.Link ?? "https://meet.gov.example", StringComparison.Ordinal);
        }

        private static string Ordinal(int n) => (n % 100) switch
        {
            11 or 12 or 13 => $"{n.ToString(CultureInfo.InvariantCulture)}th",
            _ => (n % 10) switch
            {
                1 => $"{n.ToString(CultureInfo.InvariantCulture)}st",
                2 => $"{n.ToString(CultureInfo.InvariantCulture)}nd",
                3 => $"{n.ToString(CultureInfo.InvariantCulture)}rd",
                _ => $"{n.ToString(CultureInfo.InvariantCulture)}th",
            },
        };
    }
}

/// <summary>The shape of <c>seed-data/working-groups.json</c>.</summary>
public sealed record WorkingGroupSeeds(
    IReadOnlyList<GroupSeed> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ActionItems,
    IReadOnlyList<string> DoneNotes,
    IReadOnlyList<string> DropReasons,
    IReadOnlyList<string> AmendmentReasons,
    IReadOnlyList<string> Discussion,
    IReadOnlyList<string> AttendeeNames,
    IReadOnlyList<string> Minutes);

public sealed record GroupSeed(
    string Slug,
    string ShortName,
    LocalizedText Name,
    LocalizedText Purpose,
    ForumKind Kind,
    int CadenceMonths,
    string Place,
    string? Link,
    IReadOnlyList<string> Agencies,
    IReadOnlyList<PersonSeed> People,
    IReadOnlyList<string> Agenda,
    IReadOnlyList<DecisionSeed> Decisions,
    IReadOnlyList<SlippingSeed> Slipping,
    IReadOnlyList<JoinSeed>? Joins,
    InitiativeSeed? Initiative,
    bool? MeetsNow = null);

public sealed record PersonSeed(string Person, string DisplayName, GroupRole Role, string? Agency);

public sealed record DecisionSeed(string En, string Hi, IReadOnlyList<Layer> Layers, DecisionBasis Basis, int? ReviewAfterMonths, IReadOnlyList<string>? Agencies);

/// <summary>A commitment that slips: recorded <see cref="SessionsAgo"/> sessions before the latest, due <see cref="DueDays"/> after it, still open.</summary>
public sealed record SlippingSeed(string Agency, string Title, int SessionsAgo, int DueDays, bool InProgress);

public sealed record JoinSeed(string Agency, int AtSession);

public sealed record InitiativeSeed(LocalizedText Title, IReadOnlyList<Layer> Layers, double TargetLevel, int AtSession, int DeadlineMonths);
