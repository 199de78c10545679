using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Agencies;

/// <summary>Submit, approve and return go through the same handler as the pages, with the same rules on who may do what.</summary>
[Collection(PortalTests.Name)]
public sealed class ReviewFlowTests(PortalFixture portal)
{
    private static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    private static readonly ClaimsPrincipal Admin = User("admin@portal.local", Roles.Admin);
    private static readonly ClaimsPrincipal SecondAdmin = User("second.admin@portal.local", Roles.Admin);
    private static readonly ClaimsPrincipal Lead = User("lead.reviewflow@portal.local", Roles.AgencyLead);
    private static readonly ClaimsPrincipal OtherLead = User("someone.else@portal.local", Roles.AgencyLead);

    private async Task<CommandOutcome> RunAsync(ClaimsPrincipal user, AgencyCommand command)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>().HandleAsync(user, command, null, default);
    }

    private async Task<Agency> LoadAsync(Guid id)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Agency>(id))!;
    }

    [Fact]
    public async Task a_lead_submits_and_an_admin_approves_or_returns_with_a_reason()
    {
        var id = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Admin, new RegisterAgency(id, "Review flow agency", AgencyKind.Academia, "education", "national", "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Admin, new AssignLead(id, Lead.Identity!.Name!, "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Lead, new AssessIndicator(id, "skills.defined-roles", 2, "Roles drafted.", null, null, null, "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Lead, new AssessIndicator(id, "skills.talent-pipeline", 2, "Two partnerships.", null, null, null, "", default)));

        Assert.IsType<CommandOutcome.Forbidden>(await RunAsync(OtherLead, new SubmitForReview(id, "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Lead, new SubmitForReview(id, "", default)));
        Assert.All((await LoadAsync(id)).Indicators.Values, a => Assert.Equal(ReviewStatus.Submitted, a.Status));

        Assert.IsType<CommandOutcome.Forbidden>(await RunAsync(Lead, new ApproveAssessment(id, "skills.defined-roles", null, "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Admin, new ApproveAssessment(id, "skills.defined-roles", "Matches the role catalogue.", "", default)));
        var noReason = Assert.IsType<CommandOutcome.Invalid>(await RunAsync(SecondAdmin, new ReturnAssessment(id, "skills.talent-pipeline", " ", "", default)));
        Assert.Equal("Review.ReasonRequired", noReason.Errors.Single().Code);
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(SecondAdmin, new ReturnAssessment(id, "skills.talent-pipeline", "Attach the MoUs.", "", default)));

        var agency = await LoadAsync(id);
        Assert.Equal(ReviewStatus.Approved, agency.Indicators["skills.defined-roles"].Status);
        Assert.Equal(ReviewStatus.Returned, agency.Indicators["skills.talent-pipeline"].Status);
        Assert.Equal("Attach the MoUs.", agency.Indicators["skills.talent-pipeline"].ReviewNote);
    }

    [Fact]
    public async Task an_admin_cannot_approve_an_assessment_they_made()
    {
        var id = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Admin, new RegisterAgency(id, "Own review agency", AgencyKind.Industry, "finance", "national", "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Admin, new AssessIndicator(id, "data.catalogue-metadata", 2, "Catalogue started.", null, null, null, "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Admin, new SubmitForReview(id, "", default)));
        var refused = Assert.IsType<CommandOutcome.Invalid>(await RunAsync(Admin, new ApproveAssessment(id, "data.catalogue-metadata", null, "", default)));
        Assert.Equal("Review.OwnAssessment", refused.Errors.Single().Code);
    }

    [Fact]
    public async Task only_admins_register_agencies_and_assign_leads()
    {
        var id = Guid.NewGuid();
        Assert.IsType<CommandOutcome.Forbidden>(await RunAsync(Lead, new RegisterAgency(id, "Not allowed", AgencyKind.Industry, "finance", "national", "", default)));
        Assert.IsType<CommandOutcome.Accepted>(await RunAsync(Admin, new RegisterAgency(id, "Allowed", AgencyKind.Industry, "finance", "national", "", default)));
        Assert.IsType<CommandOutcome.Forbidden>(await RunAsync(Lead, new AssignLead(id, Lead.Identity!.Name!, "", default)));
        Assert.IsType<CommandOutcome.Forbidden>(await RunAsync(Lead, new AssessIndicator(id, "data.catalogue-metadata", 2, "x", null, null, null, "", default)));
    }
}
