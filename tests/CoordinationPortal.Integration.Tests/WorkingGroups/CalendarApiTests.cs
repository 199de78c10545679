using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;
using Ical.Net.CalendarComponents;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>A session's iCalendar download, parsed back with Ical.Net as a calendar app would read it.</summary>
[Collection(PortalTests.Name)]
public sealed class CalendarApiTests(PortalFixture portal)
{
    private static DateTime ToSecond(DateTimeOffset instant) =>
        new(instant.UtcDateTime.Ticks - (instant.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static async Task<(CalendarEvent Event, string Text)> DownloadAsync(HttpClient client, Guid session)
    {
        using var response = await client.GetAsync($"/api/v1/sessions/{session}/calendar.ics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var calendar = Ical.Net.Calendar.Load(text);
        Assert.NotNull(calendar);
        return (Assert.Single(calendar.Events), text);
    }

    [Fact]
    public async Task a_session_downloads_as_an_icalendar_event_in_utc()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(9).AddHours(4).AddMinutes(30), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(5.5));
        var created = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/sessions", new
        {
            title = "Compute plans: Q3 review, part 2",
            startsAt = start,
            endsAt = start.AddMinutes(90),
            place = "Committee room 2; Nirman Bhawan",
            agenda = new object[]
            {
                new { title = "GPU capacity across ministries", durationMinutes = 30, presenter = "Dr. Rao" },
                new { title = "Data sharing MoU", durationMinutes = 20 },
            },
        }), HttpStatusCode.Created);
        var session = created.GetProperty("id").GetGuid();

        var (e, text) = await DownloadAsync(cast.Member, session);
        Assert.Equal(ToSecond(start), e.Start!.AsUtc);
        Assert.Equal(ToSecond(start.AddMinutes(90)), e.End!.AsUtc);
        Assert.Contains($"DTSTART:{start.UtcDateTime:yyyyMMdd'T'HHmmss}Z", text, StringComparison.Ordinal);
        Assert.Equal("Compute plans: Q3 review, part 2", e.Summary);
        Assert.Equal("Committee room 2; Nirman Bhawan", e.Location);
        Assert.Equal($"session-{session:D}@coordination-portal", e.Uid);
        Assert.Equal($"http://localhost/sessions/{session}", e.Url?.ToString());
        Assert.Contains("GPU capacity across ministries (30 min, Dr. Rao)", e.Description, StringComparison.Ordinal);
        Assert.Contains("Data sharing MoU (20 min)", e.Description, StringComparison.Ordinal);
        Assert.Contains("Compute coordination group", e.Description, StringComparison.Ordinal);
        Assert.Equal("CONFIRMED", e.Status);
        Assert.Equal(0, e.Sequence);

        using var response = await cast.Viewer.GetAsync($"/api/v1/sessions/{session}/calendar.ics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"session-{start.UtcDateTime:yyyy-MM-dd}-compute-plans-q3-review-part-2.ics", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task the_uid_stays_and_the_sequence_rises_when_the_session_changes()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var (session, version) = await cast.FutureSessionAsync(group, "Monthly review");

        var (first, _) = await DownloadAsync(cast.Chair, session);
        var (again, _) = await DownloadAsync(cast.Observer, session);
        Assert.Equal(first.Uid, again.Uid);
        Assert.Equal(first.Sequence, again.Sequence);
        Assert.Equal("https://meet.example.gov.in/wg/review", first.Url?.ToString());

        await ExpectAsync(cast.Secretary.PutAsJsonAsync($"/api/v1/sessions/{session}/agenda", new
        {
            agenda = new[] { new { title = "Skills gaps in the states", durationMinutes = 25 } }, expectedVersion = version,
        }), HttpStatusCode.OK);
        var (changed, _) = await DownloadAsync(cast.Chair, session);
        Assert.Equal(first.Uid, changed.Uid);
        Assert.True(changed.Sequence > first.Sequence, $"{changed.Sequence} after {first.Sequence}");
        Assert.Contains("Skills gaps in the states (25 min)", changed.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_cancelled_session_is_a_cancelled_event_with_a_higher_sequence()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var (session, _) = await cast.FutureSessionAsync(group, "Extraordinary meeting");
        var (before, _) = await DownloadAsync(cast.Chair, session);

        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/cancel", new { reason = "Postponed to the forum week." }), HttpStatusCode.OK);
        var (after, text) = await DownloadAsync(cast.Viewer, session);
        Assert.Equal("CANCELLED", after.Status);
        Assert.Contains("STATUS:CANCELLED", text, StringComparison.Ordinal);
        Assert.Equal(before.Uid, after.Uid);
        Assert.True(after.Sequence > before.Sequence);
        Assert.Contains("Postponed to the forum week.", after.Description, StringComparison.Ordinal);

        var read = await cast.Viewer.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{session}");
        Assert.Equal("Cancelled", read.GetProperty("state").GetString());
    }

    [Fact]
    public async Task the_calendar_speaks_the_readers_language()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var (session, _) = await cast.FutureSessionAsync(group, "Review", new[] { new { title = "Plans", durationMinutes = 15 } });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sessions/{session}/calendar.ics");
        request.Headers.AcceptLanguage.ParseAdd("hi-IN");
        using var response = await cast.Chair.SendAsync(request);
        var e = Assert.Single(Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync())!.Events);
        Assert.Contains("कार्यसूची:", e.Description, StringComparison.Ordinal);
        Assert.Contains("Plans (15 मिनट)", e.Description, StringComparison.Ordinal);
        Assert.Contains("कंप्यूट समन्वय समूह", e.Description, StringComparison.Ordinal);
    }
}
