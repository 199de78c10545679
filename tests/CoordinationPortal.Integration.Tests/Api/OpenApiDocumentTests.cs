using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoordinationPortal.Integration.Tests.Identity;
using CoordinationPortal.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Api;

/// <summary>
/// The OpenAPI document the portal serves at <c>/openapi/v1.json</c>: it names every API route the portal maps (read from
/// the routing table, so a new route without a description fails here), with its responses and errors, both ways to
/// authenticate and the signed webhooks; and it is the same document as the repository's <c>docs/openapi/v1.json</c>, so a
/// change to the API shows in review. <c>UPDATE_OPENAPI=1</c> writes the repository's copy from the portal's.
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class OpenApiDocumentTests(PortalFixture portal)
{
    private const string Password = "harbour lantern pepper quill";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head"];

    [Fact]
    public async Task the_document_describes_every_mapped_api_route_with_its_answers_and_errors()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();

        var mapped = portal.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && ("/" + raw.TrimStart('/')).StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
                && !("/" + raw.TrimStart('/')).StartsWith("/api/docs", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Method: m.ToLowerInvariant(), Path: Normalise(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();
        Assert.True(mapped.Count > 60, $"only {mapped.Count} API routes found");

        var missing = new List<string>();
        var incomplete = new List<string>();
        foreach (var (method, path) in mapped)
        {
            if (paths[path]?[method] is not JsonObject operation)
            {
                missing.Add($"{method.ToUpperInvariant()} {path}");
                continue;
            }

            var responses = operation["responses"]!.AsObject();
            var success = responses.Where(r => r.Key.StartsWith('2') || r.Key.StartsWith('3')).ToList();
            if (success.Count == 0)
            {
                incomplete.Add($"{method.ToUpperInvariant()} {path}: no success answer");
            }
            else if (method == "get" && !success.Any(r => r.Value?["content"] is JsonObject { Count: > 0 }))
            {
                incomplete.Add($"{method.ToUpperInvariant()} {path}: a read without a described body");
            }

            if (string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()))
            {
                incomplete.Add($"{method.ToUpperInvariant()} {path}: no summary");
            }

            if (responses["401"]?["content"]?["application/problem+json"] is null && operation["security"] is not JsonArray { Count: 0 })
            {
                incomplete.Add($"{method.ToUpperInvariant()} {path}: no 401 ProblemDetails");
            }
        }

        Assert.True(missing.Count == 0, "Mapped but not in the document:\n" + string.Join('\n', missing));
        Assert.True(incomplete.Count == 0, "Described incompletely:\n" + string.Join('\n', incomplete));

        // Nothing in the document that the portal does not map.
        var described = paths.SelectMany(p => p.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => (o.Key, p.Key)));
        Assert.Empty(described.Except(mapped));
    }

    [Fact]
    public async Task the_document_names_both_ways_in_concurrency_errors_and_the_signed_webhooks()
    {
        var document = await DocumentAsync();
        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);

        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("cookie", schemes["cookie"]!["in"]!.GetValue<string>());
        Assert.Equal("portal.auth", schemes["cookie"]!["name"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal(2, document["security"]!.AsArray().Count);

        // Optimistic concurrency: an assessment carries expectedVersion and may answer 409 with a ProblemDetails.
        var assess = document["paths"]!["/api/v1/agencies/{id}/assessments"]!["post"]!;
        Assert.NotNull(assess["responses"]!["409"]!["content"]!["application/problem+json"]);
        var body = assess["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        var schema = document["components"]!["schemas"]![body.Split('/')[^1]]!;
        Assert.NotNull(schema["properties"]!["expectedVersion"]);
        Assert.NotNull(assess["responses"]!["400"]!["content"]!["application/problem+json"]);

        var webhooks = document["webhooks"]!.AsObject();
        Assert.Equal(["flag.raised", "flag.resolved", "webhook.test"], webhooks.Select(w => w.Key).Order(StringComparer.Ordinal));
        var raised = webhooks["flag.raised"]!["post"]!;
        Assert.Contains(raised["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "X-Portal-Signature");
        var payload = raised["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        Assert.NotNull(document["components"]!["schemas"]![payload.Split('/')[^1]]!["properties"]!["flag"]);
    }

    [Fact]
    public async Task the_repository_keeps_the_document_the_portal_serves()
    {
        var served = (await DocumentAsync()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var file = Path.Combine(RepositoryRoot(), "docs", "openapi", "v1.json");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(file, served);
        }

        Assert.True(File.Exists(file), $"{file} is missing: run the integration tests with UPDATE_OPENAPI=1 to write it.");
        var kept = await File.ReadAllTextAsync(file);
        Assert.True(kept.ReplaceLineEndings("\n") == served,
            "docs/openapi/v1.json differs from the document the portal serves: run the integration tests with UPDATE_OPENAPI=1 " +
            "(dotnet test tests/CoordinationPortal.Integration.Tests -c Release --filter OpenApiDocumentTests) and commit the change.");
    }

    [Fact]
    public async Task the_document_and_the_reference_page_are_for_signed_in_people_and_load_nothing_from_elsewhere()
    {
        using var anonymous = portal.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        var page = await anonymous.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/login", page.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);

        var email = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password, "openapi-page");
        using var browser = await portal.SignedInClientAsync(email, Password);
        var html = await browser.GetStringAsync("/api/docs/"); // "/api/docs" redirects here
        Assert.Contains("<title>CoordinationPortal API</title>", html, StringComparison.Ordinal); // (the browser test sees it draw the document)
        // Everything it loads is the portal's own: no absolute address to another host in the page.
        Assert.DoesNotContain(ExternalAddress().Matches(html).Select(m => m.Value), u => !u.StartsWith("http://localhost", StringComparison.Ordinal));
    }

    private async Task<JsonObject> DocumentAsync()
    {
        var email = await Accounts.CreateAsync(portal.Factory.Services, "Viewer", Password, "openapi-reader");
        using var browser = await portal.SignedInClientAsync(email, Password);
        var response = await browser.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>
    /// <c>api/v1/agencies/{id:guid}/scorecard</c> → <c>/api/v1/agencies/{id}/scorecard</c>, and a group's root
    /// <c>/api/v1/tokens/</c> → <c>/api/v1/tokens</c>, as OpenAPI writes paths.
    /// </summary>
    private static string Normalise(string raw) => "/" + Constraint().Replace(raw.Trim('/'), "{$1}");

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CoordinationPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (CoordinationPortal.sln) was not found above the test's folder.");
    }

    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex Constraint();

    [GeneratedRegex(@"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^""'\s)]*")]
    private static partial Regex ExternalAddress();
}
