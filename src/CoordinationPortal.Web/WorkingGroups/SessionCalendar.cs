using System.Globalization;
using System.Text;
using CoordinationPortal.Domain.WorkingGroups;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>
/// One session as an iCalendar (RFC 5545) event. The UID is the session's own, so a second download updates the same
/// entry in a calendar app; SEQUENCE follows the session's stream version, so the app takes the newer copy; a
/// cancelled session is STATUS:CANCELLED. Times are written in UTC.
/// </summary>
public static class SessionCalendar
{
    public const string ContentType = "text/calendar; charset=utf-8";
    public const string ProductId = "-//CoordinationPortal//Working groups//EN";

    /// <summary>The same for every download of the session, whatever changed in it.</summary>
    public static string Uid(Guid sessionId) => $"session-{sessionId:D}@coordination-portal";

    /// <param name="agenda">The agenda as this reader may see it.</param>
    /// <param name="page">The session's page in the portal: the URL when the session has no link of its own.</param>
    public static string Write(GroupSession session, WorkingGroup group, IReadOnlyList<AgendaItem> agenda, Uri page, IStringLocalizer text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(text);
        var language = CultureInfo.CurrentUICulture.Name;
        var calendarEvent = new CalendarEvent
        {
            Uid = Uid(session.Id),
            Sequence = (int)Math.Clamp(session.Version - 1, 0, int.MaxValue),
            DtStamp = Utc(now),
            Start = Utc(session.StartsAt),
            End = Utc(session.EndsAt),
            Summary = session.Title,
            Location = session.Place,
            Url = Uri.TryCreate(session.Link, UriKind.Absolute, out var link) ? link : page,
            Description = Description(session, group.Name.For(language), agenda, page, text),
            Status = session.State == SessionState.Cancelled ? Ical.Net.EventStatus.Cancelled : Ical.Net.EventStatus.Confirmed,
        };
        var calendar = new Ical.Net.Calendar { ProductId = ProductId, Method = "PUBLISH" };
        calendar.Events.Add(calendarEvent);
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>A file name that is safe everywhere: the date and the title's letters and digits (ASCII), nothing else.</summary>
    public static string FileName(GroupSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var slug = new StringBuilder();
        foreach (var c in session.Title.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= 60)
            {
                break;
            }
        }

        var name = slug.ToString().Trim('-');
        var date = session.StartsAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return name.Length == 0 ? $"session-{date}.ics" : $"session-{date}-{name}.ics";
    }

    private static CalDateTime Utc(DateTimeOffset instant) => new(DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Utc), CalDateTime.UtcTzId);

    private static string Description(GroupSession session, string groupName, IReadOnlyList<AgendaItem> agenda, Uri page, IStringLocalizer text)
    {
        var lines = new StringBuilder();
        lines.AppendLine(groupName);
        if (session.State == SessionState.Cancelled)
        {
            lines.AppendLine(text["WgApi.Calendar.Cancelled", session.CancelReason ?? ""]);
        }

        if (agenda.Count > 0)
        {
            lines.AppendLine();
            lines.AppendLine(text["WgApi.Calendar.Agenda"]);
            for (var i = 0; i < agenda.Count; i++)
            {
                var item = agenda[i];
                var line = string.IsNullOrWhiteSpace(item.Presenter)
                    ? text["WgApi.Calendar.Item", i + 1, item.Title, item.DurationMinutes]
                    : text["WgApi.Calendar.ItemPresenter", i + 1, item.Title, item.DurationMinutes, item.Presenter];
                lines.AppendLine(line);
            }
        }

        lines.AppendLine();
        lines.Append(text["WgApi.Calendar.Page", page.ToString()]);
        return lines.ToString();
    }
}
