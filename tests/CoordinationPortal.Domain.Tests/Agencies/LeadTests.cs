using CoordinationPortal.Domain.Agencies;
using static CoordinationPortal.Domain.Tests.Agencies.AgencySpec;
using static CoordinationPortal.Domain.Tests.Agencies.Some;

namespace CoordinationPortal.Domain.Tests.Agencies;

public sealed class LeadTests
{
    private static readonly DateTimeOffset Now = At(2026, 1, 20);

    [Fact]
    public void a_lead_is_assigned_by_their_normalised_lowercase_name() =>
        Given(Registered())
            .When(new AssignLead(AgencyId, "  Asha.Rao@MeitY.GOV.in ", Admin, Now))
            .Then(new AgencyLeadAssigned(AgencyId, "asha.rao@meity.gov.in", Admin, Now));

    [Fact]
    public void assigning_someone_who_already_leads_records_nothing() =>
        Given(Registered(), LeadAssigned("asha.rao@meity.gov.in"))
            .When(new AssignLead(AgencyId, "ASHA.RAO@meity.gov.in", Admin, Now))
            .ThenNothingHappens();

    [Fact]
    public void a_second_lead_is_assigned_beside_the_first() =>
        Given(Registered(), LeadAssigned(Lead))
            .When(new AssignLead(AgencyId, Reviewer, Admin, Now))
            .Then(new AgencyLeadAssigned(AgencyId, Reviewer, Admin, Now));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void a_lead_needs_a_name(string lead) =>
        Given(Registered())
            .When(new AssignLead(AgencyId, lead, Admin, Now))
            .ThenRejectedWith("Lead.Required");

    [Fact]
    public void a_lead_is_removed_whatever_the_case_they_are_named_in() =>
        Given(Registered(), LeadAssigned(Lead))
            .When(new RemoveLead(AgencyId, " Asha.Rao@MEITY.gov.in", Admin, Now))
            .Then(new AgencyLeadRemoved(AgencyId, Lead, Admin, Now));

    [Fact]
    public void removing_someone_who_is_not_a_lead_records_nothing() =>
        Given(Registered(), LeadAssigned(Lead))
            .When(new RemoveLead(AgencyId, Reviewer, Admin, Now))
            .ThenNothingHappens();

    [Fact]
    public void a_removed_lead_can_be_assigned_again() =>
        Given(Registered(), LeadAssigned(Lead), new AgencyLeadRemoved(AgencyId, Lead, Admin, At(2026, 1, 12)))
            .When(new AssignLead(AgencyId, Lead, Admin, Now))
            .Then(new AgencyLeadAssigned(AgencyId, Lead, Admin, Now));

    [Fact]
    public void the_state_knows_its_leads_whatever_the_case()
    {
        var agency = Agency.Fold([Registered(), LeadAssigned("Asha.Rao@MeitY.gov.in"), LeadAssigned(Reviewer)])!;

        Assert.Equal([Lead, Reviewer], agency.Leads);
        Assert.True(agency.IsLead(" ASHA.RAO@meity.gov.in "));
        Assert.False(agency.IsLead("someone.else@meity.gov.in"));
    }
}
