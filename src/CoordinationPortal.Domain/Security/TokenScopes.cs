namespace CoordinationPortal.Domain.Security;

/// <summary>
/// What a personal API token may do. A token never does more than its owner may do at the time of the request; its
/// scopes narrow that further. <see cref="RequiredFor"/> is the one table of which scope each API request needs.
/// </summary>
public static class TokenScopes
{
    /// <summary>Every read (GET) of the API the owner may read.</summary>
    public const string Read = "read";

    public const string AssessmentsWrite = "assessments:write";
    public const string EndpointsWrite = "endpoints:write";
    public const string FlagsWrite = "flags:write";
    public const string WorkingGroupsWrite = "working-groups:write";
    public const string WebhooksAdmin = "webhooks:admin";
    public const string ImportsWrite = "imports:write";

    public static IReadOnlyList<string> All { get; } =
        [Read, AssessmentsWrite, EndpointsWrite, FlagsWrite, WorkingGroupsWrite, WebhooksAdmin, ImportsWrite];

    /// <summary>Writes under these route prefixes need this scope (the first prefix that matches wins).</summary>
    private static readonly (string Prefix, string Scope)[] Writes =
    [
        ("/api/v1/agencies", AssessmentsWrite),
        ("/api/v1/imports", ImportsWrite),
        ("/api/v1/endpoints", EndpointsWrite),
        ("/api/v1/probe-allowlist", EndpointsWrite),
        ("/api/v1/flags", FlagsWrite),
        ("/api/v1/working-groups", WorkingGroupsWrite),
        ("/api/v1/sessions", WorkingGroupsWrite),
        ("/api/v1/action-items", WorkingGroupsWrite),
        ("/api/v1/polls", WorkingGroupsWrite),
        ("/api/v1/webhooks", WebhooksAdmin),
        // Marking one's own notifications read changes nothing anyone else sees.
        ("/api/v1/notifications", Read),
    ];

    /// <summary>
    /// The scope a token needs for <paramref name="method"/> on the route <paramref name="routePattern"/> (as mapped,
    /// e.g. <c>/api/v1/agencies/{id:guid}/assessments</c>), or null when no token may make the request at all: anything
    /// outside the API (pages, sign-out), managing tokens (a token cannot mint or see tokens), and any write the table
    /// does not name (refused until it is given a scope).
    /// </summary>
    public static string? RequiredFor(string method, string routePattern)
    {
        var route = "/" + routePattern.Trim().TrimStart('/');
        // The API's description may be read with a token, so a script can check what it talks to.
        if (Under(route, "/openapi") && HttpMethodIsRead(method))
        {
            return Read;
        }

        // The API's reference page (/api/docs) is a page for people, under /api by name only.
        if (!Under(route, "/api") || Under(route, "/api/v1/tokens") || Under(route, "/api/docs"))
        {
            return null;
        }

        // Webhook subscriptions carry their receivers and secret state: admin business, read or write.
        if (Under(route, "/api/v1/webhooks"))
        {
            return WebhooksAdmin;
        }

        if (HttpMethodIsRead(method))
        {
            return Read;
        }

        foreach (var (prefix, scope) in Writes)
        {
            if (Under(route, prefix))
            {
                return scope;
            }
        }

        return null;
    }

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);

    private static bool HttpMethodIsRead(string method) =>
        string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);

    private static bool Under(string route, string prefix) =>
        route.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && (route.Length == prefix.Length || route[prefix.Length] == '/');
}
