using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Localization;
using CoordinationPortal.Web.WorkingGroups;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Forum.Operator;

/// <summary>Starts a rotation: its panels in order, and the seconds each shows.</summary>
public sealed record ScreenRotationRequest(IReadOnlyList<string>? Panels, int? Seconds);

/// <summary>Starts a countdown of an agenda item of the session; minutes default to the item's duration.</summary>
public sealed record ScreenCountdownRequest(Guid? AgendaItemId, int? Minutes);

/// <summary>
/// The fields of the screen to change; those left out stay as they are. All of it is one change: if any part is refused,
/// none is made. <c>rotation</c> starts a rotation, <c>rotating: true</c> restarts the current one and <c>false</c> stops
/// it; <c>paused</c> pauses or resumes it; <c>shown</c> shows a panel (pausing a rotation); <c>hidePoll</c> and
/// <c>pollId</c> take a poll off or put one on; then <c>language</c>, <c>stopCountdown</c>, <c>countdown</c> and
/// <c>extendCountdownMinutes</c>, in that order.
/// </summary>
public sealed record ScreenChangeRequest(
    ScreenRotationRequest? Rotation,
    bool? Rotating,
    bool? Paused,
    string? Shown,
    bool? HidePoll,
    Guid? PollId,
    string? Language,
    bool? StopCountdown,
    ScreenCountdownRequest? Countdown,
    int? ExtendCountdownMinutes);

/// <summary>The screen of a session as stored, and the panel on it now.</summary>
public sealed record ScreenStateDto(
    Guid SessionId,
    ScreenPanel PanelNow,
    ScreenPanel Shown,
    bool Rotating,
    bool Paused,
    int RotationSeconds,
    IReadOnlyList<ScreenPanel> RotationPanels,
    DateTimeOffset RotationSince,
    ScreenLanguage Language,
    Countdown? Countdown,
    Guid? PollId,
    string ChangedBy,
    DateTimeOffset ChangedAt);

/// <summary>
/// <c>GET /api/v1/sessions/{id}/screen</c> (the group's readers) and <c>PUT</c> (its chair and secretary, and admins):
/// the room screen's state. Access is answered before the body is read, so a 400 never tells an outsider more than a
/// refusal would.
/// </summary>
public static class ScreenStateApi
{
    public static IEndpointRouteBuilder MapScreenStateApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.View).WithTags("Forum");

        api.MapGet("/sessions/{id:guid}/screen", async (Guid id, HttpContext http, ScreenStateHandler handler, PortalClock clock,
            IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var (outcome, screen) = await handler.ReadAsync(http.User, id, ct);
            return Answer(outcome, screen, clock, text);
        })
            .WithSummary("Reads what the session's room screen shows.")
            .WithDescription("The group's readers.")
            .Produces<ScreenStateDto>(StatusCodes.Status200OK);

        api.MapPut("/sessions/{id:guid}/screen", async (Guid id, HttpContext http, ScreenStateHandler handler, WorkingGroupApi.BodyReader json,
            PortalClock clock, IStringLocalizer<SharedResource> text, CancellationToken ct) =>
        {
            var view = await handler.ViewAsync(http.User, id, ct);
            if (view is null || !view.Access.Manages)
            {
                return Answer(view is null ? new CommandOutcome.NotFound() : new CommandOutcome.Forbidden(), null, clock, text);
            }

            var (request, bad) = await json.ReadAsync<ScreenChangeRequest>(http, ct);
            if (request is null)
            {
                return bad!;
            }

            var errors = new List<(string Field, string Code)>();
            var build = Commands(request, errors);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => text[e.Code].Value).ToArray()));
            }

            var result = await handler.ActAsync(http.User, id, build, ct);
            return Answer(result.Outcome, result.Screen, clock, text);
        }).DisableAntiforgery()
            .ReadsJson<ScreenChangeRequest>()
            .WithSummary("Changes what the session's room screen shows.")
            .WithDescription("The group's chair and secretary, and admins. Fields left out stay as they are; the change is made whole or not at all.")
            .Produces<ScreenStateDto>(StatusCodes.Status200OK);

        return app;
    }

    /// <summary>The commands a request asks for, in the documented order; what cannot be read is added to <paramref name="errors"/>.</summary>
    private static Func<ScreenState, IReadOnlyList<ScreenCommand>> Commands(ScreenChangeRequest request, List<(string Field, string Code)> errors)
    {
        List<ScreenPanel>? rotationPanels = null;
        if (request.Rotation is { } rotation)
        {
            rotationPanels = [];
            foreach (var name in rotation.Panels ?? [])
            {
                if (Parse<ScreenPanel>(name) is { } panel)
                {
                    rotationPanels.Add(panel);
                }
                else
                {
                    errors.Add(("rotation.panels", "Operator.Api.UnknownPanel"));
                }
            }

            if (rotation.Seconds is null)
            {
                errors.Add(("rotation.seconds", "Operator.Api.Required"));
            }
        }

        var shown = Parse<ScreenPanel>(request.Shown);
        if (request.Shown is not null && shown is null)
        {
            errors.Add(("shown", "Operator.Api.UnknownPanel"));
        }

        var language = Parse<ScreenLanguage>(request.Language);
        if (request.Language is not null && language is null)
        {
            errors.Add(("language", "Operator.Api.UnknownLanguage"));
        }

        if (request.Countdown is { AgendaItemId: null })
        {
            errors.Add(("countdown.agendaItemId", "Operator.Api.Required"));
        }

        return state =>
        {
            var list = new List<ScreenCommand>();
            if (rotationPanels is not null)
            {
                list.Add(new StartRotation(rotationPanels, request.Rotation!.Seconds ?? 0, "", default));
            }
            else if (request.Rotating == true)
            {
                list.Add(new StartRotation(state.RotationPanels, state.RotationSeconds, "", default));
            }
            else if (request.Rotating == false)
            {
                list.Add(new StopRotation("", default));
            }

            if (request.Paused is { } paused)
            {
                list.Add(paused ? new PauseRotation("", default) : new ResumeRotation("", default));
            }

            if (shown is { } panel)
            {
                list.Add(new ShowPanel(panel, "", default));
            }

            if (request.HidePoll == true)
            {
                list.Add(new HidePoll("", default));
            }

            if (request.PollId is { } poll)
            {
                list.Add(new ShowPoll(poll, "", default));
            }

            if (language is { } l)
            {
                list.Add(new SetLanguage(l, "", default));
            }

            if (request.StopCountdown == true)
            {
                list.Add(new StopCountdown("", default));
            }

            if (request.Countdown is { AgendaItemId: { } item } countdown)
            {
                list.Add(new StartCountdown(item, countdown.Minutes, "", default));
            }

            if (request.ExtendCountdownMinutes is { } more)
            {
                list.Add(new ExtendCountdown(more, "", default));
            }

            return list;
        };
    }

    /// <summary>A panel or language by name, in any case, hyphens allowed ("action-items"); never a number.</summary>
    private static T? Parse<T>(string? value)
        where T : struct, Enum
    {
        var name = value?.Replace("-", "", StringComparison.Ordinal).Trim();
        return !string.IsNullOrEmpty(name) && char.IsAsciiLetter(name[0]) && Enum.TryParse<T>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : null;
    }

    private static IResult Answer(CommandOutcome outcome, ScreenState? screen, PortalClock clock, IStringLocalizer text) =>
        outcome.ToHttpResult(text, "Operator.SessionNotFound", _ => Results.Ok(ToDto(screen!, clock.Now)), "Operator.Conflict", "Operator.Forbidden");

    public static ScreenStateDto ToDto(ScreenState s, DateTimeOffset now) => new(
        s.Id, s.PanelAt(now), s.Shown, s.Rotating, s.Paused, s.RotationSeconds, s.RotationPanels, s.RotationSince, s.Language, s.Countdown, s.PollId,
        s.ChangedBy, s.ChangedAt);
}
