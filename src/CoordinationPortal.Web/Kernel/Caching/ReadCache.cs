using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CoordinationPortal.Web.Kernel.Changes;
using Microsoft.AspNetCore.OutputCaching;

namespace CoordinationPortal.Web.Kernel.Caching;

/// <summary>
/// The kinds of data a cached read page or API answer is made of. Each is a tag of the output cache, evicted when a
/// change of that kind is committed (<see cref="ReadCacheInvalidator"/>).
/// </summary>
public static class ReadCacheTags
{
    public const string Agencies = "data:agencies";
    public const string Flags = "data:flags";
    public const string Endpoints = "data:endpoints";
    public const string Probes = "data:probes";
    public const string WorkingGroups = "data:working-groups";

    public static readonly IReadOnlyList<string> All = [Agencies, Flags, Endpoints, Probes, WorkingGroups];

    /// <summary>The tags a change of <paramref name="kind"/> makes stale; every tag for a resync or a kind not known here.</summary>
    public static IReadOnlyList<string> For(string kind) => kind switch
    {
        ChangeKinds.Scorecard or ChangeKinds.Agency => [Agencies],
        ChangeKinds.Flag => [Flags],
        ChangeKinds.Endpoint or ChangeKinds.EndpointHealth => [Endpoints],
        ChangeKinds.ProbeRecorded or ChangeKinds.ProbeWindows => [Probes],
        ChangeKinds.WorkingGroup or ChangeKinds.GroupSession or ChangeKinds.ActionItem or ChangeKinds.Poll => [WorkingGroups],
        // An account change ends sessions before any cached answer is reached (the session check runs first).
        ChangeKinds.ForumScreen or ChangeKinds.ScreenLink or ChangeKinds.Account => [],
        _ => All,
    };
}

/// <summary>
/// A counter per tag, moved on every change of that kind. It is part of every cache key, so an answer rendered from data
/// read before a change can never be served after it, even when that render finishes (and is stored) after the eviction.
/// </summary>
public sealed class ReadCacheGenerations
{
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    public long Current(string tag) => _generations.GetValueOrDefault(tag);

    public void Move(IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            _generations.AddOrUpdate(tag, 1, (_, n) => n + 1);
        }
    }
}

/// <summary>
/// Evicts cached answers when data changes: at once in the process that committed the change (so a user's own write is
/// visible on the very next read, e.g. the GET after a POST's redirect), and in every process when the change feed
/// delivers the notice (a write in any process).
/// </summary>
public sealed class ReadCacheInvalidator(ReadCacheGenerations generations, IOutputCacheStore store) : IChangeSubscriber, ICommitObserver
{
    public void OnCommitted(PortalChange change)
    {
        var tags = ReadCacheTags.For(change.Kind);
        generations.Move(tags); // what makes the next read fresh; the eviction below only frees the memory
        foreach (var tag in tags)
        {
            _ = store.EvictByTagAsync(tag, CancellationToken.None).AsTask();
        }
    }

    public async Task OnChangeAsync(PortalChange change, CancellationToken ct)
    {
        var tags = ReadCacheTags.For(change.Kind);
        generations.Move(tags);
        foreach (var tag in tags)
        {
            await store.EvictByTagAsync(tag, ct);
        }
    }
}

/// <summary>A cacheable read: a path template (segments in braces match a GUID) and the kinds of data it shows.</summary>
public sealed class ReadCacheRoute(string template, params string[] tags)
{
    private readonly string[] _segments = template.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> Tags { get; } = tags;

    public bool Matches(PathString path)
    {
        var parts = (path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var ok = _segments[i].StartsWith('{')
                ? Guid.TryParseExact(parts[i], "D", out _)
                : string.Equals(parts[i], _segments[i], StringComparison.OrdinalIgnoreCase);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// The output-cache policy of the portal's read pages and API answers. Only a signed-in GET (or HEAD) of a listed route
/// is cached, only a 200 that sets no cookie, for at most <c>expiry</c>. The key holds the user's id and roles (pages
/// carry the user's name and an antiforgery token made for that user, so nothing is shared between users, not even of
/// the same role), a hash of the browser's antiforgery cookie (the token in a page is valid only with that cookie), the
/// UI language, the whole query string, the encodings accepted (the cache stores compressed bodies), whether the request
/// is Blazor's enhanced navigation, and the generation of every kind of data the route shows.
/// </summary>
public sealed class ReadCachePolicy(IReadOnlyList<ReadCacheRoute> routes, ReadCacheGenerations generations, string antiforgeryCookie, TimeSpan expiry)
    : IOutputCachePolicy
{
    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var route = routes.FirstOrDefault(r => r.Matches(request.Path));
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (route is null || userId is null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return ValueTask.CompletedTask;
        }

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = expiry;
        foreach (var tag in route.Tags)
        {
            context.Tags.Add(tag);
        }

        var vary = context.CacheVaryByRules;
        vary.QueryKeys = "*";
        vary.HeaderNames = new Microsoft.Extensions.Primitives.StringValues(["Accept-Encoding", "Accept", "blazor-enhanced-nav"]);
        vary.VaryByValues["user"] = userId;
        vary.VaryByValues["roles"] = string.Join(',', http.User.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal));
        vary.VaryByValues["lang"] = CultureInfo.CurrentUICulture.Name;
        vary.VaryByValues["af"] = request.Cookies.TryGetValue(antiforgeryCookie, out var cookie) ? Hash(cookie) : "";
        vary.VaryByValues["data"] = string.Join(',', route.Tags.Select(t => generations.Current(t).ToString(CultureInfo.InvariantCulture)));
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK
            || response.Headers.SetCookie.Count > 0
            || response.Headers.ContainsKey("blazor-enhanced-nav-redirect-location")
            || (response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }

    private static string Hash(string value) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 18);
}
