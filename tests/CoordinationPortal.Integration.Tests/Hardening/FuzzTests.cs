using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Hardening;

/// <summary>
/// A bounded, seeded fuzz of every route the portal maps — read from its EndpointDataSource, so a new route is fuzzed
/// without touching this test — and of every form its pages render: malformed route values, query strings, JSON bodies,
/// content types and form fields, as an admin, as a lead (cookie and antiforgery token as a browser sends them) and
/// anonymously. Not one answer may be a 5xx, and no connection may drop. It runs on a portal and demo data of its own,
/// since some requests succeed and change things. FUZZ_SEED and FUZZ_ROUNDS replay or widen a run.
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class FuzzTests(PortalFixture portal, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] Texts =
    [
        "\0", "a\0b", "\u0001", "tab\there", "line\r\nbreak", "\u007f", "\ud800", "\udfff x", "😀", "नमस्ते", "\u202eevil",
        "", " ", new string('x', 5000), "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "%", "{}",
        "null", "-1", "0", "2147483648", "99999999999999999999999", "1e309", "NaN", "9999-12-31", "0001-01-01", "2026-02-30",
        "00000000-0000-0000-0000-000000000000", "true", "https://127.0.0.1/", "http://[::1]/", "javascript:alert(1)",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=bogus", "application/json; charset=utf-16", "application/json; charset=\"utf-8\"",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/problem+json", "application/json;;;",
    ];

    private static readonly string[] RawBodies =
    [
        "", "{", "}", "null", "[]", "\"text\"", "123", "{\"a\":", "{\"a\":\"\\u0000\"}", "{\"\\u0000\":1}", "{\"x\":\"\\ud800\"}",
        new string('[', 5000), "\u0000", "{\"expectedVersion\":1e400}", "{\"level\":\"3\"}", "\xEF\xBB\xBF{}",
    ];

    [Fact]
    public async Task thousands_of_malformed_requests_to_every_route_and_form_get_no_5xx_and_drop_no_connection()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var s) ? s : 20261206;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ROUNDS"), out var r) ? r : 10;
        var random = new Random(seed);
        var database = await ScratchDatabase.CreateAsync(portal, "fuzz");
        await using var factory = new PortalHostFactory(database, seedDemo: true, portal.ProbeSettings);
        var clients = new List<(string Who, HttpClient Client)>
        {
            ("admin", await SignedInAsync(factory, Demo.Admin.Email, Demo.Admin.Password)),
            ("lead", await SignedInAsync(factory, Demo.Lead.Email, Demo.Lead.Password)),
            ("anonymous", factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true })),
        };
        var ids = await KnownIdsAsync(clients[0].Client);
        var routes = Routes(factory.Services);
        Assert.Contains(routes, e => e.RoutePattern.RawText!.StartsWith("/api/v1/agencies", StringComparison.Ordinal));
        Assert.Contains(routes, e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null);

        var failures = new List<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        async Task SendAsync(HttpClient client, string who, HttpRequestMessage request)
        {
            sent++;
            var described = $"{who} {request.Method} {request.RequestUri} [{request.Content?.Headers.ContentType}]";
            try
            {
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{(int)response.StatusCode} {described}: {Excerpt(await response.Content.ReadAsStringAsync())}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException)
            {
                failures.Add($"dropped {described}: {e.GetType().Name} {e.GetBaseException().Message}");
            }
            finally
            {
                request.Dispose();
            }
        }

        // Every mapped route, each method it takes and now and then one it does not.
        for (var round = 0; round < rounds; round++)
        {
            // The API routes get most of the requests: they are cheap and take the most kinds of input; a page costs a render.
            foreach (var endpoint in routes.SelectMany(e => Enumerable.Repeat(e, e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) ? 6 : 1)))
            {
                var (who, client) = clients[random.Next(clients.Count)];
                var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
                var method = random.Next(10) == 0 ? Pick(random, ["GET", "POST", "PUT", "DELETE", "PATCH"]) : Pick(random, methods.ToArray());
                var request = new HttpRequestMessage(new HttpMethod(method), Url(endpoint, ids, random));
                if (method is "POST" or "PUT" or "PATCH" || random.Next(6) == 0)
                {
                    request.Content = Body(endpoint, random);
                }

                if (random.Next(4) == 0)
                {
                    request.Headers.TryAddWithoutValidation("Accept-Language", Pick(random, ["hi-IN", "hi", "xx-\0", "en;q=abc", ""]));
                }

                await SendAsync(client, who, request);
            }
        }

        // Every form the pages render, posted as a browser would (with its antiforgery token), with malformed fields.
        var pages = routes.Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null && !e.RoutePattern.RawText!.Contains("logout", StringComparison.Ordinal)).ToList();
        foreach (var (who, client) in clients.Take(2))
        {
            foreach (var page in pages)
            {
                var path = Url(page, ids, random, malformed: false);
                using var get = await client.GetAsync(new Uri(path, UriKind.Relative));
                sent++;
                if ((int)get.StatusCode >= 500)
                {
                    failures.Add($"{(int)get.StatusCode} {who} GET {path}");
                    continue;
                }

                var html = await get.Content.ReadAsStringAsync();
                foreach (Match form in Form().Matches(html))
                {
                    var action = WebUtility.HtmlDecode(Attribute(form.Value, "action") ?? path);
                    if (action.Contains("logout", StringComparison.Ordinal) || !action.StartsWith('/'))
                    {
                        continue;
                    }

                    var fields = Field().Matches(form.Value).Select(m => (Name: WebUtility.HtmlDecode(m.Groups[2].Value), Value: WebUtility.HtmlDecode(Attribute(m.Value, "value") ?? ""))).ToList();
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        var values = fields.Select(f => new KeyValuePair<string, string>(
                            f.Name,
                            f.Name is "__RequestVerificationToken" or "_handler" || random.Next(3) == 0 ? f.Value : Pick(random, Texts))).ToList();
                        var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(values) };
                        await SendAsync(client, who, request);
                    }
                }
            }
        }

        foreach (var (_, client) in clients)
        {
            client.Dispose();
        }

        output.WriteLine($"seed {seed}: {sent} requests to {routes.Count} routes and the forms of {pages.Count} pages in {clock.Elapsed.TotalSeconds:0} s, {failures.Count} failed");
        Assert.True(sent >= 2000, $"only {sent} requests were sent");
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} of {sent} requests failed in {clock.Elapsed.TotalSeconds:0} s:\n" + string.Join("\n", failures.Take(25)));
    }

    private static async Task<HttpClient> SignedInAsync(PortalHostFactory factory, string email, string password)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await PortalForms.SignInAsync(client, email, password);
        return client;
    }

    /// <summary>Ids the API lists (agencies, endpoints, flags, webhooks), so some requests reach real records.</summary>
    private static async Task<List<string>> KnownIdsAsync(HttpClient admin)
    {
        var ids = new List<string> { Demo.LedAgency.ToString(), Demo.OtherAgency.ToString() };
        foreach (var list in new[] { "/api/v1/agencies", "/api/v1/endpoints", "/api/v1/flags", "/api/v1/webhooks" })
        {
            var json = await admin.GetStringAsync(new Uri(list, UriKind.Relative));
            ids.AddRange(JsonSerializer.Deserialize<JsonElement>(json).EnumerateArray().Take(5).Select(e => e.GetProperty("id").GetString()!));
        }

        return ids;
    }

    private static List<RouteEndpoint> Routes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw
                && !raw.Contains("_blazor", StringComparison.Ordinal) && !raw.Contains("_framework", StringComparison.Ordinal)
                && !raw.Contains("_content", StringComparison.Ordinal) && !raw.Contains("logout", StringComparison.Ordinal)
                && !Path.HasExtension(raw.Split('/')[^1].Split('{')[0]))
            .ToList();

    /// <summary>The route with its parameters filled: a known id, a fresh or all-zero GUID, or (when malformed) junk.</summary>
    private static string Url(RouteEndpoint endpoint, List<string> ids, Random random, bool malformed = true)
    {
        var raw = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
        var url = Parameter().Replace(raw, m =>
        {
            var isGuid = m.Value.Contains(":guid", StringComparison.Ordinal);
            var choice = random.Next(malformed ? 6 : 2);
            return choice switch
            {
                0 when isGuid => Pick(random, ids.ToArray()),
                0 or 1 => isGuid ? Guid.NewGuid().ToString() : "x",
                2 => Guid.Empty.ToString(),
                // %00 itself never reaches an application behind Kestrel (it answers 400), and the test server refuses to send it.
                3 => Pick(random, ["%01", "%7F", "%09", "%0D%0A"]),
                4 => Uri.EscapeDataString(Pick(random, Texts.Where(t => !t.Contains('\0', StringComparison.Ordinal)).ToArray())),
                _ => "not-a-guid",
            };
        });
        var query = new StringBuilder();
        foreach (var name in QueryNames(endpoint))
        {
            if (random.Next(3) != 0)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(Pick(random, Texts)));
            }
        }

        if (malformed && random.Next(5) == 0)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(Pick(random, ["%00=1", "page=%ED%A0%80", "a=%", "asOf=9999-12-31", "culture=%00", "returnUrl=/%09/x"]));
        }

        return url + query;
    }

    /// <summary>The query parameters a minimal API handler takes (pages: the usual ones).</summary>
    private static IEnumerable<string> QueryNames(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return ["asOf", "page", "kind", "sector", "q", "returnUrl"];
        }

        var route = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return handler.GetParameters()
            .Where(p => p.Name is not null && !route.Contains(p.Name) && IsSimple(p.ParameterType))
            .Select(p => p.Name!);
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Guid) || t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(decimal);
    }

    /// <summary>A body for the handler's complex parameter with malformed values, or malformed JSON, under a content type that may be wrong.</summary>
    private static StringContent Body(RouteEndpoint endpoint, Random random)
    {
        string json;
        var bodyType = endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .Select(p => p.ParameterType).FirstOrDefault(t => !IsSimple(t) && t.Namespace?.StartsWith("CoordinationPortal", StringComparison.Ordinal) == true && t.GetConstructors().Length > 0 && !t.IsInterface);
        if (bodyType is not null && random.Next(4) != 0)
        {
            var properties = bodyType.GetProperties().Where(p => p.CanRead).ToList();
            var body = new StringBuilder("{");
            foreach (var property in properties.Where(_ => random.Next(4) != 0))
            {
                if (body.Length > 1)
                {
                    body.Append(',');
                }

                body.Append(JsonSerializer.Serialize(char.ToLowerInvariant(property.Name[0]) + property.Name[1..])).Append(':').Append(Value(property.PropertyType, random));
            }

            json = body.Append('}').ToString();
        }
        else
        {
            json = Pick(random, RawBodies);
        }

        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", random.Next(3) == 0 ? Pick(random, ContentTypes) : "application/json");
        return content;
    }

    private static string Value(Type type, Random random)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return random.Next(5) switch
        {
            0 => Pick(random, ["null", "[]", "{}", "1e400", "-9223372036854775809", "\"\\u0000\"", "true", "\"\\ud800\""]),
            _ when t == typeof(string) => JsonSerializer.Serialize(Pick(random, Texts)),
            _ when t == typeof(int) || t == typeof(long) => Pick(random, ["0", "-1", "2147483647", "9223372036854775807", "3", "1.5"]),
            _ when t == typeof(bool) => Pick(random, ["true", "false", "\"yes\""]),
            _ when t.IsEnum || t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(Guid) =>
                JsonSerializer.Serialize(Pick(random, ["9999-12-31", "0001-01-01", "2026-02-30", Guid.Empty.ToString(), "Nonsense", "\0", "2026-01-01T00:00:00+14:00"])),
            _ => "[" + JsonSerializer.Serialize(Pick(random, Texts)) + "]",
        };
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string? Attribute(string element, string name) =>
        Regex.Match(element, $"{name}=\"([^\"]*)\"", RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } m ? m.Groups[1].Value : null;

    private static string Excerpt(string body) => body.Length > 300 ? body[..300] : body;

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    [GeneratedRegex("<form[^>]*method=\"post\"[\\s\\S]*?</form>", RegexOptions.IgnoreCase)]
    private static partial Regex Form();

    [GeneratedRegex("<(input|select|textarea)[^>]*name=\"([^\"]+)\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Field();
}
