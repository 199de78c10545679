using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Kernel.Commands;

/// <summary>How a command's outcome answers on the API, the same for every feature.</summary>
public static class OutcomeResults
{
    /// <summary>
    /// The HTTP answer to a command's outcome. <paramref name="conflictKey"/> and <paramref name="forbiddenKey"/> word
    /// the 409's detail and the 403's title; the defaults speak of scorecards.
    /// </summary>
    public static IResult ToHttpResult(
        this CommandOutcome outcome,
        IStringLocalizer text,
        string notFoundKey,
        Func<CommandOutcome.Accepted, IResult> accepted,
        string conflictKey = "Conflict.Detail",
        string forbiddenKey = "Forbidden.Title") => outcome switch
    {
        CommandOutcome.Accepted a => accepted(a),
        CommandOutcome.Invalid invalid => ValidationProblem(invalid.Errors, e => text["Error." + e.Code]),
        CommandOutcome.Conflict c => Results.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: text["Conflict.Title"],
            detail: text[conflictKey],
            extensions: new Dictionary<string, object?> { ["currentVersion"] = c.CurrentVersion }),
        CommandOutcome.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text[forbiddenKey]),
        _ => NotFound(text, notFoundKey),
    };

    /// <summary>
    /// A 400 listing the errors' messages under their fields' camel-cased names (<c>request</c> for an error of no field).
    /// <paramref name="describe"/> words an error; <see cref="ToHttpResult"/> looks up <c>Error.</c> and its code.
    /// </summary>
    public static IResult ValidationProblem(IEnumerable<DomainError> errors, Func<DomainError, string> describe) =>
        Results.ValidationProblem(errors
            .GroupBy(e => Camel(e.Field ?? "request"))
            .ToDictionary(g => g.Key, g => g.Select(describe).ToArray()));

    /// <summary>A 404 titled with the string <paramref name="key"/>.</summary>
    public static IResult NotFound(IStringLocalizer text, string key) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text[key]);

    private static string Camel(string field) => field.Length == 0 ? field : char.ToLowerInvariant(field[0]) + field[1..];
}
