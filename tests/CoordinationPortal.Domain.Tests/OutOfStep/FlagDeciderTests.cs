using CoordinationPortal.Domain.OutOfStep;

namespace CoordinationPortal.Domain.Tests.OutOfStep;

/// <summary>Acknowledging a flag, Given(its events).When(acknowledge).Then(events), through <see cref="FlagDecider"/>.</summary>
public sealed class FlagDeciderTests
{
    private const string Lead = "asha.rao@meity.gov.in";
    private static readonly Guid FlagId = FlagIds.For(History.AgencyId, "compute-leads-data", "");
    private static readonly DateTimeOffset Raised = History.On(2026, 2, 1);
    private static readonly DateTimeOffset Now = History.On(2026, 2, 2);

    private static readonly DeciderSpec<Flag, AcknowledgeFlag> Flags = new(Flag.Evolve, FlagDecider.Decide);

    private static FlagRaised RaisedEvent(int occurrence = 1, DateTimeOffset? at = null) => new(
        FlagId, History.AgencyId, "compute-leads-data", "lead", "", FlagSeverity.High, [Layer.Compute, Layer.Data],
        [new Figure("gapLevels", 2.0)], new LocalizedText("Compute leads Data.", "कंप्यूट डेटा से आगे है।"), occurrence, at ?? Raised);

    private static FlagResolved ResolvedEvent() => new(FlagId, ResolutionReason.ConditionCleared, History.On(2026, 3, 1));

    private static AcknowledgeFlag Acknowledge(string note) => new(FlagId, note, Lead, Now);

    [Fact]
    public void acknowledging_an_open_flag_records_the_note_trimmed_with_who_and_when() =>
        Flags.Given(RaisedEvent())
            .When(Acknowledge("  Data-quality audits start in April.\n"))
            .Then(new FlagAcknowledged(FlagId, "Data-quality audits start in April.", Lead, Now));

    [Fact]
    public void an_acknowledged_flag_may_be_acknowledged_again_with_a_new_note() =>
        Flags.Given(RaisedEvent(), new FlagAcknowledged(FlagId, "Working on it.", "admin@portal.gov.in", Raised))
            .When(Acknowledge("Audits now funded."))
            .Then(new FlagAcknowledged(FlagId, "Audits now funded.", Lead, Now));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void an_acknowledgement_needs_a_note(string note)
    {
        var outcome = Flags.Given(RaisedEvent()).When(Acknowledge(note));

        outcome.ThenRejectedWith("Flag.NoteRequired");
        Assert.Equal("note", Assert.Single(outcome.Decision.Errors).Field);
    }

    [Fact]
    public void a_note_may_be_up_to_2000_characters_once_trimmed()
    {
        var longest = new string('x', FlagDecider.MaxNoteLength);
        Flags.Given(RaisedEvent()).When(Acknowledge(" " + longest + " ")).Then(new FlagAcknowledged(FlagId, longest, Lead, Now));
        Flags.Given(RaisedEvent()).When(Acknowledge(longest + "x")).ThenRejectedWith("Flag.NoteTooLong");
    }

    [Fact]
    public void a_resolved_flag_cannot_be_acknowledged() =>
        Flags.Given(RaisedEvent(), ResolvedEvent())
            .When(Acknowledge("Seen."))
            .ThenRejectedWith("Flag.AlreadyResolved");

    [Fact]
    public void a_resolved_flag_with_no_note_is_refused_for_both_at_once() =>
        Flags.Given(RaisedEvent(), ResolvedEvent())
            .When(Acknowledge(" "))
            .ThenRejectedWith("Flag.NoteRequired", "Flag.AlreadyResolved");

    [Fact]
    public void a_flag_raised_again_after_it_resolved_can_be_acknowledged() =>
        Flags.Given(RaisedEvent(), ResolvedEvent(), RaisedEvent(occurrence: 2, at: History.On(2026, 4, 1)))
            .When(Acknowledge("Back again; audits resume."))
            .Then(new FlagAcknowledged(FlagId, "Back again; audits resume.", Lead, Now));

    [Fact]
    public void a_flag_never_raised_is_not_found() =>
        Flags.Given()
            .When(Acknowledge("Seen."))
            .ThenRejectedWith("Flag.NotFound");
}
