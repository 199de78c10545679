using System.Security.Claims;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.WorkingGroups;
using Marten;

namespace CoordinationPortal.Web.Forum.Links;

// TEMPORARY stand-in written on the screen branch against the agreed signature, so the screen compiles and its tests
// run before the lead's ScreenAccess lands on main. It knows members only (no links: every link is invalid). The
// lead's file replaces this one at merge.

public enum ScreenDenial
{
    NotFound,
    SignInRequired,
    Forbidden,
    LinkInvalid,
    LinkExpired,
    LinkRevoked,
}

public sealed record ScreenAccessResult
{
    public bool Allowed { get; init; }
    public ScreenDenial? Denial { get; init; }
    public GroupSession? Session { get; init; }
    public WorkingGroup? Group { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

public sealed class ScreenAccess(IQuerySession query, GroupReaders readers)
{
    public async Task<ScreenAccessResult> CheckAsync(ClaimsPrincipal user, Guid sessionId, string? link, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var session = await query.LoadAsync<GroupSession>(sessionId, ct);
        var group = session is null ? null : await query.LoadAsync<WorkingGroup>(session.GroupId, ct);
        if (session is null || group is null)
        {
            return new ScreenAccessResult { Denial = ScreenDenial.NotFound };
        }

        if (user.Identity?.IsAuthenticated == true && GroupAccess.For(group, await readers.ForAsync(user, ct)).ReadsAll)
        {
            return new ScreenAccessResult { Allowed = true, Session = session, Group = group };
        }

        return new ScreenAccessResult
        {
            Denial = !string.IsNullOrEmpty(link) ? ScreenDenial.LinkInvalid
                : user.Identity?.IsAuthenticated == true ? ScreenDenial.Forbidden
                : ScreenDenial.SignInRequired,
        };
    }
}
