using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.Integration.Tests.Hardening;

/// <summary>
/// An API call that fails for a reason of the portal's own (here: a table gone from under it) is answered 500 with a
/// ProblemDetails body in the request's language, with a trace id and no stack trace, for every method — GET, PUT and
/// DELETE alike — and the failure is logged as an error with the exception for whoever runs the portal.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class UnexpectedFailureTests(PortalFixture portal) : IAsyncLifetime
{
    private ScratchPortal scratch = null!;

    public async Task InitializeAsync() => scratch = await ScratchPortal.StartAsync(portal, "unexpected");

    public async Task DisposeAsync() => await scratch.DisposeAsync();

    [Fact]
    public async Task an_unexpected_failure_is_a_500_problem_in_the_requests_language_for_every_method()
    {
        using var admin = await scratch.AdminAsync();
        await ScratchDatabase.ExecuteAsync(scratch.ConnectionString, "DROP TABLE portal.mt_doc_webhooksubscription CASCADE");
        var id = Guid.NewGuid();

        foreach (var (method, url, body) in new[]
        {
            (HttpMethod.Get, "/api/v1/webhooks", (string?)null),
            (HttpMethod.Put, $"/api/v1/webhooks/{id}/enabled", """{"enabled":false}"""),
            (HttpMethod.Delete, $"/api/v1/webhooks/{id}", null),
        })
        {
            scratch.Log.Clear();
            using var english = await Problem.SendAsync(admin, method, url, body is null ? null : Problem.Json(body));
            var problem = await Problem.AssertAsync(english, HttpStatusCode.InternalServerError);
            Assert.Equal("Something went wrong on our side.", problem.GetProperty("title").GetString());
            Assert.DoesNotContain("mt_doc", problem.ToString(), StringComparison.Ordinal);
            Assert.Contains(scratch.Log.Lines, l => l.Level == LogLevel.Error && l.Exception is not null);

            using var hindi = await Problem.SendAsync(admin, method, url, body is null ? null : Problem.Json(body), "hi-IN");
            Assert.Equal("हमारी ओर से कुछ गड़बड़ी हुई।", (await Problem.AssertAsync(hindi, HttpStatusCode.InternalServerError)).GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task an_unknown_api_address_and_a_wrong_method_are_problems_too()
    {
        using var admin = await scratch.AdminAsync();

        using var missing = await admin.GetAsync(new Uri("/api/v1/nothing-here", UriKind.Relative));
        using var wrongMethod = await Problem.SendAsync(admin, HttpMethod.Patch, "/api/v1/webhooks");

        await Problem.AssertAsync(missing, HttpStatusCode.NotFound);
        await Problem.AssertAsync(wrongMethod, HttpStatusCode.MethodNotAllowed);
    }
}
