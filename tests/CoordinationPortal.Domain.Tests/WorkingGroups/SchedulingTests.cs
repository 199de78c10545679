using System.Text.Json;
using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>Scheduling a session: its times, place or link, agenda, and the open action items carried onto it.</summary>
public sealed class SchedulingTests
{
    private static readonly Guid ItemA = new("11111111-2222-4333-8444-555555555555");
    private static readonly Guid ItemB = new("66666666-7777-4888-9999-aaaaaaaaaaaa");

    private static readonly OpenActionItem OpenA = new(ItemA, "Publish the GPU booking policy", Meity, Layer.Compute);
    private static readonly OpenActionItem OpenB = new(ItemB, "Share the data catalogue", Niti, Layer.Data);

    private static AgendaEntry Entry(string title = "Capacity report", int minutes = 20, string? presenter = null) =>
        new(null, title, minutes, presenter, null, null, null);

    private static ScheduleSession Schedule(
        IReadOnlyList<AgendaEntry>? agenda = null, IReadOnlyList<OpenActionItem>? open = null, string title = "Quarterly compute review",
        DateTimeOffset? starts = null, DateTimeOffset? ends = null, string? place = "Room 4, MeitY", string? link = null) =>
        new(SessionId, GroupId, title, starts ?? Starts, ends ?? Ends, place, link, agenda ?? [], open ?? [], Chair, Now);

    private static SessionScheduled ScheduledNow(IReadOnlyList<AgendaItem>? agenda = null, string? link = null) =>
        new(SessionId, GroupId, "Quarterly compute review", Starts, Ends, "Room 4, MeitY", link, agenda ?? [], Chair, Now);

    [Fact]
    public void a_session_is_scheduled_with_its_texts_trimmed_and_its_agenda_given_ids() =>
        Sessions.Given()
            .When(Schedule(
                [
                    new AgendaEntry(null, "  Capacity report ", 20, " Asha Rao ", Meity, Layer.Compute, null),
                    new AgendaEntry(null, "Data sharing", 30, "  ", null, Layer.Data, FlagId),
                ],
                title: " Quarterly compute review\n", place: "  Room 4, MeitY ", link: " https://meet.gov.in/r/42?pin=7 "))
            .Then(ScheduledNow(
                [
                    new AgendaItem(AgendaId(0, 0), "Capacity report", 20, "Asha Rao", Meity, Layer.Compute),
                    new AgendaItem(AgendaId(0, 1), "Data sharing", 30, null, null, Layer.Data, FlagId),
                ],
                "https://meet.gov.in/r/42?pin=7"));

    [Fact]
    public void the_scheduled_session_is_planned()
    {
        var session = GroupSession.Fold([Scheduled()])!;

        Assert.Equal(SessionState.Planned, session.State);
        Assert.Equal(GroupId, session.GroupId);
        Assert.Equal(Chair, session.ScheduledBy);
        Assert.False(session.MinutesAreApproved);
    }

    [Fact]
    public void a_blank_place_is_no_place() =>
        Sessions.Given()
            .When(Schedule(place: "   "))
            .Then(ScheduledNow() with { Place = null });

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void a_session_needs_a_title(string title) =>
        Sessions.Given().When(Schedule(title: title)).ThenRefused(new DomainError("WorkingGroup.TextRequired", "title"));

    [Fact]
    public void a_title_has_a_length_limit() =>
        Sessions.Given().When(Schedule(title: Text(301))).ThenRefused(new DomainError("WorkingGroup.TextTooLong", "title"));

    [Fact]
    public void a_place_has_a_length_limit() =>
        Sessions.Given().When(Schedule(place: Text(GroupSessionDecider.MaxPlaceLength + 1))).ThenRefused(new DomainError("WorkingGroup.TextTooLong", "place"));

    [Theory]
    [InlineData(-60)]
    [InlineData(0)]
    public void a_session_must_end_after_it_starts(int minutes) =>
        Sessions.Given()
            .When(Schedule(ends: Starts.AddMinutes(minutes)))
            .ThenRefused(new DomainError("Session.EndsBeforeStart", "endsAt"));

    [Fact]
    public void a_session_may_last_a_minute() =>
        Assert.True(Sessions.Given().When(Schedule(ends: Starts.AddMinutes(1))).Decision.IsAccepted);

    [Fact]
    public void a_session_may_last_seven_days_and_no_longer()
    {
        Assert.True(Sessions.Given().When(Schedule(ends: Starts.AddDays(7))).Decision.IsAccepted);
        Sessions.Given().When(Schedule(ends: Starts.AddDays(7).AddMinutes(1))).ThenRefused(new DomainError("Session.TooLong", "endsAt"));
    }

    [Theory]
    [InlineData(1999)]
    [InlineData(2101)]
    [InlineData(1)]
    public void a_session_in_an_implausible_year_is_refused(int year)
    {
        var starts = new DateTimeOffset(year, 3, 20, 10, 0, 0, Ist);

        Sessions.Given()
            .When(Schedule(starts: starts, ends: starts.AddHours(3)))
            .ThenRefused(new DomainError("Session.StartImplausible", "startsAt"));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(document.cookie)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("ftp://files.meity.gov.in/agenda.pdf")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/meetings/42")]
    [InlineData("meet.gov.in/r/42")]
    [InlineData("https://user:secret@meet.gov.in/r/42")]
    [InlineData("https://meet.gov.in/r/42#pin")]
    public void a_link_must_be_an_absolute_web_address(string link) =>
        Sessions.Given().When(Schedule(link: link)).ThenRefused(new DomainError("Session.LinkInvalid", "link"));

    [Theory]
    [InlineData("https://meet.gov.in/r/42")]
    [InlineData("http://vc.nic.in/join?room=42&pin=7")]
    public void a_web_link_is_accepted(string link) =>
        Sessions.Given().When(Schedule(link: link)).Then(ScheduledNow(link: link));

    [Fact]
    public void a_blank_link_is_no_link() =>
        Sessions.Given().When(Schedule(link: "  ")).Then(ScheduledNow());

    [Fact]
    public void every_agenda_item_is_checked_and_named_by_its_place() =>
        Sessions.Given()
            .When(Schedule(
            [
                Entry(),
                Entry(title: " ", minutes: 0),
                Entry(minutes: GroupSessionDecider.MaxDurationMinutes + 1, presenter: Text(WorkingGroupDecider.MaxNameLength + 1)),
                new AgendaEntry(null, "Layers", 10, null, null, (Layer)11, null),
            ]))
            .ThenRefused(
                new DomainError("WorkingGroup.TextRequired", "agenda[1].title"),
                new DomainError("Session.DurationOutOfRange", "agenda[1].durationMinutes"),
                new DomainError("Session.DurationOutOfRange", "agenda[2].durationMinutes"),
                new DomainError("WorkingGroup.TextTooLong", "agenda[2].presenter"),
                new DomainError("Session.LayerUnknown", "agenda[3].layer"));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(601)]
    public void an_agenda_item_lasts_from_one_to_six_hundred_minutes(int minutes) =>
        Sessions.Given()
            .When(Schedule([Entry(), Entry(minutes: minutes)]))
            .ThenRefused(new DomainError("Session.DurationOutOfRange", "agenda[1].durationMinutes"));

    [Theory]
    [InlineData(1)]
    [InlineData(600)]
    public void the_shortest_and_longest_agenda_items_are_accepted(int minutes) =>
        Sessions.Given()
            .When(Schedule([Entry(minutes: minutes)]))
            .Then(ScheduledNow([new AgendaItem(AgendaId(0, 0), "Capacity report", minutes, null)]));

    [Fact]
    public void an_agenda_has_at_most_a_hundred_items()
    {
        Assert.True(Sessions.Given().When(Schedule([.. Enumerable.Repeat(Entry(), GroupSessionDecider.MaxAgendaItems)])).Decision.IsAccepted);
        Sessions.Given()
            .When(Schedule([.. Enumerable.Repeat(Entry(), GroupSessionDecider.MaxAgendaItems + 1)]))
            .ThenRefused(new DomainError("Session.AgendaTooLong", "agenda"));
    }

    [Fact]
    public void open_action_items_of_the_group_are_carried_onto_the_agenda_at_five_minutes_each() =>
        Sessions.Given()
            .When(Schedule([Entry()], [OpenA, OpenB]))
            .Then(
                ScheduledNow([new AgendaItem(AgendaId(0, 0), "Capacity report", 20, null)]),
                new ActionItemsCarriedForward(
                    SessionId,
                    [
                        new AgendaItem(CarriedId(ItemA), OpenA.Title, 5, null, Meity, Layer.Compute, null, ItemA),
                        new AgendaItem(CarriedId(ItemB), OpenB.Title, 5, null, Niti, Layer.Data, null, ItemB),
                    ],
                    Now));

    [Fact]
    public void the_carried_items_follow_the_agenda_as_entered()
    {
        var scheduled = ScheduledNow([new AgendaItem(AgendaId(0, 0), "Capacity report", 20, null)]);
        var carried = new ActionItemsCarriedForward(SessionId, [new AgendaItem(CarriedId(ItemA), OpenA.Title, 5, null, Meity, Layer.Compute, null, ItemA)], Now);

        var session = GroupSession.Fold([scheduled, carried])!;

        Assert.Equal([AgendaId(0, 0), CarriedId(ItemA)], session.Agenda.Select(a => a.Id));
        Assert.Equal(ItemA, session.Agenda[1].ActionItemId);
        Assert.Equal(2, session.Version);
    }

    [Fact]
    public void a_session_is_scheduled_once() =>
        Sessions.Given(Scheduled()).When(Schedule()).ThenRejectedWith("Session.AlreadyScheduled");

    [Fact]
    public void nothing_but_scheduling_is_decided_for_a_session_that_does_not_exist() =>
        Sessions.Given().When(new StartSession(SessionId, [], Chair, Now)).ThenRejectedWith("Session.NotFound");

    [Fact]
    public void scheduling_is_pure_the_same_command_decides_the_same_events_and_ids()
    {
        var command = Schedule([Entry(), Entry("Data sharing", 30)], [OpenA, OpenB]);

        var first = Sessions.Given().When(command).Decision.Events;
        var second = Sessions.Given().When(command).Decision.Events;

        Assert.Equal(first.Select(Json), second.Select(Json));
        var ids = first.OfType<SessionScheduled>().Single().Agenda.Concat(first.OfType<ActionItemsCarriedForward>().Single().Items).Select(a => a.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void another_session_gives_its_agenda_other_ids()
    {
        var other = Schedule([Entry()], [OpenA]) with { SessionId = Guid.Parse("0f0e0d0c-0b0a-4908-8706-050403020100") };

        var mine = Sessions.Given().When(Schedule([Entry()], [OpenA])).Decision.Events;
        var theirs = Sessions.Given().When(other).Decision.Events;

        Assert.NotEqual(mine.OfType<SessionScheduled>().Single().Agenda[0].Id, theirs.OfType<SessionScheduled>().Single().Agenda[0].Id);
        Assert.NotEqual(mine.OfType<ActionItemsCarriedForward>().Single().Items[0].Id, theirs.OfType<ActionItemsCarriedForward>().Single().Items[0].Id);
    }

    private static string Json(object e) => e.GetType().Name + JsonSerializer.Serialize(e, e.GetType());
}
