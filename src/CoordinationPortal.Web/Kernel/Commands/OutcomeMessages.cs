using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Kernel.Commands;

/// <summary>A line a page shows after a command: what happened, and whether it is an error.</summary>
public sealed record OutcomeMessage(string Text, bool IsError);

/// <summary>How a command's outcome reads on a page, the same for every feature (the API's twin is <see cref="OutcomeResults"/>).</summary>
public static class OutcomeMessages
{
    /// <summary>
    /// <paramref name="success"/> when accepted; otherwise the localised refusal. Invalid lists every error's message;
    /// the keys word a conflict, a refusal and a missing subject (the defaults speak of scorecards).
    /// </summary>
    public static OutcomeMessage ToMessage(
        this CommandOutcome outcome,
        IStringLocalizer text,
        string success,
        string notFoundKey,
        string conflictKey = "Conflict.Detail",
        string forbiddenKey = "Forbidden.Title") => outcome switch
    {
        CommandOutcome.Accepted => new(success, false),
        CommandOutcome.Invalid i => new(ErrorsText(i.Errors, text), true),
        CommandOutcome.Conflict => new(text[conflictKey], true),
        CommandOutcome.Forbidden => new(text[forbiddenKey], true),
        _ => new(text[notFoundKey], true),
    };

    /// <summary>The messages of <paramref name="errors"/>, one after another.</summary>
    public static string ErrorsText(IEnumerable<DomainError> errors, IStringLocalizer text) =>
        string.Join(" ", errors.Select(e => text["Error." + e.Code].Value));
}
