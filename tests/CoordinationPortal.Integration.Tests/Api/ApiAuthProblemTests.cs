using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoordinationPortal.Integration.Tests.Api;

/// <summary>
/// An API call without a session, or without the role, is answered with the status and a ProblemDetails body in the
/// request's language; a page still redirects to the sign-in form or the access-denied page.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ApiAuthProblemTests(PortalFixture portal)
{
    private static readonly object NewWebhook = new { name = "not allowed", url = "https://hooks.example.org/not-allowed" };

    [Fact]
    public async Task an_anonymous_api_call_gets_401_with_a_problem_body()
    {
        using var client = portal.AnonymousClient();

        using var response = await client.GetAsync("/api/v1/flags");

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Sign-in required.", problem.GetProperty("title").GetString());
        Assert.Contains("sign in and send the session cookie", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_viewer_calling_an_admin_only_api_gets_403_with_a_problem_body()
    {
        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);

        using var response = await viewer.PostAsJsonAsync("/api/v1/webhooks", NewWebhook);

        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("Access denied.", problem.GetProperty("title").GetString());
        Assert.Equal("Your account's role does not allow this request.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task the_problem_is_in_hindi_when_the_request_asks_for_hindi()
    {
        using var anonymous = portal.AnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/flags");
        request.Headers.AcceptLanguage.ParseAdd("hi-IN");
        using var unauthorized = await anonymous.SendAsync(request);
        Assert.Equal("साइन इन करना आवश्यक है।", (await ProblemAsync(unauthorized, HttpStatusCode.Unauthorized)).GetProperty("title").GetString());

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var forbidden = await viewer.PostAsJsonAsync("/api/v1/webhooks?culture=hi-IN", NewWebhook);
        var problem = await ProblemAsync(forbidden, HttpStatusCode.Forbidden);
        Assert.Equal("पहुँच अस्वीकृत।", problem.GetProperty("title").GetString());
        Assert.Equal("आपके खाते की भूमिका इस अनुरोध की अनुमति नहीं देती।", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("hi", "साइन इन करना आवश्यक है।")]
    [InlineData("hi, en;q=0.5", "साइन इन करना आवश्यक है।")]
    [InlineData("fr, hi;q=0.8, en;q=0.5", "साइन इन करना आवश्यक है।")]
    [InlineData("en, hi;q=0.5", "Sign-in required.")]
    [InlineData("en-US, hi-IN;q=0.9", "Sign-in required.")]
    [InlineData("hi;q=0, en-IN;q=0.5", "Sign-in required.")]
    public async Task a_language_without_a_region_is_taken_as_the_portal_culture_of_that_language(string acceptLanguage, string title)
    {
        using var anonymous = portal.AnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/flags");
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);

        using var response = await anonymous.SendAsync(request);

        Assert.Equal(title, (await ProblemAsync(response, HttpStatusCode.Unauthorized)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task the_culture_query_and_cookie_still_come_before_the_header()
    {
        using var client = portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var cookie = new HttpRequestMessage(HttpMethod.Get, "/api/v1/flags");
        cookie.Headers.TryAddWithoutValidation("Accept-Language", "en");
        cookie.Headers.TryAddWithoutValidation("Cookie", ".AspNetCore.Culture=" + Uri.EscapeDataString("c=hi-IN|uic=hi-IN"));
        using var query = new HttpRequestMessage(HttpMethod.Get, "/api/v1/flags?culture=en-IN");
        query.Headers.TryAddWithoutValidation("Accept-Language", "hi");
        query.Headers.TryAddWithoutValidation("Cookie", ".AspNetCore.Culture=" + Uri.EscapeDataString("c=hi-IN|uic=hi-IN"));

        using var byCookie = await client.SendAsync(cookie);
        using var byQuery = await client.SendAsync(query);

        Assert.Equal("साइन इन करना आवश्यक है।", (await ProblemAsync(byCookie, HttpStatusCode.Unauthorized)).GetProperty("title").GetString());
        Assert.Equal("Sign-in required.", (await ProblemAsync(byQuery, HttpStatusCode.Unauthorized)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task pages_still_redirect_to_sign_in_and_to_access_denied()
    {
        using var anonymous = portal.AnonymousClient();
        using var signIn = await anonymous.GetAsync("/flags");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("/account/login", signIn.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        using var viewer = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var denied = await viewer.GetAsync("/admin/webhooks");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/denied", denied.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
