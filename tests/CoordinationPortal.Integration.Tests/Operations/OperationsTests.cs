using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoordinationPortal.Integration.Tests.Operations;

[Collection(PortalTests.Name)]
public sealed class OperationsTests(PortalFixture portal)
{
    [Fact]
    public async Task healthz_answers_200_without_signing_in_when_the_database_answers()
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task the_database_check_is_unhealthy_when_nothing_listens()
    {
        var dead = new DatabaseHealthCheck("Host=127.0.0.1;Port=1;Database=x;Username=u;Password=p");
        var result = await dead.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);

        var alive = new DatabaseHealthCheck(portal.Database.ConnectionString);
        Assert.Equal(HealthStatus.Healthy, (await alive.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task the_jobs_dashboard_is_for_admins_only()
    {
        using var anonymous = portal.AnonymousClient();
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/hangfire")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await viewer.GetAsync("/hangfire")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await lead.GetAsync("/hangfire")).StatusCode);
        using var allowed = await admin.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("CoordinationPortal jobs", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_staleness_job_is_registered_as_recurring()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var page = await admin.GetStringAsync("/hangfire/recurring");
        Assert.Contains("scorecards-mark-stale", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task api_errors_keep_their_status_and_problem_details_body()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var response = await client.GetAsync($"/api/v1/agencies/{Guid.NewGuid()}/scorecard");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
