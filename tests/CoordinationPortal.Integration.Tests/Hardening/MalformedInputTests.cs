using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;

namespace CoordinationPortal.Integration.Tests.Hardening;

/// <summary>
/// Input the portal cannot store or act on is answered 400 (or 404) with a message saying what is wrong, never a 500:
/// a NUL in any text (PostgreSQL's text and jsonb refuse it), an all-zero id, a date the calendar cannot end, a charset
/// nobody can decode, a page past any offset, a return address with a tab in it.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class MalformedInputTests(PortalFixture portal)
{
    private const string Zero = "00000000-0000-0000-0000-000000000000";

    /// <summary>Every API route that changes something and names a record in its path.</summary>
    public static TheoryData<string, string> WriteRoutesWithAnId => new()
    {
        { "POST", $"/api/v1/agencies/{Zero}/assessments" },
        { "POST", $"/api/v1/flags/{Zero}/acknowledgements" },
        { "PUT", $"/api/v1/endpoints/{Zero}" },
        { "POST", $"/api/v1/endpoints/{Zero}/pause" },
        { "POST", $"/api/v1/endpoints/{Zero}/resume" },
        { "DELETE", $"/api/v1/endpoints/{Zero}" },
        { "POST", $"/api/v1/endpoints/{Zero}/maintenance" },
        { "DELETE", $"/api/v1/endpoints/{Zero}/maintenance/{Zero}" },
        { "POST", $"/api/v1/endpoints/{Zero}/probe" },
        { "POST", $"/api/v1/notifications/{Zero}/read" },
        { "PUT", $"/api/v1/webhooks/{Zero}/enabled" },
        { "DELETE", $"/api/v1/webhooks/{Zero}" },
        { "POST", $"/api/v1/webhooks/{Zero}/test" },
        { "POST", $"/api/v1/webhooks/{Zero}/secret" },
        { "DELETE", $"/api/v1/webhooks/{Zero}/secret/previous" },
    };

    /// <summary>Every API route that takes a JSON body, with a body it would otherwise accept the shape of.</summary>
    public static TheoryData<string, string, string> JsonRoutes => new()
    {
        { "POST", $"/api/v1/agencies/{Demo.LedAgency}/assessments", """{"indicatorId":"compute.capacity","level":2,"expectedVersion":1}""" },
        { "POST", $"/api/v1/flags/{Guid.NewGuid()}/acknowledgements", """{"note":"seen","expectedVersion":1}""" },
        { "POST", "/api/v1/endpoints", """{"name":"x"}""" },
        { "PUT", $"/api/v1/endpoints/{Guid.NewGuid()}", """{"name":"x","expectedVersion":1}""" },
        { "POST", $"/api/v1/endpoints/{Guid.NewGuid()}/maintenance", """{"reason":"x"}""" },
        { "POST", "/api/v1/probe-allowlist", """{"cidr":"10.0.0.0/8"}""" },
        { "POST", "/api/v1/webhooks", """{"name":"x","url":"https://hooks.example.org/x"}""" },
        { "PUT", $"/api/v1/webhooks/{Guid.NewGuid()}/enabled", """{"note":"x","enabled":false}""" },
        { "POST", $"/api/v1/webhooks/{Guid.NewGuid()}/secret", """{"secret":"abc"}""" },
    };

    [Theory]
    [MemberData(nameof(WriteRoutesWithAnId))]
    public async Task an_all_zero_id_in_the_path_of_a_write_is_404_not_500(string method, string url)
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var response = await Problem.SendAsync(admin, new HttpMethod(method), url, method == "DELETE" ? null : Problem.Json("{}"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("There is nothing with an all-zero id.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [MemberData(nameof(JsonRoutes))]
    public async Task a_json_body_in_an_unknown_charset_is_400_naming_the_charset(string method, string url, string body)
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var response = await Problem.SendAsync(admin, new HttpMethod(method), url, Problem.Json(body, "application/json; charset=bogus"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("UTF-8", Problem.Message(problem, "Content-Type"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(JsonRoutes))]
    public async Task a_nul_in_any_json_string_is_400_naming_the_field(string method, string url, string body)
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        // The first string value gets a NUL (as JSON writes it, \u0000).
        var at = body.IndexOf(":\"", StringComparison.Ordinal) + 2;
        var field = body[(body.LastIndexOf('"', at - 3) + 1)..(at - 2)].Trim('"');
        var poisoned = body[..at] + "a\\u0000b" + body[at..];

        using var response = await Problem.SendAsync(admin, new HttpMethod(method), url, Problem.Json(poisoned));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("NUL", Problem.Message(problem, field), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/agencies?sector=health%00")]
    [InlineData("/api/v1/agencies?jurisdiction=%00")]
    [InlineData("/api/v1/flags?q=%00")]
    [InlineData("/api/v1/flags?rule=spread%00")]
    [InlineData("/api/v1/probe-allowlist?cidr=10.0.0.0%00/8")]
    public async Task a_nul_in_a_query_filter_is_400(string url)
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var response = await Problem.SendAsync(admin, url.Contains("allowlist", StringComparison.Ordinal) ? HttpMethod.Delete : HttpMethod.Get, url);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("NUL", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_nul_in_a_form_field_is_a_400_page_not_a_500()
    {
        using var client = portal.AnonymousClient();
        var form = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(form),
            ["Input.Email"] = "admin\0@example.gov.in",
            ["Input.Password"] = "x\0y",
        });

        using var response = await client.PostAsync(new Uri("/account/login", UriKind.Relative), content);

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {response.Headers.Location} {html}");
        Assert.True(html.Contains("control characters such as NUL", StringComparison.Ordinal), html);
        Assert.Contains("control characters such as NUL", html, StringComparison.Ordinal);
        Assert.Contains("नियंत्रण वर्ण", html, StringComparison.Ordinal); // both languages
        Problem.AssertNoStackTrace(html);
    }

    [Fact]
    public async Task an_as_of_date_at_the_end_of_the_calendar_is_400()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var response = await admin.GetAsync(new Uri($"/api/v1/agencies/{Demo.LedAgency}/scorecard?asOf=9999-12-31", UriKind.Relative));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The date must be between 1900-01-01 and 9998-12-31.", Problem.Message(problem, "asOf"));
    }

    [Fact]
    public async Task the_agency_page_as_of_the_end_of_the_calendar_does_not_fail()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var response = await admin.GetAsync(new Uri($"/agencies/{Demo.LedAgency}?asOf=9999-12-31", UriKind.Relative));

        Assert.True((int)response.StatusCode < 500, $"got {(int)response.StatusCode}");
        Assert.DoesNotContain("Something went wrong", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task a_notifications_page_out_of_range_is_400(string page)
    {
        using var lead = await portal.SignedInClientAsync(Demo.Lead.Email, Demo.Lead.Password);

        using var response = await lead.GetAsync(new Uri($"/api/v1/notifications?page={page}", UriKind.Relative));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The page must be a number from 1 to 100000.", Problem.Message(problem, "page"));
    }

    [Theory]
    [InlineData("/%09/evil.example.org")]
    [InlineData("/agencies%0d%0aSet-Cookie:x=y")]
    public async Task a_return_address_with_a_control_character_on_the_language_switch_is_400(string returnUrl)
    {
        using var client = portal.AnonymousClient();

        using var response = await client.GetAsync(new Uri($"/culture?culture=hi-IN&returnUrl={returnUrl}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task the_message_is_in_hindi_when_the_request_asks_for_hindi()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var response = await Problem.SendAsync(admin, HttpMethod.Get, "/api/v1/flags?q=%00", language: "hi-IN");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("भेजे गए कुछ मान मान्य नहीं हैं।", problem.GetProperty("title").GetString());
        Assert.Contains("नियंत्रण वर्ण", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_body_that_is_not_the_json_expected_is_a_worded_400_problem()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);

        using var response = await Problem.SendAsync(admin, HttpMethod.Put, $"/api/v1/webhooks/{Guid.NewGuid()}/enabled", Problem.Json("""{"enabled":"perhaps"}"""), "hi-IN");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("अनुरोध पढ़ा नहीं जा सका।", problem.GetProperty("title").GetString());
    }
}
