using System.Globalization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Kernel.Commands;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.WorkingGroups.Pages;

/// <summary>How the working-group pages word their enums, read their query strings and answer a missing or forbidden thing.</summary>
public static class WgDisplay
{
    public static string StatusWord(this IStringLocalizer text, ActionStatus status) => text["Wg.Status." + status].Value;

    public static string RoleWord(this IStringLocalizer text, GroupRole role) => text["Wg.Role." + role].Value;

    public static string KindWord(this IStringLocalizer text, ForumKind kind) => text["Wg.Kind." + kind].Value;

    public static string BasisWord(this IStringLocalizer text, DecisionBasis basis) => text["Wg.Basis." + basis].Value;

    public static string StateWord(this IStringLocalizer text, SessionState state) => text["Wg.SessionState." + state].Value;

    /// <summary>An enum value as the query string and forms carry it: its name in lower case.</summary>
    public static string Slug<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>Reads a slug (or the name in any case); an unknown or numeric value is no value, never a failure.</summary>
    public static T? Parse<T>(string? value) where T : struct, Enum =>
        !string.IsNullOrWhiteSpace(value) && !char.IsAsciiDigit(value.Trim()[0]) && value.Trim()[0] != '-'
            && Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : null;

    public static string Day(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.CurrentCulture);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// An id chosen in a form's drop-down, or null for "none" (or anything else). Form models carry these as text: an
    /// empty choice then maps to nothing instead of failing the whole row it is in.
    /// </summary>
    public static Guid? Id(string? value) => Guid.TryParse(value, out var id) ? id : null;

    /// <summary>A date typed in an &lt;input type="date"&gt;, or null.</summary>
    public static DateOnly? ParseDay(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>How a page's command ended, in the working groups' words.</summary>
    public static OutcomeMessage Message(this CommandOutcome outcome, IStringLocalizer text, string success) =>
        outcome.ToMessage(text, success, "Wg.NotFound", "Wg.Conflict", "Wg.Forbidden");

    /// <summary>Sets the status of a statically rendered page (404 for what does not exist, 403 for what the reader may not see).</summary>
    public static void Answer(this HttpContext? context, int status)
    {
        if (context is { Response.HasStarted: false } http)
        {
            http.Response.StatusCode = status;
        }
    }
}
