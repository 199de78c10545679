using System.Text;
using CoordinationPortal.Web.Notifications.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CoordinationPortal.Web.ApiDescription;

/// <summary>
/// What the routes' metadata cannot say about the API, added to the generated document: how to authenticate (the
/// sign-in cookie or a personal API token, on every route that is not anonymous), the errors every route shares
/// (ProblemDetails bodies), optimistic concurrency (<c>expectedVersion</c> and its <c>409</c>), and the signed webhooks
/// the portal sends.
/// </summary>
internal static class PortalOpenApi
{
    public const string CookieScheme = "cookie";
    public const string BearerScheme = "bearer";
    private const string Problem = "application/problem+json";

    private const string Description = """
        The CoordinationPortal API: agencies' readiness scorecards, probed inference endpoints, out-of-step flags,
        working groups, forums, briefings, notifications and webhooks.

        **Authentication.** Every route needs a signed-in person: either the portal's sign-in cookie (`portal.auth`,
        as the browser sends it; a change made with the cookie must also come from the portal's own origin) or a
        personal API token sent as `Authorization: Bearer cpt_…`. A token does no more than its owner may do at the
        time of the request, and its scopes narrow that further: `read` for every `GET`; `assessments:write`,
        `endpoints:write`, `flags:write`, `working-groups:write`, `webhooks:admin` or `imports:write` for changes.
        Tokens are created on the *API tokens* page or with `POST /api/v1/tokens` (cookie only).

        **Errors** are `application/problem+json` (RFC 9457) in the request's language (`Accept-Language: hi` for
        Hindi): `400` with an `errors` map of field → messages, and `codes` with the portal's stable error codes; `401`
        without a valid sign-in or token; `403` when the role, agency or token scope does not allow it; `404` for an
        unknown id; `429` when a client sends too much.

        **Optimistic concurrency.** Records that people edit carry a `version`. A change sends the version it was based
        on as `expectedVersion`; if the record changed since, the answer is `409 Conflict` with the `currentVersion`,
        and nothing is written: read it again, and decide.

        **Webhooks.** An admin subscribes a URL to flag events; each delivery is signed (see the `webhooks` section).
        """;

    public static async Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "CoordinationPortal API",
            Version = "v1",
            Description = Description,
        };
        document.Servers = [new OpenApiServer { Url = "/", Description = "This portal" }];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "portal.auth",
            Description = "The portal's sign-in cookie, set by signing in on the portal's page. A change (POST, PUT, DELETE) made with it must come from the portal's own origin.",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "cpt_ followed by 43 characters",
            Description = "A personal API token, limited by its scopes, its agencies and its owner's rights at the time of the request.",
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
        ];

        var flagEvent = await context.GetOrCreateSchemaAsync(typeof(FlagEventPayload), null, ct);
        document.AddComponent(nameof(FlagEventPayload), flagEvent);
        var testEvent = await context.GetOrCreateSchemaAsync(typeof(TestPayload), null, ct);
        document.AddComponent(nameof(TestPayload), testEvent);
        document.Webhooks = new Dictionary<string, IOpenApiPathItem>
        {
            [WebhookEvents.FlagRaised] = Webhook(document, "flagRaised", nameof(FlagEventPayload), "A flag was raised (or raised again) on an agency."),
            [WebhookEvents.FlagResolved] = Webhook(document, "flagResolved", nameof(FlagEventPayload), "A flag was resolved."),
            [WebhookEvents.Test] = Webhook(document, "webhookTest", nameof(TestPayload), "An admin's test delivery, sent to one subscription whatever its events."),
        };

        // Each tag the routes use, described; in the order the routes are mapped.
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var text))
            {
                tag.Description = text;
            }
        }
    }

    public static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var route = description.RelativePath ?? "";
        operation.OperationId ??= OperationId(description.HttpMethod ?? "GET", route);
        operation.Responses ??= new OpenApiResponses();

        if (anonymous)
        {
            // Reached without signing in (e.g. with a link's own secret): no security requirement.
            operation.Security = [];
        }

        var hasInput = operation.RequestBody is not null || operation.Parameters is { Count: > 0 };
        if (hasInput)
        {
            await AddProblemAsync(operation, context, "400", typeof(HttpValidationProblemDetails),
                "The request is malformed or a value is not allowed: `errors` names each field, `codes` the portal's error codes.", ct);
        }

        if (!anonymous)
        {
            await AddProblemAsync(operation, context, "401", typeof(ProblemDetails), "Not signed in, or the token is missing, expired or revoked.", ct);
            await AddProblemAsync(operation, context, "403", typeof(ProblemDetails), "The role, the agency or the token's scopes do not allow this.", ct);
        }

        if (route.Contains('{', StringComparison.Ordinal))
        {
            await AddProblemAsync(operation, context, "404", typeof(ProblemDetails), "No such record (or none this person may see).", ct);
        }

        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body && p.Type.GetProperty("ExpectedVersion") is not null))
        {
            await AddProblemAsync(operation, context, "409", typeof(ProblemDetails),
                "The record changed since `expectedVersion`: nothing was written. The body carries `currentVersion`.", ct);
        }

        await AddProblemAsync(operation, context, "429", typeof(ProblemDetails), "Too many requests from this client: wait and try again (`Retry-After`).", ct);
    }

    private static async Task AddProblemAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, Type type, string text, CancellationToken ct)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        var name = type.Name;
        if (context.Document is { } document)
        {
            if (document.Components?.Schemas?.ContainsKey(name) != true)
            {
                document.AddComponent(name, await context.GetOrCreateSchemaAsync(type, null, ct));
            }

            operation.Responses[status] = new OpenApiResponse
            {
                Description = text,
                Content = new Dictionary<string, OpenApiMediaType> { [Problem] = new() { Schema = new OpenApiSchemaReference(name, document) } },
            };
        }
    }

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Agencies"] = "Agencies and their readiness scorecards: indicators on five layers, assessed, reviewed and kept as history.",
        ["Endpoints"] = "Registered inference endpoints, probed live against their service-level objectives.",
        ["Flags"] = "Out-of-step flags: layers of an agency that have fallen out of step, raised and resolved by the portal.",
        ["Tokens"] = "Personal API tokens: created, listed and revoked with the sign-in cookie only.",
        ["Notifications"] = "In-portal notifications for the signed-in person.",
        ["Webhooks"] = "Admins' webhook subscriptions and their signing secrets.",
        ["Working groups"] = "Working groups with their member agencies, people, sessions, minutes, decisions, initiatives and action items.",
        ["Polls"] = "Polls during a forum session: opened, voted, closed, revealed and recorded as decisions.",
        ["Forum"] = "The room screen of a forum session and the links that open it without signing in.",
        ["Briefings"] = "PDF briefings for policymakers, generated in the background, with a CSV annex.",
        ["Imports"] = "Spreadsheet imports of scorecards: a dry run that lists every change, then the import.",
        ["Spreadsheets"] = "Scorecards, the portfolio, the flags board and action items as XLSX and CSV.",
    };

    private static OpenApiPathItem Webhook(OpenApiDocument document, string operationId, string schema, string summary) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Post] = new()
            {
                Summary = summary,
                Description = """
                    A `POST` of the event as JSON to the subscription's URL. `X-Portal-Signature` is `sha256=` and the hex
                    HMAC-SHA256 of `"{X-Portal-Timestamp}.{body}"` under the subscription's secret; during a secret's
                    rotation overlap `X-Portal-Signature-Previous` carries the same under the previous secret. Check the
                    signature in constant time and reject old timestamps. Any `2xx` answer counts as delivered; anything
                    else is retried with a growing wait, with the same `X-Portal-Delivery`. Redirects are not followed.
                    Bodies stay under 64 KiB.
                    """,
                OperationId = operationId,
                Parameters =
                [
                    Header("X-Portal-Event", "The event: `flag.raised`, `flag.resolved` or `webhook.test`.", true),
                    Header("X-Portal-Delivery", "The delivery's id, the same on every retry: use it to ignore repeats.", true),
                    Header("X-Portal-Timestamp", "When this attempt was signed, in Unix seconds.", true),
                    Header("X-Portal-Signature", "`sha256=` and the hex HMAC-SHA256 of `\"{timestamp}.{body}\"` under the secret.", true),
                    Header("X-Portal-Signature-Previous", "The same under the previous secret, during a rotation's overlap only.", false),
                ],
                RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(schema, document) } },
                },
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Delivered (any 2xx)." },
                    ["default"] = new OpenApiResponse { Description = "Not delivered: retried later." },
                },
                Security = [],
            },
        },
    };

    private static OpenApiParameter Header(string name, string description, bool required) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    /// <summary>A stable name for an operation from its method and route, e.g. <c>getAgenciesIdScorecard</c>.</summary>
    internal static string OperationId(string method, string route)
    {
        var name = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in route.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(2))
        {
            var word = segment.Trim('{', '}');
            var colon = word.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                word = word[..colon];
            }

            foreach (var part in word.Split('-', '.', '_'))
            {
                if (part.Length > 0)
                {
                    name.Append(char.ToUpperInvariant(part[0])).Append(part.AsSpan(1));
                }
            }
        }

        return name.ToString();
    }
}
