using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Kernel.Security;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CoordinationPortal.Web.ApiDescription;

/// <summary>
/// The API's description: an OpenAPI 3.1 document of every <c>/api</c> route at <c>/openapi/v1.json</c>, written from the
/// routes' own metadata and completed by <see cref="PortalOpenApi"/> (security, errors, concurrency, webhooks); and a
/// reference page at <c>/api/docs</c> that reads it. Both for signed-in people. A copy of the document is kept in the
/// repository (<c>docs/openapi/v1.json</c>), compared with the live one by a test, so a change to the API shows in review.
/// </summary>
public sealed class ApiDescriptionFeature : IPortalFeature
{
    public const string DocumentName = "v1";
    public const string DocumentRoute = "/openapi/{documentName}.json";
    public const string ReferencePath = Kernel.Errors.StatusPage.ApiReferencePath;

    public void AddServices(FeatureSetup setup) => setup.Services.AddOpenApi(DocumentName, o =>
    {
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        // The API only: pages, sign-in posts and dashboards are not part of it.
        o.ShouldInclude = d => d.RelativePath is { } path && path.StartsWith("api/", StringComparison.OrdinalIgnoreCase);
        o.AddDocumentTransformer(PortalOpenApi.DescribeDocumentAsync);
        o.AddOperationTransformer(PortalOpenApi.DescribeOperationAsync);
    });

    public void MapRoutes(WebApplication app)
    {
        app.MapOpenApi(DocumentRoute).RequireAuthorization().ExcludeFromDescription();
        // Everything the page needs is served by the portal: its script is embedded in the package; no telemetry, no
        // fonts from a CDN, no request proxy, no AI agent and no MCP link. It sends requests with the reader's own cookie.
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("CoordinationPortal API")
                .WithOpenApiRoutePattern(DocumentRoute)
                .AddDocument(DocumentName)
                .DisableTelemetry()
                .DisableDefaultFonts()
                .DisableAgent()
                .DisableMcp()
                .HideDarkModeToggle())
            .AllowInlineScripts() // the page's one inline script (its configuration), by hash; nothing else inline
            .RequireAuthorization()
            .ExcludeFromDescription();
    }
}
