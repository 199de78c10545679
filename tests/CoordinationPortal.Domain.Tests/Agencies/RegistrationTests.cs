using CoordinationPortal.Domain.Agencies;
using static CoordinationPortal.Domain.Tests.Agencies.AgencySpec;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Agencies;

public sealed class RegistrationTests
{
    private static readonly DateTimeOffset Now = At(2026, 1, 5);

    [Fact]
    public void a_new_agency_is_registered_with_its_details_trimmed() =>
        Given()
            .When(new RegisterAgency(AgencyId, "  Ministry of Electronics and IT ", AgencyKind.Ministry, " Technology ", " Union  ", Admin, Now))
            .Then(new AgencyRegistered(AgencyId, "Ministry of Electronics and IT", AgencyKind.Ministry, "Technology", "Union", Admin, Now));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void an_agency_needs_a_name(string name) =>
        Given()
            .When(new RegisterAgency(AgencyId, name, AgencyKind.Regulator, "Finance", "Union", Admin, Now))
            .ThenRejectedWith("Name.Required");

    [Fact]
    public void every_missing_detail_is_reported_at_once() =>
        Given()
            .When(new RegisterAgency(AgencyId, " ", (AgencyKind)42, "", " ", Admin, Now))
            .ThenRejectedWith("Name.Required", "Kind.Unknown", "Sector.Required", "Jurisdiction.Required");

    [Fact]
    public void a_name_longer_than_the_limit_is_refused() =>
        Given()
            .When(new RegisterAgency(AgencyId, new string('x', AgencyDecider.MaxNameLength + 1), AgencyKind.Academia, "Education", "Karnataka", Admin, Now))
            .ThenRejectedWith("Name.TooLong");

    [Fact]
    public void an_agency_is_registered_only_once() =>
        Given(Registered())
            .When(new RegisterAgency(AgencyId, "Another name", AgencyKind.Ministry, "Technology", "Union", Admin, Now))
            .ThenRejectedWith("Agency.AlreadyRegistered");

    [Theory]
    [InlineData(nameof(UpdateAgencyDetails))]
    [InlineData(nameof(AssignLead))]
    [InlineData(nameof(RemoveLead))]
    [InlineData(nameof(AssessIndicator))]
    [InlineData(nameof(SubmitForReview))]
    [InlineData(nameof(ApproveAssessment))]
    [InlineData(nameof(ReturnAssessment))]
    [InlineData(nameof(MarkStaleIfOverdue))]
    public void commands_on_an_unknown_agency_are_refused(string commandName) =>
        Given()
            .When(CommandNamed(commandName))
            .ThenRejectedWith("Agency.NotFound");

    [Fact]
    public void details_are_updated_when_they_change() =>
        Given(Registered())
            .When(new UpdateAgencyDetails(AgencyId, "MeitY ", AgencyKind.Ministry, "Technology", "Union", Admin, Now))
            .Then(new AgencyDetailsUpdated(AgencyId, "MeitY", AgencyKind.Ministry, "Technology", "Union", Admin, Now));

    [Fact]
    public void updating_details_to_what_they_already_are_records_nothing() =>
        Given(Registered())
            .When(new UpdateAgencyDetails(AgencyId, " Ministry of Electronics and IT", AgencyKind.Ministry, "Technology ", "Union", Admin, Now))
            .ThenNothingHappens();

    private static AgencyCommand CommandNamed(string name) => name switch
    {
        nameof(UpdateAgencyDetails) => new UpdateAgencyDetails(AgencyId, "Name", AgencyKind.Ministry, "Sector", "Union", Admin, Now),
        nameof(AssignLead) => new AssignLead(AgencyId, Lead, Admin, Now),
        nameof(RemoveLead) => new RemoveLead(AgencyId, Lead, Admin, Now),
        nameof(AssessIndicator) => new AssessIndicator(AgencyId, "compute.access", 2, Note, null, null, null, Lead, Now),
        nameof(SubmitForReview) => new SubmitForReview(AgencyId, Lead, Now),
        nameof(ApproveAssessment) => new ApproveAssessment(AgencyId, "compute.access", null, Reviewer, Now),
        nameof(ReturnAssessment) => new ReturnAssessment(AgencyId, "compute.access", "Needs evidence", Reviewer, Now),
        nameof(MarkStaleIfOverdue) => new MarkStaleIfOverdue(AgencyId, AssessmentCycle.Containing(new DateOnly(2025, 12, 1)), Scheduler, Now),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
