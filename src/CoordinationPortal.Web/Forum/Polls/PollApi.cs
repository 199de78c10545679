using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.WorkingGroups;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Forum.Polls;

// Requests: every field optional in the type, so a missing one is a 400 naming it rather than a failure to bind. Kind and
// basis come as strings ("single-choice", "yes-no-abstain", "consent", "flag-real"; "person", "agency"), read here.

public sealed record PollRequest(string? Question, string? Kind, IReadOnlyList<string>? Options, string? Basis, Guid? FlagId);

public sealed record VoteRequest(string? Choice, Guid? AgencyId);

public sealed record PollDecisionRequest(string? Text, string? TextHi, DateOnly? ReviewOn);

// Responses.

public sealed record PollCreatedDto(Guid Id, string ShortCode, string JoinUrl, long Version);

public sealed record PollChangedDto(Guid Id, long Version);

public sealed record PollDecisionDto(Guid PollId, Guid GroupId, int Number, long Version);

public sealed record PollOptionDto(string Key, string Label);

public sealed record PollCountDto(string Key, string Label, int Count, int Percent);

public sealed record PollVoteDto(Guid? AgencyId, string Choice, string By, DateTimeOffset At);

/// <summary>
/// A poll as its reader may see it. <see cref="Results"/> is null until the results are revealed; <see cref="VotesCast"/>
/// (how many votes count so far, without the split) is always there. <see cref="MyVotes"/>: the reader's own vote, or
/// their agencies' votes on agency basis; <see cref="VoterAgencies"/>: the agencies they may vote for.
/// </summary>
public sealed record PollDto(
    Guid Id, Guid SessionId, Guid GroupId, string Question, PollKind Kind, VoteBasis Basis, IReadOnlyList<PollOptionDto> Options, Guid? FlagId,
    string ShortCode, string JoinUrl, bool Open, bool Revealed, int? DecisionNumber, int VotesCast, IReadOnlyList<PollCountDto>? Results,
    bool MayVote, IReadOnlyList<Guid> VoterAgencies, IReadOnlyList<PollVoteDto> MyVotes, bool Manages, string OpenedBy, DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt, long Version);

/// <summary>
/// The polls API. Writes go through <see cref="PollHandler"/>, reads through <see cref="PollQueries"/>: the group's
/// readers see its polls (results only once revealed), its chair and secretary and admins open, close, reveal and record
/// them, and its eligible people vote. 404 for what does not exist, 403 for a poll the reader may not see or act on
/// (answered before any input error), 400 naming the field (with a <c>codes</c> extension: field → domain codes).
/// </summary>
public static class PollApi
{
    public static IEndpointRouteBuilder MapPollApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.View).WithTags("Polls");

        api.MapPost("/sessions/{id:guid}/polls", async (Guid id, HttpContext http, PollHandler handler, PollQueries queries, GroupReaders readers,
            WorkingGroupApi.BodyReader json, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<PollRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new Dictionary<string, string[]>();
            var kind = ReadEnum<PollKind>(request.Kind, "kind", required: true, errors, text);
            var basis = ReadEnum<VoteBasis>(request.Basis, "basis", required: false, errors, text) ?? VoteBasis.Person;
            if (errors.Count > 0)
            {
                var sessions = await queries.ForSessionAsync(id, await readers.ForAsync(http.User, ct), ct);
                return sessions is null ? OutcomeResults.NotFound(text, "Error.Poll.SessionNotFound")
                    : !sessions.Access.Manages ? Forbidden(text)
                    : Results.ValidationProblem(errors);
            }

            var pollId = Guid.NewGuid();
            var outcome = await handler.OpenAsync(http.User, id, pollId, request.Question, kind!.Value, request.Options, basis, request.FlagId, ct);
            if (outcome is not CommandOutcome.Accepted accepted)
            {
                return ToResult(outcome, text, "Poll.SessionNotFound", _ => Results.Ok());
            }

            var code = (await queries.ViewAsync(pollId, await readers.ForAsync(http.User, ct), ct))?.Poll.ShortCode ?? "";
            return Results.Created($"/api/v1/polls/{pollId}", new PollCreatedDto(pollId, code, PollQr.JoinUrl(PollQr.Origin(http.Request), code), accepted.Version));
        }).DisableAntiforgery()
            .ReadsJson<PollRequest>()
            .WithSummary("Opens a poll in a session.")
            .WithDescription("The group's managers. `kind` is `single-choice` (with `options`), `yes-no-abstain`, `consent` or `flag-real` (with `flagId`); `basis` is `person` (default) or `agency`. Answers its `id`, `shortCode` and `joinUrl`.")
            .Produces<PollCreatedDto>(StatusCodes.Status201Created);

        api.MapGet("/sessions/{id:guid}/polls", async (Guid id, HttpContext http, PollQueries queries, GroupReaders readers,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var sessions = await queries.ForSessionAsync(id, await readers.ForAsync(http.User, ct), ct);
            return sessions is null ? OutcomeResults.NotFound(text, "Error.Poll.SessionNotFound")
                : !sessions.Access.ReadsAll ? Forbidden(text)
                : Results.Ok(sessions.Polls.Select(p => ToDto(p, http.Request)).ToList());
        })
            .WithSummary("Lists a session's polls.")
            .WithDescription("The group's readers.")
            .Produces<List<PollDto>>(StatusCodes.Status200OK);

        api.MapGet("/polls/{id:guid}", async (Guid id, HttpContext http, PollQueries queries, GroupReaders readers,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var view = await queries.ViewAsync(id, await readers.ForAsync(http.User, ct), ct);
            return view is null ? OutcomeResults.NotFound(text, "Error.Poll.NotFound")
                : !view.Access.ReadsAll ? Forbidden(text)
                : Results.Ok(ToDto(view, http.Request));
        })
            .WithSummary("Reads a poll with the number of votes cast.")
            .WithDescription("The group's readers. The counts only once the poll is revealed.")
            .Produces<PollDto>(StatusCodes.Status200OK);

        api.MapPost("/polls/{id:guid}/votes", async (Guid id, HttpContext http, PollHandler handler, WorkingGroupApi.BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<VoteRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var outcome = await handler.VoteAsync(http.User, id, request.Choice, request.AgencyId, ct);
            return ToResult(outcome, text, "Poll.NotFound", a => Results.Ok(new PollChangedDto(id, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<VoteRequest>()
            .WithSummary("Votes in an open poll, or changes one's vote while it is open.")
            .WithDescription("Group members and leads of member agencies, not observers. With `basis: agency` the vote is the agency's (`agencyId`).")
            .Produces<PollChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/polls/{id:guid}/close", async (Guid id, HttpContext http, PollHandler handler, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            ToResult(await handler.CloseAsync(http.User, id, ct), text, "Poll.NotFound", a => Results.Ok(new PollChangedDto(id, a.Version))))
            .DisableAntiforgery()
            .WithSummary("Closes a poll to votes.")
            .WithDescription("The group's managers.")
            .Produces<PollChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/polls/{id:guid}/reveal", async (Guid id, HttpContext http, PollHandler handler, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
            ToResult(await handler.RevealAsync(http.User, id, ct), text, "Poll.NotFound", a => Results.Ok(new PollChangedDto(id, a.Version))))
            .DisableAntiforgery()
            .WithSummary("Reveals a closed poll's counts.")
            .WithDescription("The group's managers, after closing.")
            .Produces<PollChangedDto>(StatusCodes.Status200OK);

        api.MapPost("/polls/{id:guid}/decision", async (Guid id, HttpContext http, PollHandler handler, WorkingGroupApi.BodyReader json,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (request, bad) = await json.ReadAsync<PollDecisionRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var recorded = await handler.RecordAsDecisionAsync(http.User, id, request.Text, request.TextHi, request.ReviewOn, ct);
            return ToResult(recorded.Outcome, text, "Poll.NotFound", a => Results.Created(
                $"/api/v1/working-groups/{recorded.GroupId}/decisions", new PollDecisionDto(id, recorded.GroupId, recorded.DecisionNumber ?? 0, a.Version)));
        }).DisableAntiforgery()
            .ReadsJson<PollDecisionRequest>()
            .WithSummary("Records a revealed poll as a decision of the group, with its counts.")
            .WithDescription("The group's managers. `text`, optional `textHi` and `reviewOn`. Answers the decision's `number`.")
            .Produces<PollDecisionDto>(StatusCodes.Status201Created);

        return app;
    }

    /// <summary>The API's answer for a poll as its reader sees it.</summary>
    public static PollDto ToDto(PollView view, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(view);
        var p = view.Poll;
        return new PollDto(
            p.Id, p.SessionId, p.GroupId, p.Question, p.Kind, p.Basis, [.. p.Options.Select(o => new PollOptionDto(o.Key, o.Label))], p.FlagId,
            p.ShortCode, PollQr.JoinUrl(PollQr.Origin(request), p.ShortCode), p.IsOpen, p.Revealed, p.DecisionNumber, view.VotesCast,
            view.Tally is { } tally ? [.. tally.Counts.Select(c => new PollCountDto(c.Key, c.Label, c.Count, c.Percent(tally.Total)))] : null,
            view.Voter.Eligible, view.Voter.Agencies, [.. view.MyVotes.Select(v => new PollVoteDto(v.AgencyId, v.Choice, v.By, v.At))],
            view.Manages, p.OpenedBy, p.OpenedAt, p.ClosedAt, p.Version);
    }

    private static IResult ToResult(CommandOutcome outcome, IStringLocalizer text, string notFoundCode, Func<CommandOutcome.Accepted, IResult> accepted)
    {
        if (outcome is CommandOutcome.Invalid invalid)
        {
            var byField = invalid.Errors.GroupBy(e => Field(e.Field)).ToList();
            return Results.ValidationProblem(
                byField.ToDictionary(g => g.Key, g => g.Select(e => text["Error." + e.Code].Value).ToArray()),
                extensions: new Dictionary<string, object?> { ["codes"] = byField.ToDictionary(g => g.Key, g => g.Select(e => e.Code).ToArray()) });
        }

        return outcome.ToHttpResult(text, "Error." + notFoundCode, accepted, conflictKey: "Poll.Conflict", forbiddenKey: "Poll.Forbidden");
    }

    /// <summary>The request's name of a field a decider names: the decision text is <c>text</c> and <c>textHi</c> here.</summary>
    private static string Field(string? field) => field switch
    {
        null => "request",
        "text.en" => "text",
        "text.hi" => "textHi",
        _ => field,
    };

    private static IResult Forbidden(IStringLocalizer text) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["Poll.Forbidden"]);

    /// <summary>An enum by name, without case and with or without hyphens ("yes-no-abstain"); an unknown one is an error on its field.</summary>
    private static T? ReadEnum<T>(string? value, string field, bool required, Dictionary<string, string[]> errors, IStringLocalizer text)
        where T : struct, Enum
    {
        var allowed = string.Join(", ", Enum.GetNames<T>().Select(Slug));
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors[field] = [text["Poll.Api.OneOf", allowed].Value];
            }

            return null;
        }

        var name = value.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (name.Length > 0 && name.All(char.IsAsciiLetter) && Enum.TryParse<T>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
        {
            return parsed;
        }

        errors[field] = [text["Poll.Api.OneOf", allowed].Value];
        return null;
    }

    /// <summary>"YesNoAbstain" → "yes-no-abstain".</summary>
    public static string Slug(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
