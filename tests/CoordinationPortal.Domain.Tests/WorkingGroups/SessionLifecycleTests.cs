using System.Text.Json;
using CoordinationPortal.Domain.WorkingGroups;
using static CoordinationPortal.Domain.Tests.WorkingGroups.Wg;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>A session's agenda changes, its start (carrying forward what is still open), cancellation and attendance.</summary>
public sealed class SessionLifecycleTests
{
    private static readonly Guid ItemA = new("11111111-2222-4333-8444-555555555555");
    private static readonly Guid ItemB = new("66666666-7777-4888-9999-aaaaaaaaaaaa");
    private static readonly OpenActionItem OpenA = new(ItemA, "Publish the GPU booking policy", Meity, Layer.Compute);
    private static readonly OpenActionItem OpenB = new(ItemB, "Share the data catalogue", Niti, Layer.Data);

    private static readonly AgendaItem Report = new(AgendaId(0, 0), "Capacity report", 20, "Asha Rao", Meity, Layer.Compute);
    private static readonly AgendaItem CarriedA = new(CarriedId(ItemA), OpenA.Title, 5, null, Meity, Layer.Compute, null, ItemA);
    private static readonly AgendaItem CarriedB = new(CarriedId(ItemB), OpenB.Title, 5, null, Niti, Layer.Data, null, ItemB);

    private static readonly IReadOnlySet<Guid> Members = new HashSet<Guid> { Meity, Niti };
    private static readonly DateTimeOffset During = Starts.AddHours(1);

    private static SessionScheduled WithReport() => Scheduled([Report]);

    private static ActionItemsCarriedForward CarriedAtScheduling() => new(SessionId, [CarriedA], At(2026, 3, 1));

    private static AgendaEntry Kept(AgendaItem item) => new(item.Id, item.Title, item.DurationMinutes, item.Presenter, item.AgencyId, item.Layer, item.FlagId);

    // Agenda

    [Fact]
    public void a_changed_agenda_keeps_the_ids_of_the_items_it_keeps_and_names_new_ones_by_the_stream_version()
    {
        var given = Sessions.Given(WithReport(), CarriedAtScheduling());
        Assert.Equal(2, given.State!.Version);

        given.When(new ChangeAgenda(
                SessionId,
                [Kept(CarriedA), new AgendaEntry(null, "Budget", 15, null, null, null, null), Kept(Report) with { DurationMinutes = 25 }],
                Chair,
                Now))
            .Then(new SessionAgendaChanged(
                SessionId,
                [CarriedA, new AgendaItem(AgendaId(2, 1), "Budget", 15, null), Report with { DurationMinutes = 25 }],
                Chair,
                Now));
    }

    [Fact]
    public void an_unknown_id_in_a_changed_agenda_is_given_a_new_one() =>
        Sessions.Given(WithReport())
            .When(new ChangeAgenda(SessionId, [new AgendaEntry(Guid.Parse("deadbeef-0000-4000-8000-000000000000"), "Budget", 15, null, null, null, null)], Chair, Now))
            .Then(new SessionAgendaChanged(SessionId, [new AgendaItem(AgendaId(1, 0), "Budget", 15, null)], Chair, Now));

    [Fact]
    public void an_id_given_twice_keeps_its_item_once_and_the_second_entry_is_a_new_item() =>
        Sessions.Given(WithReport())
            .When(new ChangeAgenda(SessionId, [Kept(Report), Kept(Report) with { Title = "Capacity report, part 2" }], Chair, Now))
            .Then(new SessionAgendaChanged(SessionId, [Report, new AgendaItem(AgendaId(1, 1), "Capacity report, part 2", 20, "Asha Rao", Meity, Layer.Compute)], Chair, Now));

    [Fact]
    public void an_open_item_listed_twice_is_carried_once() =>
        Sessions.Given(WithReport())
            .When(new StartSession(SessionId, [OpenA, OpenA], Chair, Starts))
            .Then(new SessionStarted(SessionId, Chair, Starts), new ActionItemsCarriedForward(SessionId, [CarriedA], Starts));

    [Fact]
    public void an_identical_agenda_records_nothing() =>
        Sessions.Given(WithReport(), CarriedAtScheduling())
            .When(new ChangeAgenda(SessionId, [Kept(Report), Kept(CarriedA)], Chair, Now))
            .ThenNothingHappens();

    [Fact]
    public void the_agenda_may_change_while_the_session_is_in_progress() =>
        Sessions.Given(WithReport(), Started())
            .When(new ChangeAgenda(SessionId, [], Chair, During))
            .Then(new SessionAgendaChanged(SessionId, [], Chair, During));

    [Fact]
    public void a_changed_agenda_is_checked_like_the_first() =>
        Sessions.Given(WithReport())
            .When(new ChangeAgenda(SessionId, [Kept(Report), new AgendaEntry(null, "", 601, null, null, null, null)], Chair, Now))
            .ThenRefused(
                new DomainError("WorkingGroup.TextRequired", "agenda[1].title"),
                new DomainError("Session.DurationOutOfRange", "agenda[1].durationMinutes"));

    public static TheoryData<string> Closed() => new() { "drafted", "approved", "cancelled" };

    [Theory]
    [MemberData(nameof(Closed))]
    public void the_agenda_is_closed_once_minutes_are_drafted_or_the_session_is_cancelled(string state)
    {
        object[] history = state switch
        {
            "drafted" => [WithReport(), Started(), Drafted()],
            "approved" => [WithReport(), Started(), Drafted(), Approved()],
            _ => [WithReport(), new SessionCancelled(SessionId, "Postponed.", Chair, Now)],
        };

        Sessions.Given(history).When(new ChangeAgenda(SessionId, [Kept(Report)], Chair, Now)).ThenRejectedWith("Session.AgendaClosed");
    }

    [Fact]
    public void changing_an_agenda_is_pure_the_same_command_decides_the_same_ids()
    {
        var command = new ChangeAgenda(SessionId, [new AgendaEntry(null, "Budget", 15, null, null, null, null), Kept(Report)], Chair, Now);

        var first = Sessions.Given(WithReport()).When(command).Decision.Events.Single();
        var second = Sessions.Given(WithReport()).When(command).Decision.Events.Single();

        Assert.Equal(JsonSerializer.Serialize(first, first.GetType()), JsonSerializer.Serialize(second, second.GetType()));
    }

    // Start

    [Fact]
    public void a_planned_session_starts() =>
        Sessions.Given(WithReport())
            .When(new StartSession(SessionId, [], Chair, Starts))
            .Then(new SessionStarted(SessionId, Chair, Starts));

    [Fact]
    public void a_session_may_be_started_before_its_start_time() =>
        Sessions.Given(WithReport())
            .When(new StartSession(SessionId, [], Chair, Starts.AddMinutes(-10)))
            .Then(new SessionStarted(SessionId, Chair, Starts.AddMinutes(-10)));

    [Fact]
    public void at_the_start_open_items_not_yet_on_the_agenda_are_carried_onto_it() =>
        Sessions.Given(WithReport(), CarriedAtScheduling())
            .When(new StartSession(SessionId, [OpenA, OpenB], Chair, Starts))
            .Then(new SessionStarted(SessionId, Chair, Starts), new ActionItemsCarriedForward(SessionId, [CarriedB], Starts));

    [Fact]
    public void an_item_taken_off_the_agenda_while_still_open_is_carried_back_at_the_start() =>
        Sessions.Given(WithReport(), CarriedAtScheduling(), new SessionAgendaChanged(SessionId, [Report], Chair, Now))
            .When(new StartSession(SessionId, [OpenA], Chair, Starts))
            .Then(new SessionStarted(SessionId, Chair, Starts), new ActionItemsCarriedForward(SessionId, [CarriedA], Starts));

    [Fact]
    public void when_every_open_item_is_on_the_agenda_the_start_carries_nothing() =>
        Sessions.Given(WithReport(), CarriedAtScheduling())
            .When(new StartSession(SessionId, [OpenA], Chair, Starts))
            .Then(new SessionStarted(SessionId, Chair, Starts));

    [Fact]
    public void the_started_session_is_in_progress_with_its_whole_agenda()
    {
        var session = GroupSession.Fold(
            [WithReport(), CarriedAtScheduling(), Started(), new ActionItemsCarriedForward(SessionId, [CarriedB], Starts)])!;

        Assert.Equal(SessionState.InProgress, session.State);
        Assert.Equal(Starts, session.StartedAt);
        Assert.Equal([Report, CarriedA, CarriedB], session.Agenda);
    }

    [Theory]
    [MemberData(nameof(NotPlanned))]
    public void only_a_planned_session_starts(string state) =>
        Sessions.Given(History(state)).When(new StartSession(SessionId, [], Chair, During)).ThenRejectedWith("Session.NotPlanned");

    // Cancel

    [Fact]
    public void a_planned_session_is_cancelled_with_its_reason_trimmed()
    {
        Sessions.Given(WithReport())
            .When(new CancelSession(SessionId, "  The minister is travelling. ", Chair, Now))
            .Then(new SessionCancelled(SessionId, "The minister is travelling.", Chair, Now));

        var session = GroupSession.Fold([WithReport(), new SessionCancelled(SessionId, "The minister is travelling.", Chair, Now)])!;
        Assert.Equal(SessionState.Cancelled, session.State);
        Assert.Equal("The minister is travelling.", session.CancelReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void a_cancellation_needs_a_reason(string? reason) =>
        Sessions.Given(WithReport()).When(new CancelSession(SessionId, reason!, Chair, Now)).ThenRefused(new DomainError("WorkingGroup.TextRequired", "reason"));

    [Theory]
    [MemberData(nameof(NotPlanned))]
    public void only_a_planned_session_is_cancelled(string state) =>
        Sessions.Given(History(state)).When(new CancelSession(SessionId, "Postponed.", Chair, During)).ThenRejectedWith("Session.NotPlanned");

    // Attendance

    [Fact]
    public void attendance_is_not_recorded_before_the_start_time_of_a_session_not_started() =>
        Sessions.Given(WithReport())
            .When(new RecordAttendance(SessionId, [new Attendee("Asha Rao", Meity)], Members, Chair, Starts.AddMinutes(-1)))
            .ThenRejectedWith("Session.NotBegun");

    [Fact]
    public void attendance_is_recorded_from_the_start_time_trimmed_each_person_once() =>
        Sessions.Given(WithReport())
            .When(new RecordAttendance(
                SessionId, [new Attendee(" Asha Rao ", Meity), new Attendee("Asha Rao", Meity), new Attendee("Kavya Nair", null)], Members, Chair, Starts))
            .Then(new AttendanceRecorded(SessionId, [new Attendee("Asha Rao", Meity), new Attendee("Kavya Nair", null)], Chair, Starts));

    [Fact]
    public void a_session_started_early_takes_attendance_before_its_start_time() =>
        Sessions.Given(WithReport(), Started(Starts.AddMinutes(-15)))
            .When(new RecordAttendance(SessionId, [new Attendee("Asha Rao", Meity)], Members, Chair, Starts.AddMinutes(-10)))
            .Then(new AttendanceRecorded(SessionId, [new Attendee("Asha Rao", Meity)], Chair, Starts.AddMinutes(-10)));

    [Fact]
    public void attendance_may_be_corrected_while_the_minutes_are_in_draft() =>
        Sessions.Given(WithReport(), Started(), Drafted())
            .When(new RecordAttendance(SessionId, [new Attendee("Rahul Das", Niti)], Members, Secretary, Now.AddDays(11)))
            .Then(new AttendanceRecorded(SessionId, [new Attendee("Rahul Das", Niti)], Secretary, Now.AddDays(11)));

    [Fact]
    public void an_attendee_for_an_agency_that_is_not_a_member_is_refused() =>
        Sessions.Given(WithReport(), Started())
            .When(new RecordAttendance(SessionId, [new Attendee("Asha Rao", Meity), new Attendee("Dr. Sen", Health)], Members, Chair, During))
            .ThenRefused(new DomainError("WorkingGroup.AgencyNotMember", "attendees[1].agencyId"));

    [Fact]
    public void an_attendee_needs_a_name() =>
        Sessions.Given(WithReport(), Started())
            .When(new RecordAttendance(SessionId, [new Attendee("  ", Meity)], Members, Chair, During))
            .ThenRefused(new DomainError("WorkingGroup.TextRequired", "attendees[0].name"));

    [Fact]
    public void the_same_attendance_again_records_nothing() =>
        Sessions.Given(WithReport(), Started(), new AttendanceRecorded(SessionId, [new Attendee("Asha Rao", Meity)], Chair, During))
            .When(new RecordAttendance(SessionId, [new Attendee("Asha Rao ", Meity)], Members, Chair, During))
            .ThenNothingHappens();

    [Fact]
    public void attendance_is_closed_once_the_minutes_are_approved() =>
        Sessions.Given(WithReport(), Started(), Drafted(), Approved())
            .When(new RecordAttendance(SessionId, [new Attendee("Asha Rao", Meity)], Members, Chair, Now.AddDays(12)))
            .ThenRejectedWith("Session.MinutesAlreadyApproved");

    [Fact]
    public void a_cancelled_session_takes_no_attendance_and_says_it_was_cancelled() =>
        Sessions.Given(WithReport(), new SessionCancelled(SessionId, "Postponed.", Chair, Now))
            .When(new RecordAttendance(SessionId, [new Attendee("Asha Rao", Meity)], Members, Chair, During))
            .ThenRejectedWith("Session.Cancelled");

    [Fact]
    public void the_attendance_recorded_last_is_the_attendance()
    {
        var session = GroupSession.Fold(
        [
            WithReport(), Started(),
            new AttendanceRecorded(SessionId, [new Attendee("Asha Rao", Meity)], Chair, During),
            new AttendanceRecorded(SessionId, [new Attendee("Kavya Nair", Niti)], Chair, During),
        ])!;

        Assert.Equal([new Attendee("Kavya Nair", Niti)], session.Attendees);
    }

    public static TheoryData<string> NotPlanned() => new() { "in progress", "drafted", "approved", "cancelled" };

    private static object[] History(string state) => state switch
    {
        "in progress" => [WithReport(), Started()],
        "drafted" => [WithReport(), Started(), Drafted()],
        "approved" => [WithReport(), Started(), Drafted(), Approved()],
        "cancelled" => [WithReport(), new SessionCancelled(SessionId, "Postponed.", Chair, Now)],
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
