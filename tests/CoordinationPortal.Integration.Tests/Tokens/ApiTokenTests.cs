using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Security;
using CoordinationPortal.Integration.Tests.Identity;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Integration.Tests.OutOfStep;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Tokens;
using CoordinationPortal.Web.Kernel.Commands;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Tokens;

/// <summary>
/// Personal API tokens end to end on the real portal: created once and shown once, used as <c>Authorization: Bearer</c>,
/// held to their scopes, their agencies and their owner's rights at the time of each request, and dead once revoked,
/// expired or their owner disabled. Each test uses accounts and agencies of its own.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ApiTokenTests(PortalFixture portal)
{
    private const string Password = "harbour lantern pepper quill";
    private static readonly string[] ReadScope = ["read"];
    private static readonly string[] WriteScope = ["assessments:write"];
    private static readonly string[] UnknownScope = ["everything"];
    private static readonly Dictionary<string, int> Levels = new() { ["compute.capacity"] = 3, ["data.quality-management"] = 3 };

    [Fact]
    public async Task a_token_is_shown_once_stored_as_a_hash_and_works_as_a_bearer_on_the_api()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password, "token-viewer");
        using var browser = await portal.SignedInClientAsync(email, Password);

        var created = await CreateAsync(browser, "Nightly export", [TokenScopes.Read]);
        var token = created.GetProperty("token").GetString()!;
        Assert.StartsWith("cpt_", token, StringComparison.Ordinal);
        Assert.Equal(47, token.Length);

        // Stored as its SHA-256 only; the list never shows it again.
        var id = created.GetProperty("id").GetGuid();
        await using (var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var stored = await session.LoadAsync<ApiToken>(id);
            Assert.Equal(ApiTokenSecrets.Hash(token), stored!.Hash);
            Assert.DoesNotContain(token, JsonSerializer.Serialize(stored), StringComparison.Ordinal);
        }

        var listed = await browser.GetStringAsync("/api/v1/tokens");
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);
        Assert.Contains(token[..10] + "…", JsonDocument.Parse(listed).RootElement.EnumerateArray().Single().GetProperty("hint").GetString(), StringComparison.Ordinal);

        using var script = Bearer(token);
        using var agencies = await script.GetAsync("/api/v1/agencies");
        Assert.Equal(HttpStatusCode.OK, agencies.StatusCode);
        Assert.Contains("Ministry of Health and Family Welfare", await agencies.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var afterUse = JsonDocument.Parse(await browser.GetStringAsync("/api/v1/tokens")).RootElement.EnumerateArray().Single();
        Assert.Equal(JsonValueKind.String, afterUse.GetProperty("lastUsedAt").ValueKind);
    }

    [Fact]
    public async Task a_token_does_only_what_its_scopes_allow_and_nothing_outside_the_api()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Admin", Password, "token-admin");
        var agency = await RollupTestData.AgencyAsync(portal, "Token scope agency", "health", "national", Levels);
        using var browser = await portal.SignedInClientAsync(email, Password);
        var readOnly = (await CreateAsync(browser, "Read only", [TokenScopes.Read])).GetProperty("token").GetString()!;
        var writeOnly = (await CreateAsync(browser, "Write only", [TokenScopes.AssessmentsWrite])).GetProperty("token").GetString()!;

        using var reader = Bearer(readOnly);
        using var refused = await AssessAsync(reader, agency);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("assessments:write", problem.GetProperty("requiredScope").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/agencies/{agency}/scorecard")).StatusCode);
        // Webhooks are admin business even to read, and the admin's read-only token may not see them.
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/webhooks")).StatusCode);

        using var writer = Bearer(writeOnly);
        using var accepted = await AssessAsync(writer, agency);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/api/v1/agencies")).StatusCode);

        // No token manages tokens or opens pages: that needs a signed-in session.
        using var mint = await reader.PostAsJsonAsync("/api/v1/tokens", new { name = "Escalate", scopes = ReadScope, expiresOn = Tomorrow() });
        Assert.Equal(HttpStatusCode.Forbidden, mint.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/flags")).StatusCode);
    }

    [Fact]
    public async Task a_token_restricted_to_an_agency_acts_for_that_agency_only()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Admin", Password, "token-scoped");
        var allowed = await RollupTestData.AgencyAsync(portal, "Token allowed agency", "health", "national", Levels);
        var other = await RollupTestData.AgencyAsync(portal, "Token other agency", "health", "national", Levels);
        using var browser = await portal.SignedInClientAsync(email, Password);
        var token = (await CreateAsync(browser, "One agency", [TokenScopes.Read, TokenScopes.AssessmentsWrite], [allowed])).GetProperty("token").GetString()!;

        using var script = Bearer(token);
        Assert.Equal(HttpStatusCode.Created, (await AssessAsync(script, allowed)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AssessAsync(script, other)).StatusCode);
    }

    [Fact]
    public async Task a_token_never_exceeds_its_owners_rights_as_they_are_now()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "AgencyLead", Password, "token-lead");
        var agency = await RollupTestData.AgencyAsync(portal, "Token lead agency", "health", "national", Levels);
        await LeadAsync(new AssignLead(agency, email, "admin@portal.local", DateTimeOffset.UtcNow));
        using var browser = await portal.SignedInClientAsync(email, Password);

        // The lead may restrict a token to an agency they lead, not to another.
        using var notTheirs = await browser.PostAsJsonAsync("/api/v1/tokens", new
        {
            name = "Someone else's", scopes = WriteScope, expiresOn = Tomorrow(), agencyIds = new[] { Demo.OtherAgency },
        });
        Assert.Equal(HttpStatusCode.BadRequest, notTheirs.StatusCode);
        Assert.Contains("agencyIds", await notTheirs.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var token = (await CreateAsync(browser, "Lead's script", [TokenScopes.Read, TokenScopes.AssessmentsWrite], [agency])).GetProperty("token").GetString()!;
        using var script = Bearer(token);
        Assert.Equal(HttpStatusCode.Created, (await AssessAsync(script, agency)).StatusCode);

        // The lead loses the agency: so does the token, at once.
        await LeadAsync(new RemoveLead(agency, email, "admin@portal.local", DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.Forbidden, (await AssessAsync(script, agency)).StatusCode);

        // The account is disabled: the token stops working altogether.
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(email))!, DateTimeOffset.MaxValue);
        }

        using var disabled = await script.GetAsync("/api/v1/agencies");
        Assert.Equal(HttpStatusCode.Unauthorized, disabled.StatusCode);
        Assert.Contains("owner-disabled", disabled.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_revoked_or_expired_token_is_refused_at_once_and_says_why()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password, "token-revoke");
        using var browser = await portal.SignedInClientAsync(email, Password);
        var revoked = await CreateAsync(browser, "To revoke", [TokenScopes.Read]);
        var expired = await CreateAsync(browser, "To expire", [TokenScopes.Read]);
        using var first = Bearer(revoked.GetProperty("token").GetString()!);
        using var second = Bearer(expired.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/agencies")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync($"/api/v1/tokens/{revoked.GetProperty("id").GetGuid()}")).StatusCode);
        using var afterRevoke = await first.GetAsync("/api/v1/agencies");
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Contains("error=\"invalid_token\", error_description=\"revoked\"", afterRevoke.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("This token has been revoked.", (await afterRevoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        await using (var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var stored = await session.LoadAsync<ApiToken>(expired.GetProperty("id").GetGuid());
            session.Store(stored! with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });
            await session.SaveChangesAsync();
        }

        using var afterExpiry = await second.GetAsync("/api/v1/agencies");
        Assert.Equal(HttpStatusCode.Unauthorized, afterExpiry.StatusCode);
        Assert.Contains("error_description=\"expired\"", afterExpiry.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        // Neither an unknown nor a malformed token gets in, and neither is a 500.
        using var unknown = Bearer("cpt_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknown.GetAsync("/api/v1/agencies")).StatusCode);
        using var malformed = Bearer("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await malformed.GetAsync("/api/v1/agencies")).StatusCode);
    }

    [Fact]
    public async Task every_token_expires_within_a_year_and_a_bad_request_names_its_fields()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password, "token-rules");
        using var browser = await portal.SignedInClientAsync(email, Password);

        using var response = await browser.PostAsJsonAsync("/api/v1/tokens", new
        {
            name = "", scopes = UnknownScope, expiresOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(400)),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("scopes", out _));
        Assert.Equal("A token may last at most 365 days.", errors.GetProperty("expiresOn")[0].GetString());

        using var noExpiry = await browser.PostAsJsonAsync("/api/v1/tokens", new { name = "Forever", scopes = ReadScope });
        Assert.Equal(HttpStatusCode.BadRequest, noExpiry.StatusCode);
        Assert.Contains("expiresOn", await noExpiry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_admin_lists_and_revokes_any_token_and_nobody_else_sees_anothers()
    {
        var ownerEmail = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password, "token-owner");
        var strangerEmail = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password, "token-stranger");
        using var owner = await portal.SignedInClientAsync(ownerEmail, Password);
        using var stranger = await portal.SignedInClientAsync(strangerEmail, Password);
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var id = (await CreateAsync(owner, "Owner's", [TokenScopes.Read])).GetProperty("id").GetGuid();

        Assert.DoesNotContain(id.ToString(), await stranger.GetStringAsync("/api/v1/tokens?all=true"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);

        Assert.Contains(id.ToString(), await admin.GetStringAsync("/api/v1/tokens?all=true"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        var listed = JsonDocument.Parse(await owner.GetStringAsync("/api/v1/tokens")).RootElement.EnumerateArray().Single();
        Assert.False(listed.GetProperty("live").GetBoolean());
        Assert.Equal(JsonValueKind.String, listed.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public void every_api_route_has_a_scope_except_token_management()
    {
        var routes = portal.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Route: e.RoutePattern.RawText!)))
            .ToList();
        Assert.True(routes.Count > 60, $"only {routes.Count} API routes found");

        var unscoped = routes.Where(r => TokenScopes.RequiredFor(r.Method, r.Route) is null).Select(r => $"{r.Method} {r.Route}").ToList();
        // Token management, and the API's reference page (a page for people, under /api by name).
        Assert.All(unscoped, r => Assert.Matches("/api/v1/tokens|/api/docs", r));
        Assert.Contains(routes, r => r.Route.StartsWith("/api/v1/tokens", StringComparison.Ordinal));
    }

    [Fact]
    public async Task the_tokens_page_creates_a_token_shows_it_once_and_revokes_it()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password, "token-page");
        using var browser = await portal.SignedInClientAsync(email, Password);

        var page = await browser.GetStringAsync("/account/tokens");
        var requestId = System.Text.RegularExpressions.Regex.Match(page, "name=\"requestId\" value=\"([0-9a-f-]{36})\"").Groups[1].Value;
        FormUrlEncodedContent Form() => new(
        [
            new("_handler", "create-token"),
            new("__RequestVerificationToken", PortalForms.AntiforgeryToken(page)),
            new("requestId", requestId),
            new("name", "From the page"),
            new("expiresOn", Tomorrow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            new("scopes", "read"),
            new("scopes", "flags:write"),
        ]);
        using var content = Form();
        using var posted = await browser.PostAsync("/account/tokens", content);
        var html = WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var token = System.Text.RegularExpressions.Regex.Match(html, "value=\"(cpt_[A-Za-z0-9_-]{43})\"[^>]*data-testid=\"token-secret\"").Groups[1].Value;
        Assert.Equal(47, token.Length);
        Assert.Contains("read, flags:write", html, StringComparison.Ordinal);

        // The same form posted again (a reload) makes nothing new and does not show the token again.
        using var repeated = Form();
        using var reposted = await browser.PostAsync("/account/tokens", repeated);
        var repostedHtml = WebUtility.HtmlDecode(await reposted.Content.ReadAsStringAsync());
        Assert.Contains("This form already created its token", repostedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(token, repostedHtml, StringComparison.Ordinal);

        var again = await browser.GetStringAsync("/account/tokens");
        Assert.DoesNotContain(token, again, StringComparison.Ordinal); // shown once
        using var script = Bearer(token);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/flags")).StatusCode);

        var id = JsonDocument.Parse(await browser.GetStringAsync("/api/v1/tokens")).RootElement.EnumerateArray().Single().GetProperty("id").GetGuid();
        using var revoke = new FormUrlEncodedContent(
        [
            new("_handler", $"revoke-{id:N}"),
            new("__RequestVerificationToken", PortalForms.AntiforgeryToken(again)),
            new("id", id.ToString()),
            new("tokenName", "From the page"),
        ]);
        using var revoked = await browser.PostAsync("/account/tokens", revoke);
        Assert.Contains("revoked: it stops working at once", WebUtility.HtmlDecode(await revoked.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/v1/flags")).StatusCode);
    }

    private HttpClient Bearer(string token)
    {
        var client = portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static DateOnly Tomorrow() => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(2));

    private static async Task<JsonElement> CreateAsync(HttpClient browser, string name, string[] scopes, Guid[]? agencyIds = null)
    {
        using var response = await browser.PostAsJsonAsync("/api/v1/tokens", new { name, scopes, expiresOn = Tomorrow(), agencyIds });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<HttpResponseMessage> AssessAsync(HttpClient client, Guid agency)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var version = (await session.LoadAsync<AgencySummary>(agency))!.Version;
        var response = await client.PostAsJsonAsync($"/api/v1/agencies/{agency}/assessments", new
        {
            indicatorId = "compute.capacity", level = 2, evidenceNote = "Assessed by a script with a token.", expectedVersion = version,
        });
        Assert.True(response.StatusCode != HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        return response;
    }

    private async Task LeadAsync(AgencyCommand command)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>().HandleAsSystemAsync(command, CancellationToken.None);
        Assert.IsType<CommandOutcome.Accepted>(outcome);
    }
}
