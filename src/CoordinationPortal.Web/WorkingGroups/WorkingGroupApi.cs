using System.Globalization;
using System.Text.Json;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.WorkingGroups;

// Requests. Every field is optional in the type, so a missing one is reported by name (400) rather than failing to bind.
// Enums come as strings and are read here (names without case, with or without hyphens: "in-progress"), so an unknown
// value is a 400 naming its field and the values allowed.

public sealed record TextRequest(string? En, string? Hi);

public sealed record GroupRequest(TextRequest? Name, TextRequest? Purpose, string? Kind, IReadOnlyList<Guid>? MemberAgencyIds);

public sealed record MemberAgencyRequest(Guid? AgencyId, long? ExpectedVersion);

public sealed record PersonRequest(string? Person, string? Role, Guid? AgencyId, long? ExpectedVersion);

public sealed record AgendaItemRequest(Guid? Id, string? Title, int? DurationMinutes, string? Presenter, Guid? AgencyId, string? Layer, Guid? FlagId);

public sealed record SessionRequest(
    string? Title, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Place, string? Link, IReadOnlyList<AgendaItemRequest>? Agenda);

public sealed record AgendaRequest(IReadOnlyList<AgendaItemRequest>? Agenda, long? ExpectedVersion);

public sealed record VersionRequest(long? ExpectedVersion);

public sealed record CancelRequest(string? Reason, long? ExpectedVersion);

public sealed record AttendeeRequest(string? Name, Guid? AgencyId);

public sealed record AttendanceRequest(IReadOnlyList<AttendeeRequest>? Attendees, long? ExpectedVersion);

public sealed record MinutesRequest(string? Markdown, long? ExpectedVersion);

public sealed record AmendmentRequest(string? Markdown, string? Reason, long? ExpectedVersion);

public sealed record VoteCountRequest(string? Option, int? Count);

public sealed record DecisionRequest(
    TextRequest? Text, Guid? SessionId, string? Basis, IReadOnlyList<VoteCountRequest>? Counts, IReadOnlyList<Guid>? AgencyIds,
    IReadOnlyList<string>? Layers, IReadOnlyList<Guid>? FlagIds, DateOnly? ReviewOn, DateOnly? TakenOn, long? ExpectedVersion);

public sealed record ActionItemRequest(
    Guid? AgencyId, string? Layer, string? Title, DateOnly? DueDate, string? Owner, Guid? FlagId, string? IndicatorId, int? TargetLevel, Guid? SessionId);

public sealed record StatusRequest(string? Status, string? Note, long? ExpectedVersion);

public sealed record ReviewRequest(string? Note, DateOnly? NextReviewOn, long? ExpectedVersion);

public sealed record InitiativeRequest(TextRequest? Title, IReadOnlyList<string>? Layers, double? TargetLevel, DateOnly? Deadline, long? ExpectedVersion);

public sealed record RescheduleRequest(DateOnly? DueDate, string? Reason, long? ExpectedVersion);

public sealed record DismissRequest(string? Note, long? ExpectedVersion);

// Responses: plain records of what the reader may see. Null lists mean "not yours to see", not "none".

public sealed record CreatedDto(Guid Id, long Version);

public sealed record ChangedDto(Guid Id, long Version);

public sealed record DecisionCreatedDto(Guid GroupId, int Number, long Version);

public sealed record AmendmentCreatedDto(Guid SessionId, int Number, long Version);

public sealed record SessionBriefDto(Guid Id, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, SessionState State, bool MinutesApproved);

public sealed record GroupListItemDto(
    Guid Id, LocalizedText Name, LocalizedText Purpose, ForumKind Kind, int Agencies, int? People, SessionBriefDto? NextSession,
    int? OpenItems, int? OverdueItems, int DecisionsDue, bool ReadsAll, bool Manages, long Version);

public sealed record MemberAgencyDto(Guid Id, string Name, LayerScoresDto Layers);

public sealed record AgencyMembershipDto(Guid AgencyId, DateOnly Joined, DateOnly? Left);

public sealed record PersonDto(string Person, GroupRole Role, Guid? AgencyId, DateOnly Joined, DateOnly? Left);

public sealed record DecisionDto(
    int Number, LocalizedText Text, Guid? SessionId, DecisionBasis Basis, IReadOnlyList<VoteCount> Counts, IReadOnlyList<Guid> AgencyIds,
    IReadOnlyList<Layer> Layers, IReadOnlyList<Guid> FlagIds, DateOnly? ReviewOn, DateOnly TakenOn, bool DueForReview, string By,
    DateTimeOffset RecordedAt, string? LastReviewNote, DateTimeOffset? LastReviewedAt);

public sealed record InitiativeDto(Guid Id, LocalizedText Title, IReadOnlyList<Layer> Layers, double TargetLevel, DateOnly Deadline, int AgenciesAtTarget, int Agencies);

public sealed record FlagBriefDto(Guid Id, Guid AgencyId, string RuleId, string Kind, FlagSeverity Severity, FlagStatus Status, LocalizedText Explanation);

public sealed record ActionItemDto(
    Guid Id, Guid GroupId, Guid? SessionId, string Title, Guid AgencyId, string? Owner, Layer Layer, Guid? FlagId, string? IndicatorId,
    int? TargetLevel, DateOnly DueDate, ActionStatus Status, bool Overdue, int DaysOverdue, string? DropReason, DateTimeOffset? DoneAt,
    ProposalReason? Proposal, DateTimeOffset? ProposedAt, string RecordedBy, DateTimeOffset RecordedAt, IReadOnlyList<StatusChange> History, long Version);

public sealed record ActionItemPageDto(int Total, int Offset, int Limit, IReadOnlyList<ActionItemDto> Items);

public sealed record ActionItemReadDto(ActionItemDto Item, LocalizedText GroupName, bool MayUpdate);

public sealed record GroupDto(
    Guid Id, LocalizedText Name, LocalizedText Purpose, ForumKind Kind, DateOnly FormedOn, long Version, bool ReadsAll, bool Manages,
    IReadOnlyList<MemberAgencyDto> Members, IReadOnlyList<AgencyMembershipDto>? MemberHistory, IReadOnlyList<PersonDto>? People,
    IReadOnlyList<SessionBriefDto> Sessions, IReadOnlyList<DecisionDto> Decisions, IReadOnlyList<InitiativeDto> Initiatives,
    ActionItemCounts? Counts, IReadOnlyList<ActionItemDto>? ActionItems, IReadOnlyList<FlagBriefDto>? Flags);

public sealed record MinutesDto(string Markdown, bool Approved, string? DraftedBy, DateTimeOffset? DraftedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt);

public sealed record SessionDto(
    Guid Id, Guid GroupId, LocalizedText GroupName, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Link,
    SessionState State, string? CancelReason, DateTimeOffset? StartedAt, IReadOnlyList<AgendaItem> Agenda, IReadOnlyList<Attendee>? Attendees,
    MinutesDto? Minutes, IReadOnlyList<Amendment> Amendments, IReadOnlyList<DecisionDto> Decisions, IReadOnlyList<ActionItemDto>? ActionItems,
    bool ReadsAll, bool Manages, long Version);

/// <summary>
/// The working-groups API. Every write goes through <see cref="WorkingGroupHandler"/> (which decides who may act with
/// <see cref="GroupAccess"/>) and every read through <see cref="WorkingGroupQueries"/> or the same access rules: a
/// signed-in reader sees the groups, their member agencies, approved minutes and decisions; the people of a group and
/// the leads of its member agencies see everything of it; its chair and secretary (and admins) manage it. 403 is for a
/// group the reader can see but an action they may not take; 404 only for what does not exist.
/// </summary>
public static class WorkingGroupApi
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;

    /// <summary>How many action items the group's own answer carries; the action-items route has them all.</summary>
    public const int GroupItemsPreview = 50;

    public static IEndpointRouteBuilder MapWorkingGroupApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.View).WithTags("Working groups");
        MapGroups(api);
        MapSessions(api);
        MapDecisions(api);
        MapActionItems(api);
        MapFollowUps(api);
        return app;
    }

    private static void MapGroups(RouteGroupBuilder api)
    {
        api.MapGet("/working-groups", async (HttpContext http, GroupReaders readers, WorkingGroupQueries queries, CancellationToken ct) =>
        {
            var reader = await readers.ForAsync(http.User, ct);
            var rows = await queries.ListAsync(reader, ct);
            return Results.Ok(rows.Select(r => new GroupListItemDto(
                r.Group.Id, r.Group.Name, r.Group.Purpose, r.Group.Kind, r.Agencies,
                r.Access.ReadsAll ? r.People : null,
                r.Access.ReadsAll && r.NextSession is { } next ? Brief(next) : null,
                r.Access.ReadsAll ? r.OpenItems : null,
                r.Access.ReadsAll ? r.OverdueItems : null,
                r.DecisionsDue, r.Access.ReadsAll, r.Access.Manages, r.Group.Version)).ToList());
        })
            .WithSummary("Lists the working groups, with the next session and, for their readers, open and overdue action-item counts.")
            .Produces<List<GroupListItemDto>>(StatusCodes.Status200OK);

        api.MapPost("/working-groups", async (HttpContext http, WorkingGroupHandler handler, GroupReaders readers, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<GroupRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text);
            var kind = errors.Enum<ForumKind>(request.Kind, "kind", required: true);
            if (errors.Any)
            {
                // Parsing comes before the handler's own check: answer who may not form groups the same way it would.
                return (await readers.ForAsync(http.User, ct)).IsAdmin ? errors.Result() : Forbidden(text);
            }

            var id = Guid.NewGuid();
            var outcome = await handler.FormAsync(http.User, id, Text(request.Name), Text(request.Purpose), kind!.Value, request.MemberAgencyIds ?? [], ct);
            return ToResult(outcome, text, "WorkingGroup.NotFound", a => Results.Created($"/api/v1/working-groups/{id}", new CreatedDto(id, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<GroupRequest>()
            .WithSummary("Forms a working group.")
            .WithDescription("Admins only. `name` and `purpose` as `{ en, hi }`, `kind` (`national`, `sector`, `state`, `multi-stakeholder`) and `memberAgencyIds`.")
            .Produces<CreatedDto>(StatusCodes.Status201Created);

        api.MapGet("/working-groups/{id:guid}", async (Guid id, HttpContext http, GroupReaders readers, WorkingGroupQueries queries, PortalClock clock,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var reader = await readers.ForAsync(http.User, ct);
            var view = await queries.GroupAsync(id, reader, ct);
            if (view is null)
            {
                return NotFound(text, "WorkingGroup.NotFound");
            }

            var all = view.Access.ReadsAll;
            var today = clock.Today;
            var g = view.Group;
            return Results.Ok(new GroupDto(
                g.Id, g.Name, g.Purpose, g.Kind, g.FormedOn, g.Version, all, view.Access.Manages,
                [.. view.Members.Select(m => new MemberAgencyDto(m.Id, m.Name, new LayerScoresDto(m.Compute, m.Data, m.Governance, m.Skills, m.Operations)))],
                all ? [.. g.AgencyHistory.Select(m => new AgencyMembershipDto(m.AgencyId, m.Joined, m.Left))] : null,
                all ? [.. g.PeopleHistory.Select(p => new PersonDto(p.Person, p.Role, p.AgencyId, p.Joined, p.Left))] : null,
                [.. view.Sessions.Select(Brief)],
                [.. g.Decisions.OrderBy(d => d.Number).Select(d => ToDto(d, today))],
                [.. view.Initiatives.Select(i => new InitiativeDto(
                    i.Initiative.Id, i.Initiative.Title, i.Initiative.Layers, i.Initiative.TargetLevel, i.Initiative.Deadline, i.AgenciesAtTarget, i.Agencies))],
                all ? view.Counts : null,
                // The first items only (open first, oldest due first): the counts say how many there are, and
                // GET …/action-items pages through all of them with filters. A group of 2,000 items stays a small answer.
                all ? [.. view.Items.Take(GroupItemsPreview).Select(i => ToDto(i, today))] : null,
                all ? [.. view.Flags.Select(f => new FlagBriefDto(f.Id, f.AgencyId, f.RuleId, f.Kind, f.Severity, f.Status, f.Explanation))] : null));
        })
            .WithSummary("Reads a working group: members with their layer scores, sessions, decisions and initiatives.")
            .WithDescription("Its readers also get member and people history, action-item counts, its first 50 action items (open first) and the member agencies' open flags; a viewer gets the group, its members, approved sessions and decisions only.")
            .Produces<GroupDto>(StatusCodes.Status200OK);

        api.MapPost("/working-groups/{id:guid}/members", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            PortalClock clock, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<MemberAgencyRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            if (request.AgencyId is not { } agencyId)
            {
                return await gate.GroupAsync(http, id, ct) ?? new Errors(text).Add("agencyId", "Error.WorkingGroup.UnknownAgency").Result();
            }

            var outcome = await handler.ActOnGroupAsync(http.User, new AddMemberAgency(id, agencyId, false, clock.Today, "", default), request.ExpectedVersion, ct);
            return ToResult(outcome, text, "WorkingGroup.NotFound", a => Results.Ok(new ChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<MemberAgencyRequest>()
            .WithSummary("Adds a member agency to a working group.")
            .WithDescription("The group's managers (its chair and secretary, and admins). Joining is dated; history is kept.")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapDelete("/working-groups/{id:guid}/members/{agencyId:guid}", async (Guid id, Guid agencyId, long? expectedVersion, HttpContext http,
            WorkingGroupHandler handler, PortalClock clock, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var outcome = await handler.ActOnGroupAsync(http.User, new RemoveMemberAgency(id, agencyId, clock.Today, "", default), expectedVersion, ct);
            return ToResult(outcome, text, "WorkingGroup.NotFound", a => Results.Ok(new ChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .WithSummary("Removes a member agency from a working group.")
            .WithDescription("The group's managers (its chair and secretary, and admins). Leaving is dated; history is kept. `expectedVersion` (query, optional): 409 with `currentVersion` when the group changed since.")
            .Produces<ChangedDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/working-groups/{id:guid}/people", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            UserManager<PortalUser> users, PortalClock clock, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<PersonRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text);
            var role = errors.Enum<GroupRole>(request.Role, "role", required: true);
            if (string.IsNullOrWhiteSpace(request.Person))
            {
                errors.Add("person", "Error.WorkingGroup.TextRequired");
            }
            else if (request.Person.Length > WorkingGroupDecider.MaxNameLength || await users.FindByNameAsync(request.Person.Trim()) is null)
            {
                // People are portal users (their sign-in name): a name no one signs in with would grant nothing to anyone.
                errors.Add("person", "WgApi.Person.Unknown");
            }

            if (errors.Any)
            {
                return await gate.GroupAsync(http, id, ct) ?? errors.Result();
            }

            var command = new AddPerson(id, request.Person!.Trim(), role!.Value, request.AgencyId, clock.Today, "", default);
            var outcome = await handler.ActOnGroupAsync(http.User, command, request.ExpectedVersion, ct);
            return ToResult(outcome, text, "WorkingGroup.NotFound", a => Results.Ok(new ChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<PersonRequest>()
            .WithSummary("Adds a person to a working group with a role.")
            .WithDescription("The group's managers (its chair and secretary, and admins). `person` must be a portal account; `role` is `chair`, `secretary`, `member` or `observer`, with an optional `agencyId`.")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapDelete("/working-groups/{id:guid}/people/{person}", async (Guid id, string person, long? expectedVersion, HttpContext http,
            WorkingGroupHandler handler, PortalClock clock, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var outcome = await handler.ActOnGroupAsync(http.User, new RemovePerson(id, person, clock.Today, "", default), expectedVersion, ct);
            return ToResult(outcome, text, "WorkingGroup.NotFound", a => Results.Ok(new ChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .WithSummary("Removes a person from a working group.")
            .WithDescription("The group's managers (its chair and secretary, and admins). Leaving is dated; history is kept. `expectedVersion` (query, optional): 409 with `currentVersion` when the group changed since.")
            .Produces<ChangedDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapSessions(RouteGroupBuilder api)
    {
        api.MapPost("/working-groups/{id:guid}/sessions", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<SessionRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text);
            errors.Require(request.StartsAt, "startsAt");
            errors.Require(request.EndsAt, "endsAt");
            var agenda = Agenda(request.Agenda, errors);
            if (errors.Any)
            {
                return await gate.GroupAsync(http, id, ct) ?? errors.Result();
            }

            var sessionId = Guid.NewGuid();
            var outcome = await handler.ScheduleSessionAsync(
                http.User, id, sessionId, request.Title ?? "", request.StartsAt!.Value, request.EndsAt!.Value, request.Place, request.Link, agenda, ct);
            return ToResult(outcome, text, "WorkingGroup.NotFound", a => Results.Created($"/api/v1/sessions/{sessionId}", new CreatedDto(sessionId, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<SessionRequest>()
            .WithSummary("Schedules a session of a working group.")
            .WithDescription("The group's managers (its chair and secretary, and admins). The group's open action items are carried onto its agenda.")
            .Produces<CreatedDto>(StatusCodes.Status201Created);

        api.MapGet("/sessions/{id:guid}", async (Guid id, HttpContext http, GroupReaders readers, WorkingGroupQueries queries, PortalClock clock,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var view = await queries.SessionAsync(id, await readers.ForAsync(http.User, ct), ct);
            return view is null ? NotFound(text, "Session.NotFound") : Results.Ok(ToDto(view, clock.Today));
        })
            .WithSummary("Reads a session with its agenda, attendance and minutes.")
            .WithDescription("Draft minutes are for the group's readers only.")
            .Produces<SessionDto>(StatusCodes.Status200OK);

        api.MapGet("/sessions/{id:guid}/calendar.ics", async (Guid id, HttpContext http, GroupReaders readers, WorkingGroupQueries queries,
            PortalClock clock, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var view = await queries.SessionAsync(id, await readers.ForAsync(http.User, ct), ct);
            if (view is null)
            {
                return NotFound(text, "Session.NotFound");
            }

            var page = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/sessions/{id}");
            var calendar = SessionCalendar.Write(view.Session, view.Group, VisibleAgenda(view), page, text, clock.Now);
            return Results.File(System.Text.Encoding.UTF8.GetBytes(calendar), SessionCalendar.ContentType, SessionCalendar.FileName(view.Session));
        })
            .WithSummary("Downloads a session as an iCalendar event.")
            .WithDescription("A stable `UID`, times in UTC, `SEQUENCE` rising with every change, `STATUS:CANCELLED` when cancelled.")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar");

        api.MapPut("/sessions/{id:guid}/agenda", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<AgendaRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text);
            var agenda = Agenda(request.Agenda, errors);
            errors.RequireVersion(request.ExpectedVersion);
            return errors.Any
                ? await gate.SessionAsync(http, id, ct) ?? errors.Result()
                : await RunOnSession(handler, http, new ChangeAgenda(id, agenda, "", default), request.ExpectedVersion, text, ct);
        }).DisableAntiforgery()
            .ReadsJson<AgendaRequest>()
            .WithSummary("Replaces a session's agenda.")
            .WithDescription("The group's managers (its chair and secretary, and admins). `expectedVersion` is required.")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/sessions/{id:guid}/start", async (Guid id, HttpContext http, WorkingGroupHandler handler, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<VersionRequest>(http, ct, optional: true);
            return request is null ? bad! : await RunOnSession(handler, http, new StartSession(id, [], "", default), request.ExpectedVersion, text, ct);
        }).DisableAntiforgery()
            .ReadsJson<VersionRequest>(optional: true)
            .WithSummary("Starts a session, carrying forward action items opened since it was scheduled.")
            .WithDescription("The group's managers (its chair and secretary, and admins). The body (`expectedVersion`) is optional.")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/sessions/{id:guid}/cancel", async (Guid id, HttpContext http, WorkingGroupHandler handler, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<CancelRequest>(http, ct);
            return request is null
                ? bad!
                : await RunOnSession(handler, http, new CancelSession(id, request.Reason ?? "", "", default), request.ExpectedVersion, text, ct);
        }).DisableAntiforgery()
            .ReadsJson<CancelRequest>()
            .WithSummary("Cancels a session with a reason.")
            .WithDescription("The group's managers (its chair and secretary, and admins).")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/sessions/{id:guid}/attendance", async (Guid id, HttpContext http, WorkingGroupHandler handler, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<AttendanceRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var attendees = (request.Attendees ?? []).Select(a => new Attendee(a?.Name ?? "", a?.AgencyId)).ToList();
            return await RunOnSession(handler, http, new RecordAttendance(id, attendees, new HashSet<Guid>(), "", default), request.ExpectedVersion, text, ct);
        }).DisableAntiforgery()
            .ReadsJson<AttendanceRequest>()
            .WithSummary("Records who attended a session.")
            .WithDescription("The group's managers (its chair and secretary, and admins).")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapPut("/sessions/{id:guid}/minutes", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<MinutesRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text).RequireVersion(request.ExpectedVersion);
            return errors.Any
                ? await gate.SessionAsync(http, id, ct) ?? errors.Result()
                : await RunOnSession(handler, http, new DraftMinutes(id, request.Markdown ?? "", "", default), request.ExpectedVersion, text, ct);
        }).DisableAntiforgery()
            .ReadsJson<MinutesRequest>()
            .WithSummary("Drafts a session's minutes; a later draft replaces it.")
            .WithDescription("The group's managers (its chair and secretary, and admins). Approved minutes never change: a draft after approval is a 400 (`Session.MinutesAlreadyApproved`).")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/sessions/{id:guid}/minutes/approve", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<VersionRequest>(http, ct, optional: true);
            if (request is null)
            {
                return bad!;
            }

            // Approval makes the minutes final: it must name the version of the draft the approver read.
            var errors = new Errors(text).RequireVersion(request.ExpectedVersion);
            return errors.Any
                ? await gate.SessionAsync(http, id, ct) ?? errors.Result()
                : await RunOnSession(handler, http, new ApproveMinutes(id, "", default), request.ExpectedVersion, text, ct);
        }).DisableAntiforgery()
            .ReadsJson<VersionRequest>(optional: true)
            .WithSummary("Approves a session's draft minutes.")
            .WithDescription("The group's managers (its chair and secretary, and admins). The body (`expectedVersion`) is optional. Approved minutes never change; amend them instead.")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/sessions/{id:guid}/minutes/amendments", async (Guid id, HttpContext http, WorkingGroupHandler handler, BodyReader json,
            IQuerySession query, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<AmendmentRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var outcome = await handler.ActOnSessionAsync(http.User, new AmendMinutes(id, request.Markdown ?? "", request.Reason ?? "", "", default), request.ExpectedVersion, ct);
            if (outcome is not CommandOutcome.Accepted accepted)
            {
                return ToResult(outcome, text, "Session.NotFound", _ => Results.Ok());
            }

            var number = await query.Events.FetchStreamAsync(id, accepted.Version, token: ct) is { Count: > 0 } events && events[^1].Data is MinutesAmended amended
                ? amended.Number
                : 0;
            return Results.Created($"/api/v1/sessions/{id}", new AmendmentCreatedDto(id, number, accepted.Version));
        }).DisableAntiforgery()
            .ReadsJson<AmendmentRequest>()
            .WithSummary("Amends a session's approved minutes, with a reason.")
            .WithDescription("The group's managers (its chair and secretary, and admins). Answers the amendment's number.")
            .Produces<AmendmentCreatedDto>(StatusCodes.Status201Created);
    }

    private static void MapDecisions(RouteGroupBuilder api)
    {
        api.MapGet("/working-groups/{id:guid}/decisions", async (Guid id, IQuerySession query, PortalClock clock,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            // The decision log is for every signed-in reader (as the group page shows it to them).
            var group = await query.LoadAsync<WorkingGroup>(id, ct);
            return group is null
                ? NotFound(text, "WorkingGroup.NotFound")
                : Results.Ok(group.Decisions.OrderBy(d => d.Number).Select(d => ToDto(d, clock.Today)).ToList());
        })
            .WithSummary("Lists a working group's numbered decision log, each decision with whether it is due for review.")
            .WithDescription("Every signed-in reader.")
            .Produces<List<DecisionDto>>(StatusCodes.Status200OK);

        api.MapPost("/working-groups/{id:guid}/decisions", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            IQuerySession query, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<DecisionRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text);
            var basis = errors.Enum<DecisionBasis>(request.Basis, "basis", required: true);
            var layers = errors.Enums<Layer>(request.Layers, "layers");

            var counts = new List<VoteCount>();
            for (var i = 0; i < (request.Counts?.Count ?? 0); i++)
            {
                var count = request.Counts![i];
                if (count?.Count is not { } n)
                {
                    errors.Add($"counts[{i}].count", "WgApi.Value.Required");
                    continue;
                }

                counts.Add(new VoteCount(count.Option ?? "", n));
            }

            if (errors.Any)
            {
                return await gate.GroupAsync(http, id, ct) ?? errors.Result();
            }

            var command = new RecordDecision(id, Text(request.Text), request.SessionId, false, basis!.Value, counts, request.AgencyIds ?? [], layers,
                request.FlagIds ?? [], request.ReviewOn, request.TakenOn, "", default);
            var outcome = await handler.ActOnGroupAsync(http.User, command, request.ExpectedVersion, ct);
            if (outcome is not CommandOutcome.Accepted accepted)
            {
                return ToResult(outcome, text, "WorkingGroup.NotFound", _ => Results.Ok());
            }

            // The number is the group's to give: read it from the event this request appended.
            var number = await query.Events.FetchStreamAsync(id, accepted.Version, token: ct) is { Count: > 0 } events && events[^1].Data is DecisionRecorded recorded
                ? recorded.Number
                : 0;
            return Results.Created($"/api/v1/working-groups/{id}/decisions", new DecisionCreatedDto(id, number, accepted.Version));
        }).DisableAntiforgery()
            .ReadsJson<DecisionRequest>()
            .WithSummary("Records a decision in a working group's log.")
            .WithDescription("The group's managers (its chair and secretary, and admins). `text` `{ en, hi }`; `basis` `consensus` or `vote` with `counts`. Answers the decision's `number`.")
            .Produces<DecisionCreatedDto>(StatusCodes.Status201Created);
    }

    private static void MapActionItems(RouteGroupBuilder api)
    {
        api.MapGet("/working-groups/{id:guid}/action-items", async (Guid id, string? status, string? agencyId, string? layer, string? overdue,
            string? limit, string? offset, HttpContext http, GroupReaders readers, IQuerySession query, PortalClock clock,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var group = await query.LoadAsync<WorkingGroup>(id, ct);
            if (group is null)
            {
                return NotFound(text, "WorkingGroup.NotFound");
            }

            if (!GroupAccess.For(group, await readers.ForAsync(http.User, ct)).ReadsAll)
            {
                return Forbidden(text);
            }

            var errors = new Errors(text);
            var filter = new ActionItemFilter(
                errors.Enum<ActionStatus>(status, nameof(status), required: false),
                errors.Id(agencyId, nameof(agencyId)),
                errors.Enum<Layer>(layer, nameof(layer), required: false),
                errors.Bool(overdue, nameof(overdue)));
            var take = errors.Int(limit, nameof(limit), DefaultLimit, 1, MaxLimit);
            var skip = errors.Int(offset, nameof(offset), 0, 0, int.MaxValue);
            if (errors.Any)
            {
                return errors.Result();
            }

            var today = clock.Today;
            var items = filter.Apply(await query.Query<ActionItem>().Where(i => i.GroupId == id).ToListAsync(ct), today)
                .OrderBy(i => i.IsOpen ? 0 : 1).ThenBy(i => i.DueDate).ThenBy(i => i.RecordedAt)
                .ToList();
            return Results.Ok(new ActionItemPageDto(items.Count, skip, take, [.. items.Skip(skip).Take(take).Select(i => ToDto(i, today))]));
        })
            .WithSummary("Lists a working group's action items, filtered and paged, with the total.")
            .WithDescription("The group's readers. Filters: `status` (`open`, `in-progress`, `done`, `dropped`), `agencyId`, `layer`, `overdue=true`; paged by `limit` (200 by default, at most 1,000) and `offset`.")
            .Produces<ActionItemPageDto>(StatusCodes.Status200OK);

        api.MapPost("/working-groups/{id:guid}/action-items", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<ActionItemRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text);
            var layer = errors.Enum<Layer>(request.Layer, "layer", required: true);
            errors.Require(request.AgencyId, "agencyId");
            errors.Require(request.DueDate, "dueDate");
            ActionTarget? target = null;
            if (!string.IsNullOrWhiteSpace(request.IndicatorId) || request.TargetLevel is not null)
            {
                if (string.IsNullOrWhiteSpace(request.IndicatorId))
                {
                    errors.Add("indicatorId", "WgApi.Target.Incomplete");
                }
                else if (request.TargetLevel is not { } level)
                {
                    errors.Add("targetLevel", "WgApi.Target.Incomplete");
                }
                else
                {
                    target = new ActionTarget(request.IndicatorId.Trim(), level);
                }
            }

            if (errors.Any)
            {
                return await gate.GroupAsync(http, id, ct) ?? errors.Result();
            }

            var itemId = Guid.NewGuid();
            var outcome = await handler.RecordActionItemAsync(http.User, id, itemId, request.Title ?? "", request.AgencyId!.Value, request.Owner, layer!.Value,
                request.FlagId, target, request.DueDate!.Value, request.SessionId, ct);
            return ToResult(outcome, text, "WorkingGroup.NotFound", a => Results.Created($"/api/v1/action-items/{itemId}", new CreatedDto(itemId, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<ActionItemRequest>()
            .WithSummary("Records an action item for a member agency.")
            .WithDescription("The group's managers (its chair and secretary, and admins). `agencyId`, `layer`, `title`, `dueDate` (a past date is accepted); optional `owner`, `flagId` (of that agency), `indicatorId` with `targetLevel`, `sessionId`.")
            .Produces<CreatedDto>(StatusCodes.Status201Created);

        api.MapGet("/action-items/{id:guid}", async (Guid id, HttpContext http, GroupReaders readers, WorkingGroupQueries queries, PortalClock clock,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var view = await queries.ActionItemAsync(id, await readers.ForAsync(http.User, ct), ct);
            if (view is null)
            {
                return NotFound(text, "ActionItem.NotFound");
            }

            // The group's readers, and the leads of the owner agency (who may update it even after their agency left).
            return view.Access.ReadsAll || view.MayUpdate
                ? Results.Ok(new ActionItemReadDto(ToDto(view.Item, clock.Today), view.Group.Name, view.MayUpdate))
                : Forbidden(text);
        })
            .WithSummary("Reads one action item, with whether you may update it.")
            .WithDescription("The group's readers and the leads of the owner agency.")
            .Produces<ActionItemReadDto>(StatusCodes.Status200OK);

        api.MapPost("/action-items/{id:guid}/status", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<StatusRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text);
            var status = errors.Enum<ActionStatus>(request.Status, "status", required: true);
            errors.RequireVersion(request.ExpectedVersion);
            if (errors.Any)
            {
                return await gate.ActionItemAsync(http, id, ct) ?? errors.Result();
            }

            var outcome = await handler.ActOnActionItemAsync(http.User, new ChangeActionStatus(id, status!.Value, request.Note, "", default), request.ExpectedVersion, ct);
            return ToResult(outcome, text, "ActionItem.NotFound", a => Results.Ok(new ChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<StatusRequest>()
            .WithSummary("Changes an action item's status.")
            .WithDescription("The group's managers and the leads of the owner agency. `note` is required to drop or reopen.")
            .Produces<ChangedDto>(StatusCodes.Status200OK);
    }

    /// <summary>Following up: reviewing a decision, launching an initiative, a new due date, dismissing a proposal.</summary>
    private static void MapFollowUps(RouteGroupBuilder api)
    {
        api.MapPost("/working-groups/{id:guid}/decisions/{number:int}/review", async (Guid id, int number, HttpContext http, WorkingGroupHandler handler,
            BodyReader json, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<ReviewRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            // The runner refuses who may not act (403) or what does not exist (404) before the decider words any input error.
            var outcome = await handler.ActOnGroupAsync(http.User, new ReviewDecision(id, number, request.Note ?? "", request.NextReviewOn, "", default), request.ExpectedVersion, ct);
            return ToResult(outcome, text, "WorkingGroup.NotFound", a => Results.Ok(new ChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<ReviewRequest>()
            .WithSummary("Reviews a decision: it leaves the due list until `nextReviewOn`.")
            .WithDescription("The group's managers (its chair and secretary, and admins).")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/working-groups/{id:guid}/initiatives", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<InitiativeRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text);
            var layers = errors.Enums<Layer>(request.Layers, "layers");

            errors.Require(request.Deadline, "deadline");
            errors.Require(request.TargetLevel, "targetLevel");
            if (errors.Any)
            {
                return await gate.GroupAsync(http, id, ct) ?? errors.Result();
            }

            var initiative = Guid.NewGuid();
            var outcome = await handler.ActOnGroupAsync(
                http.User, new LaunchInitiative(id, initiative, Text(request.Title), layers, request.TargetLevel!.Value, request.Deadline!.Value, "", default),
                request.ExpectedVersion, ct);
            return ToResult(outcome, text, "WorkingGroup.NotFound", a => Results.Created($"/api/v1/working-groups/{id}", new CreatedDto(initiative, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<InitiativeRequest>()
            .WithSummary("Launches an initiative: a target level for the member agencies on some layers by a deadline.")
            .WithDescription("The group's managers (its chair and secretary, and admins). `title` `{ en, hi }`, `layers`, `targetLevel` 1–5, `deadline`.")
            .Produces<CreatedDto>(StatusCodes.Status201Created);

        api.MapPost("/action-items/{id:guid}/due-date", async (Guid id, HttpContext http, WorkingGroupHandler handler, AccessGate gate, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<RescheduleRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Errors(text);
            errors.Require(request.DueDate, "dueDate");
            errors.RequireVersion(request.ExpectedVersion);
            if (errors.Any)
            {
                return await gate.ActionItemAsync(http, id, ct) ?? errors.Result();
            }

            var outcome = await handler.ActOnActionItemAsync(
                http.User, new RescheduleActionItem(id, request.DueDate!.Value, request.Reason ?? "", "", default), request.ExpectedVersion, ct);
            return ToResult(outcome, text, "ActionItem.NotFound", a => Results.Ok(new ChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<RescheduleRequest>()
            .WithSummary("Sets a new due date for an action item, with its reason.")
            .WithDescription("The group's managers and the leads of the owner agency.")
            .Produces<ChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/action-items/{id:guid}/proposal/dismiss", async (Guid id, HttpContext http, WorkingGroupHandler handler, BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<DismissRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var outcome = await handler.ActOnActionItemAsync(http.User, new DismissProposal(id, request.Note, "", default), request.ExpectedVersion, ct);
            return ToResult(outcome, text, "ActionItem.NotFound", a => Results.Ok(new ChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<DismissRequest>()
            .WithSummary("Dismisses the portal's proposal that an action item is done.")
            .WithDescription("The group's managers and the leads of the owner agency. It comes back only for a newer fact.")
            .Produces<ChangedDto>(StatusCodes.Status200OK);
    }

    private static async Task<IResult> RunOnSession(
        WorkingGroupHandler handler, HttpContext http, SessionCommand command, long? expectedVersion, IStringLocalizer text, CancellationToken ct) =>
        ToResult(await handler.ActOnSessionAsync(http.User, command, expectedVersion, ct), text, "Session.NotFound",
            a => Results.Ok(new ChangedDto(command.SessionId, a.Version)));

    /// <summary>
    /// The outcome as HTTP (<see cref="OutcomeResults"/>); a refusal also lists the domain's codes by field under
    /// <c>codes</c>, so a client can tell "minutes already approved" from "no draft" without reading the words.
    /// </summary>
    private static IResult ToResult(CommandOutcome outcome, IStringLocalizer text, string notFoundCode, Func<CommandOutcome.Accepted, IResult> accepted)
    {
        if (outcome is CommandOutcome.Invalid invalid)
        {
            var byField = invalid.Errors.GroupBy(e => Camel(e.Field ?? "request")).ToList();
            return Results.ValidationProblem(
                byField.ToDictionary(g => g.Key, g => g.Select(e => text["Error." + e.Code].Value).ToArray()),
                extensions: new Dictionary<string, object?> { ["codes"] = byField.ToDictionary(g => g.Key, g => g.Select(e => e.Code).ToArray()) });
        }

        return outcome.ToHttpResult(text, "Error." + notFoundCode, accepted, conflictKey: "WgApi.Conflict", forbiddenKey: "WgApi.Forbidden");
    }

    private static string Camel(string field) => field.Length == 0 ? field : char.ToLowerInvariant(field[0]) + field[1..];

    private static IResult NotFound(IStringLocalizer text, string code) => OutcomeResults.NotFound(text, "Error." + code);

    private static IResult Forbidden(IStringLocalizer text) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["WgApi.Forbidden"]);

    private static LocalizedText Text(TextRequest? text) => new(text?.En ?? "", text?.Hi ?? "");

    private static List<AgendaEntry> Agenda(IReadOnlyList<AgendaItemRequest>? items, Errors errors)
    {
        var agenda = new List<AgendaEntry>();
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var item = items![i];
            if (item is null)
            {
                errors.Add($"agenda[{i}]", "WgApi.Value.Required");
                continue;
            }

            var layer = errors.Enum<Layer>(item.Layer, $"agenda[{i}].layer", required: false);
            agenda.Add(new AgendaEntry(item.Id, item.Title ?? "", item.DurationMinutes ?? 0, item.Presenter, item.AgencyId, layer, item.FlagId));
        }

        return agenda;
    }

    /// <summary>The agenda a reader may see: the carried-forward action items only for readers of the whole group.</summary>
    private static IReadOnlyList<AgendaItem> VisibleAgenda(SessionView view) =>
        view.Access.ReadsAll ? view.Session.Agenda : [.. view.Session.Agenda.Where(a => a.ActionItemId is null)];

    private static SessionBriefDto Brief(GroupSession s) => new(s.Id, s.Title, s.StartsAt, s.EndsAt, s.State, s.MinutesAreApproved);

    public static DecisionDto ToDto(LoggedDecision d, DateOnly today) => new(
        d.Number, d.Text, d.SessionId, d.Basis, d.Counts, d.AgencyIds, d.Layers, d.FlagIds, d.ReviewOn, d.TakenOn, d.IsDueForReview(today), d.By,
        d.RecordedAt, d.LastReviewNote, d.LastReviewedAt);

    public static ActionItemDto ToDto(ActionItem i, DateOnly today) => new(
        i.Id, i.GroupId, i.SessionId, i.Title, i.AgencyId, i.Owner, i.Layer, i.FlagId, i.Target?.IndicatorId, i.Target?.Level, i.DueDate, i.Status,
        i.IsOverdue(today), i.DaysOverdue(today), i.DropReason, i.DoneAt, i.Proposal, i.ProposedAt, i.RecordedBy, i.RecordedAt, i.History, i.Version);

    private static SessionDto ToDto(SessionView view, DateOnly today)
    {
        var s = view.Session;
        var all = view.Access.ReadsAll;
        var minutes = view.Access.MayReadMinutes(s) && s.Minutes is { } markdown
            ? new MinutesDto(markdown, s.MinutesAreApproved, s.MinutesDraftedBy, s.MinutesDraftedAt, s.MinutesApprovedBy, s.MinutesApprovedAt)
            : null;
        return new SessionDto(
            s.Id, s.GroupId, view.Group.Name, s.Title, s.StartsAt, s.EndsAt, s.Place, s.Link, s.State, s.CancelReason, s.StartedAt,
            VisibleAgenda(view),
            all ? s.Attendees : null,
            minutes,
            view.Access.MayReadMinutes(s) ? s.Amendments : [],
            [.. view.Decisions.Select(d => ToDto(d, today))],
            all ? [.. view.Items.Select(i => ToDto(i, today))] : null,
            all, view.Access.Manages, s.Version);
    }

    /// <summary>Input errors by field, worded in the request's language.</summary>
    private sealed class Errors(IStringLocalizer text)
    {
        private readonly Dictionary<string, List<string>> _messages = [];

        public bool Any => _messages.Count > 0;

        public Errors Add(string field, string key, params object[] args)
        {
            if (!_messages.TryGetValue(field, out var list))
            {
                _messages[field] = list = [];
            }

            list.Add(text[key, args].Value);
            return this;
        }

        public Errors RequireVersion(long? expectedVersion) => expectedVersion is null ? Add("expectedVersion", "WgApi.ExpectedVersion.Required") : this;

        /// <summary>A value the request must carry: a missing one is an error on its field.</summary>
        public Errors Require(object? value, string field) => value is null ? Add(field, "WgApi.Value.Required") : this;

        /// <summary>A list of enum names (<c>field[i]</c> names the one at fault); those that read, in order.</summary>
        public List<T> Enums<T>(IReadOnlyList<string>? values, string field)
            where T : struct, Enum
        {
            var read = new List<T>();
            for (var i = 0; i < (values?.Count ?? 0); i++)
            {
                if (Enum<T>(values![i], $"{field}[{i}]", required: true) is { } value)
                {
                    read.Add(value);
                }
            }

            return read;
        }

        public IResult Result() => Results.ValidationProblem(_messages.ToDictionary(m => m.Key, m => m.Value.ToArray()));

        /// <summary>An enum by its name, without case and with or without hyphens or underscores ("in-progress", "InProgress").</summary>
        public T? Enum<T>(string? value, string field, bool required)
            where T : struct, Enum
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required)
                {
                    Add(field, "WgApi.Value.OneOf", Allowed<T>());
                }

                return null;
            }

            var name = value.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
            if (name.Length > 0 && name.All(char.IsAsciiLetter) && System.Enum.TryParse<T>(name, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed))
            {
                return parsed;
            }

            Add(field, "WgApi.Value.Unknown", value.Length > 40 ? value[..40] + "…" : value, Allowed<T>());
            return null;
        }

        public Guid? Id(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (System.Guid.TryParse(value, out var id))
            {
                return id;
            }

            Add(field, "WgApi.Value.NotAnId");
            return null;
        }

        public bool Bool(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return false;
            }

            if (bool.TryParse(value.Trim(), out var parsed))
            {
                return parsed;
            }

            Add(field, "WgApi.Value.NotABoolean");
            return false;
        }

        public int Int(string? value, string field, int fallback, int min, int max)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return fallback;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
            {
                return parsed;
            }

            Add(field, "WgApi.Value.OutOfRange", min, max);
            return fallback;
        }

        private static string Allowed<T>()
            where T : struct, Enum =>
            string.Join(", ", System.Enum.GetNames<T>().Select(Slug));

        /// <summary>"InProgress" → "in-progress", the spelling the API documents.</summary>
        private static string Slug(string name) =>
            string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }

    /// <summary>
    /// Reads a JSON body with the API's options. A body that is not JSON, or a value of the wrong type, is a 400 naming
    /// the field the reader stopped at (<c>body</c> when none); a body that is not JSON at all is 415.
    /// </summary>
    public sealed class BodyReader(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> options, IStringLocalizer<SharedResource> text)
    {
        public async Task<(T? Request, IResult? Problem)> ReadAsync<T>(HttpContext http, CancellationToken ct, bool optional = false)
            where T : class
        {
            if (optional && (http.Request.ContentLength == 0 || (http.Request.ContentLength is null && http.Request.ContentType is null)))
            {
                return (Empty<T>(), null);
            }

            if (!http.Request.HasJsonContentType())
            {
                return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: text["WgApi.Json.ContentType"]));
            }

            try
            {
                var request = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options.Value.SerializerOptions, ct);
                return request is null ? (null, Invalid("body")) : (request, null);
            }
            catch (JsonException e)
            {
                return (null, Invalid(Field(e.Path)));
            }
        }

        private IResult Invalid(string field) =>
            Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [text["WgApi.Json.Invalid"].Value] });

        /// <summary>"$.agenda[0].durationMinutes" → "agenda[0].durationMinutes".</summary>
        private static string Field(string? path) =>
            path is null || path.Length <= 2 || !path.StartsWith("$.", StringComparison.Ordinal) ? "body" : path[2..];

        private static T Empty<T>()
            where T : class =>
            JsonSerializer.Deserialize<T>("{}")!;
    }

    /// <summary>
    /// Before a request's input errors are reported: a missing subject is 404 and a reader who may not act is 403, as the
    /// handler would answer, so a 400 never tells an outsider more than a refusal would.
    /// </summary>
    public sealed class AccessGate(IQuerySession query, GroupReaders readers, IStringLocalizer<SharedResource> text)
    {
        public async Task<IResult?> GroupAsync(HttpContext http, Guid groupId, CancellationToken ct)
        {
            var group = await query.LoadAsync<WorkingGroup>(groupId, ct);
            if (group is null)
            {
                return NotFound(text, "WorkingGroup.NotFound");
            }

            return GroupAccess.For(group, await readers.ForAsync(http.User, ct)).Manages ? null : Forbidden(text);
        }

        public async Task<IResult?> SessionAsync(HttpContext http, Guid sessionId, CancellationToken ct)
        {
            var session = await query.LoadAsync<GroupSession>(sessionId, ct);
            return session is null ? NotFound(text, "Session.NotFound") : await GroupAsync(http, session.GroupId, ct);
        }

        public async Task<IResult?> ActionItemAsync(HttpContext http, Guid itemId, CancellationToken ct)
        {
            var item = await query.LoadAsync<ActionItem>(itemId, ct);
            var group = item is null ? null : await query.LoadAsync<WorkingGroup>(item.GroupId, ct);
            if (item is null || group is null)
            {
                return NotFound(text, "ActionItem.NotFound");
            }

            var reader = await readers.ForAsync(http.User, ct);
            return GroupAccess.For(group, reader).MayUpdate(item, reader) ? null : Forbidden(text);
        }
    }
}
