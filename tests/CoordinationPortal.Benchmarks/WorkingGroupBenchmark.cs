using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.OutOfStep;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.WorkingGroups;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.Benchmarks;

// Inside the namespace: a using at the top of the file would lose to the namespace CoordinationPortal.EmbeddedPostgres.
using CoordinationPortal.EmbeddedPostgres;

/// <summary>
/// <c>dotnet run -c Release --project tests/CoordinationPortal.Benchmarks -- groups [--quick]</c>: one working group of
/// 200 member agencies (with 20 months of generated history each), 24 sessions with approved minutes and 2,000 action
/// items in every status, then over real HTTP, signed in as an admin (who reads everything of the group):
/// the group page <c>/working-groups/{id}</c>, <c>GET /api/v1/working-groups/{id}</c> and
/// <c>GET /api/v1/working-groups/{id}/action-items</c>, each against <c>GET /culture</c> (no database) on the same
/// connection, alternating; a route that does not answer 200 is reported as skipped. Also
/// <see cref="WorkingGroupQueries.GroupAsync"/> in-process, against loading the group document alone.
/// </summary>
internal static class WorkingGroupBenchmark
{
    public const int MemberAgencies = 200;
    public const int ActionItems = 2000;
    public const int Sessions = 24;
    public const double TargetP95Ms = 200;

    private const string AdminEmail = "bench.admin@portal.local";
    private const string AdminPassword = "Bench-admin-2026";
    private const string BaselinePath = "/culture?culture=en-IN&returnUrl=/";

    public static async Task<int> RunAsync(bool quick, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var settings = BenchSettings.For(quick);
        Report.Header(settings);
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"cp-bench-{Guid.NewGuid():N}");
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        EmbeddedPostgres? database = null;
        PortalHostFactory? portal = null;
        try
        {
            var step = Stopwatch.StartNew();
            database = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions { DataDirectory = dataDirectory }, loggerFactory.CreateLogger("CoordinationPortal.EmbeddedPostgres"), ct);
            portal = new PortalHostFactory(database.ConnectionString, seedDemo: false, environment: "Production");
            portal.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            portal.StartServer();
            var baseAddress = new Uri(portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            Report.Step($"PostgreSQL and the portal started on Kestrel at {baseAddress}", step.Elapsed);

            step.Restart();
            var seeded = await PortfolioSeeder.SeedAsync(portal.Services, MemberAgencies, ct);
            var groupId = await SeedGroupAsync(portal.Services, ct);
            EvaluationSummary flags;
            await using (var scope = portal.Services.CreateAsyncScope())
            {
                // The group page lists its members' open flags: give the portfolio the flags its history implies.
                flags = await scope.ServiceProvider.GetRequiredService<FlagEvaluator>().EvaluateAllAsync(ct);
            }

            Report.Step(string.Create(CultureInfo.InvariantCulture,
                $"Seeded {seeded.Agencies} agencies ({seeded.Events:N0} events), one group of them with {Sessions} sessions and {ActionItems:N0} action items, {flags.Raised:N0} flags raised; setup, not timed"),
                step.Elapsed);

            var direct = await DirectAsync(portal.Services, groupId, settings.HttpRequests, settings.HttpWarmup, ct);
            var http = await HttpAsync(portal.Services, baseAddress, groupId, settings, ct);

            Report.Line(string.Empty);
            Report.Line("==================================== SUMMARY ====================================");
            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"  group of {MemberAgencies} member agencies, {ActionItems:N0} action items; baseline GET /culture p50 {http.Baseline.P50:0.00} ms, p95 {http.Baseline.P95:0.00} ms"));
            foreach (var measured in http.Measured)
            {
                Report.Line(string.Create(CultureInfo.InvariantCulture,
                    $"  {measured.Name,-44} p50 {measured.P50,7:0.00} ms, p95 {measured.P95,7:0.00} ms ({measured.P95 / http.Baseline.P95:0.0}x the baseline at p95); " +
                    $"target p95 <= {TargetP95Ms:0} ms: {(measured.P95 <= TargetP95Ms ? "met" : "MISSED")}"));
            }

            foreach (var skipped in http.Skipped)
            {
                Report.Line($"  {skipped}");
            }

            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"  WorkingGroupQueries.GroupAsync in-process: p50 {direct.Query.P50:0.00} ms, p95 {direct.Query.P95:0.00} ms; loading the group document alone p50 {direct.Baseline.P50:0.00} ms, p95 {direct.Baseline.P95:0.00} ms ({direct.Query.P95 / direct.Baseline.P95:0.0}x at p95)"));
            Report.Line(string.Create(CultureInfo.InvariantCulture, $"  total run time {total.Elapsed.TotalMinutes:0.0} min"));
            return 0;
        }
        finally
        {
            if (portal is not null)
            {
                await portal.DisposeAsync();
            }

            if (database is not null)
            {
                await database.DisposeAsync();
            }

            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS; each run uses a new directory.
            }
        }
    }

    /// <summary>
    /// The group, its sessions and its action items, decided by the domain's deciders (as the demo seed does) and
    /// appended as streams, 250 per Marten session, so the inline projections build the documents the reads use.
    /// </summary>
    private static async Task<Guid> SeedGroupAsync(IServiceProvider services, CancellationToken ct)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        var framework = services.GetRequiredService<ReadinessFramework>();
        var now = services.GetRequiredService<PortalClock>().Now;
        List<Guid> agencies;
        await using (var query = store.QuerySession())
        {
            agencies = [.. (await query.Query<AgencySummary>().Select(a => a.Id).ToListAsync(ct)).Order()];
        }

        var groupId = Guid.NewGuid();
        var start = now.AddMonths(-Sessions);
        var events = new List<object>();
        WorkingGroup? group = null;
        void Apply(Decision decision)
        {
            if (!decision.IsAccepted)
            {
                throw new InvalidOperationException("Bench seed refused: " + string.Join(", ", decision.Errors.Select(e => e.Code)));
            }

            foreach (var e in decision.Events)
            {
                events.Add(e);
                group = WorkingGroup.Evolve(group, e);
            }
        }

        var name = new LocalizedText("Bench coordination group", "बेंच समन्वय समूह");
        var purpose = new LocalizedText("Two hundred agencies and two thousand commitments.", "दो सौ एजेंसियाँ और दो हज़ार प्रतिबद्धताएँ।");
        Apply(WorkingGroupDecider.Decide(
            new FormWorkingGroup(groupId, name, purpose, ForumKind.National, agencies, agencies.ToHashSet(), AdminEmail, start), null));
        Apply(WorkingGroupDecider.Decide(new AddPerson(groupId, AdminEmail, GroupRole.Chair, null, DateOnly.FromDateTime(start.DateTime), AdminEmail, start), group));

        var batches = new List<(Guid Id, Type Kind, List<object> Events)>();
        var sessionIds = new List<Guid>();
        for (var s = 0; s < Sessions; s++)
        {
            var id = Guid.NewGuid();
            sessionIds.Add(id);
            var startsAt = start.AddMonths(s).AddDays(14);
            var session = new List<object>();
            GroupSession? state = null;
            void Session(Decision decision)
            {
                foreach (var e in decision.IsAccepted ? decision.Events : throw new InvalidOperationException(string.Join(", ", decision.Errors.Select(e => e.Code))))
                {
                    session.Add(e);
                    state = GroupSession.Evolve(state, e);
                }
            }

            var upcoming = startsAt > now;
            Session(GroupSessionDecider.Decide(new ScheduleSession(id, groupId, $"Bench meeting {s + 1}", startsAt, startsAt.AddHours(2), "Online", null,
                [new AgendaEntry(null, "Action taken report", 30, null, null, null, null)], [], AdminEmail, startsAt.AddDays(-14)), null));
            if (!upcoming)
            {
                Session(GroupSessionDecider.Decide(new DraftMinutes(id, $"## Minutes of bench meeting {s + 1}\n\n- Members reviewed the open items.", AdminEmail, startsAt.AddDays(1)), state));
                Session(GroupSessionDecider.Decide(new ApproveMinutes(id, AdminEmail, startsAt.AddDays(4)), state));
                if (s % 3 == 0)
                {
                    Apply(WorkingGroupDecider.Decide(new RecordDecision(groupId, new LocalizedText($"Bench decision {s}", $"बेंच निर्णय {s}"), id, true,
                        DecisionBasis.Consensus, [], [agencies[s]], [Layer.Data], [], null, null, AdminEmail, startsAt.AddDays(1)), group));
                }
            }

            batches.Add((id, typeof(GroupSession), session));
        }

        var layers = Layers.All;
        for (var i = 0; i < ActionItems; i++)
        {
            var id = Guid.NewGuid();
            var s = i % (Sessions - 1);
            var recordedAt = start.AddMonths(s).AddDays(15);
            var agency = agencies[i % agencies.Count];
            var layer = layers[i % layers.Count];
            var item = new List<object>();
            ActionItem? state = null;
            void Item(Decision decision)
            {
                foreach (var e in decision.IsAccepted ? decision.Events : throw new InvalidOperationException(string.Join(", ", decision.Errors.Select(e => e.Code))))
                {
                    item.Add(e);
                    state = ActionItem.Evolve(state, e);
                }
            }

            Item(ActionItemDecider.Decide(new RecordActionItem(id, groupId, sessionIds[s], $"Bench commitment {i + 1} on {layer}", agency, null, layer, null, null,
                DateOnly.FromDateTime(recordedAt.AddDays(30 + (i % 60)).DateTime), new ActionItemReferences(true, true, false, null), AdminEmail, recordedAt), null));
            // Every status: mostly done, some in progress, some dropped, the rest open (the recent ones, and some overdue).
            var status = (i % 10) switch
            {
                < 6 => ActionStatus.Done,
                6 => ActionStatus.InProgress,
                7 => ActionStatus.Dropped,
                _ => (ActionStatus?)null,
            };
            if (status is { } changed)
            {
                Item(ActionItemDecider.Decide(new ChangeActionStatus(id, changed, changed == ActionStatus.Dropped ? "No longer needed." : null, AdminEmail, recordedAt.AddDays(20)), state));
            }

            batches.Add((id, typeof(ActionItem), item));
        }

        batches.Insert(0, (groupId, typeof(WorkingGroup), events));
        foreach (var chunk in batches.Chunk(250))
        {
            await using var session = store.LightweightSession();
            foreach (var (id, kind, streamEvents) in chunk)
            {
                if (kind == typeof(WorkingGroup))
                {
                    session.Events.StartStream<WorkingGroup>(id, streamEvents);
                }
                else if (kind == typeof(GroupSession))
                {
                    session.Events.StartStream<GroupSession>(id, streamEvents);
                }
                else
                {
                    session.Events.StartStream<ActionItem>(id, streamEvents);
                }
            }

            await session.SaveChangesAsync(ct);
        }

        return groupId;
    }

    private sealed record DirectResult(LatencySummary Query, LatencySummary Baseline);

    /// <summary>The group page's one read, in-process with a fresh scope (and Marten session) per call, against loading the group alone.</summary>
    private static async Task<DirectResult> DirectAsync(IServiceProvider services, Guid groupId, int operations, int warmup, CancellationToken ct)
    {
        Report.Section(string.Create(CultureInfo.InvariantCulture,
            $"WorkingGroupQueries.GroupAsync in-process ({operations} calls, {warmup} warm-up; baseline: LoadAsync<WorkingGroup> alone)"));
        var reader = new Reader(AdminEmail, true, new HashSet<Guid>());
        var query = new LatencyRecorder("GroupAsync (admin)", operations);
        var baseline = new LatencyRecorder("LoadAsync<WorkingGroup>", operations);
        var reads = new LatencyRecorder("its five reads alone", operations);
        for (var i = 0; i < warmup + operations; i++)
        {
            var measured = i >= warmup;
            var started = Stopwatch.GetTimestamp();
            await using (var scope = services.CreateAsyncScope())
            {
                _ = await scope.ServiceProvider.GetRequiredService<IQuerySession>().LoadAsync<WorkingGroup>(groupId, ct)
                    ?? throw new InvalidOperationException("The bench group is missing.");
            }

            if (measured)
            {
                baseline.Stop(started);
            }

            started = Stopwatch.GetTimestamp();
            await ReadsAsync(services, groupId, ct);
            if (measured)
            {
                reads.Stop(started);
            }

            started = Stopwatch.GetTimestamp();
            GroupView view;
            await using (var scope = services.CreateAsyncScope())
            {
                view = await scope.ServiceProvider.GetRequiredService<WorkingGroupQueries>().GroupAsync(groupId, reader, ct)
                    ?? throw new InvalidOperationException("The bench group is missing.");
            }

            if (measured)
            {
                query.Stop(started);
            }

            if (i == 0 && (view.Members.Count != MemberAgencies || view.Items.Count != ActionItems))
            {
                throw new InvalidOperationException($"GroupAsync saw {view.Members.Count} members and {view.Items.Count} action items.");
            }
        }

        var result = new DirectResult(query.Summarize(), baseline.Summarize());
        Report.Latencies(result.Baseline, reads.Summarize(), result.Query);
        await ReadsOnceAsync(services, groupId, ct);
        return result;
    }

    /// <summary>The documents GroupAsync reads for an admin, in a fresh session, with none of its sorting or counting.</summary>
    private static async Task ReadsAsync(IServiceProvider services, Guid groupId, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<IQuerySession>();
        var group = (await session.LoadAsync<WorkingGroup>(groupId, ct))!;
        var ids = group.MemberAgencies.ToArray();
        await session.LoadManyAsync<AgencySummary>(ct, ids);
        await session.Query<GroupSession>().Where(s => s.GroupId == groupId).ToListAsync(ct);
        await session.Query<ActionItem>().Where(i => i.GroupId == groupId).ToListAsync(ct);
        await session.Query<Flag>().Where(f => f.AgencyId.IsOneOf(ids) && f.Status != FlagStatus.Resolved).ToListAsync(ct);
    }

    /// <summary>Where GroupAsync's time goes: each of its reads once, on a warm connection pool.</summary>
    private static async Task ReadsOnceAsync(IServiceProvider services, Guid groupId, CancellationToken ct)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
        var t = Stopwatch.StartNew();
        var group = (await session.LoadAsync<WorkingGroup>(groupId, ct))!;
        var load = t.Elapsed.TotalMilliseconds;
        var ids = group.MemberAgencies.ToArray();
        t.Restart();
        var members = await session.LoadManyAsync<AgencySummary>(ct, ids);
        var agencies = t.Elapsed.TotalMilliseconds;
        t.Restart();
        var sessions = await session.Query<GroupSession>().Where(s => s.GroupId == groupId).ToListAsync(ct);
        var sessionsMs = t.Elapsed.TotalMilliseconds;
        t.Restart();
        var items = await session.Query<ActionItem>().Where(i => i.GroupId == groupId).ToListAsync(ct);
        var itemsMs = t.Elapsed.TotalMilliseconds;
        t.Restart();
        var flags = await session.Query<Flag>().Where(f => f.AgencyId.IsOneOf(ids) && f.Status != FlagStatus.Resolved).ToListAsync(ct);
        var flagsMs = t.Elapsed.TotalMilliseconds;
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"  its reads, once each: the group {load:0.0} ms, {members.Count} member rows {agencies:0.0} ms, {sessions.Count} sessions {sessionsMs:0.0} ms, " +
            $"{items.Count} action items {itemsMs:0.0} ms, {flags.Count} open flags {flagsMs:0.0} ms"));
    }

    private sealed record HttpResult(LatencySummary Baseline, IReadOnlyList<LatencySummary> Measured, IReadOnlyList<string> Skipped);

    private static async Task<HttpResult> HttpAsync(IServiceProvider services, Uri baseAddress, Guid groupId, BenchSettings settings, CancellationToken ct)
    {
        Report.Section(string.Create(CultureInfo.InvariantCulture,
            $"The group over HTTP, signed in as an admin ({settings.HttpRequests} requests each, {settings.HttpWarmup} warm-up each, alternating with the baseline)"));
        await CreateAdminAsync(services);
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await PortalForms.SignInAsync(client, AdminEmail, AdminPassword, ct);

        var candidates = new (string Path, string MediaType, string Name)[]
        {
            ($"/working-groups/{groupId}", "text/html", "GET /working-groups/{id} (page)"),
            ($"/api/v1/working-groups/{groupId}", "application/json", "GET /api/v1/working-groups/{id}"),
            ($"/api/v1/working-groups/{groupId}/action-items", "application/json", "GET /api/v1/working-groups/{id}/action-items"),
        };
        var routes = new List<(string Path, string MediaType, LatencyRecorder Recorder)>();
        var skipped = new List<string>();
        foreach (var (path, mediaType, name) in candidates)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var bytes = (await response.Content.ReadAsByteArrayAsync(ct)).LongLength;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                routes.Add((path, mediaType, new LatencyRecorder(name, settings.HttpRequests)));
                Report.Line($"  {name}: 200, {Report.Bytes(bytes)}");
            }
            else
            {
                var line = $"{name}: skipped, it answered {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} (not built in this tree yet?)";
                skipped.Add(line);
                Report.Line("  " + line);
            }
        }

        var baseline = new LatencyRecorder("GET /culture (baseline)", settings.HttpRequests);
        for (var i = 0; i < settings.HttpWarmup + settings.HttpRequests; i++)
        {
            var measured = i >= settings.HttpWarmup;
            foreach (var (path, mediaType, recorder) in routes)
            {
                await PortfolioBenchmark.TimeAsync(client, BaselinePath, HttpStatusCode.Redirect, "text/html", measured ? baseline : null, ct);
                await PortfolioBenchmark.TimeAsync(client, path, HttpStatusCode.OK, mediaType, measured ? recorder : null, ct);
            }

            if (routes.Count == 0)
            {
                await PortfolioBenchmark.TimeAsync(client, BaselinePath, HttpStatusCode.Redirect, "text/html", measured ? baseline : null, ct);
            }
        }

        var result = new HttpResult(baseline.Summarize(), [.. routes.Select(r => r.Recorder.Summarize())], skipped);
        Report.Latencies(result.Baseline, [.. result.Measured]);
        return result;
    }

    private static async Task CreateAdminAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = AdminEmail, Email = AdminEmail, EmailConfirmed = true, DisplayName = "Bench Admin" };
        var created = await users.CreateAsync(user, AdminPassword);
        var inRole = created.Succeeded ? await users.AddToRoleAsync(user, Roles.Admin) : created;
        if (!inRole.Succeeded)
        {
            throw new InvalidOperationException($"Could not create the admin account: {string.Join(' ', inRole.Errors.Select(e => e.Description))}");
        }
    }
}
