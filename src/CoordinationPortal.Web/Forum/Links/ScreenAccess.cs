using System.Security.Claims;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.WorkingGroups;
using Marten;

namespace CoordinationPortal.Web.Forum.Links;

/// <summary>Whether a screen opens, and for whom: the session and its group when it does, why not when it does not.</summary>
public sealed record ScreenAccessResult(
    bool Allowed, ScreenDenial? Denial, GroupSession? Session, WorkingGroup? Group, bool ThroughLink, DateTimeOffset? ExpiresAt)
{
    public static ScreenAccessResult Deny(ScreenDenial denial, GroupSession? session = null, WorkingGroup? group = null) =>
        new(false, denial, session, group, false, null);
}

/// <summary>
/// Who may look at a session's room screen: the signed-in readers of its group (its people, the leads of its member
/// agencies, admins), and anyone holding a live screen link for that very session. The page and its event stream both
/// ask here, and the stream asks again whenever a link of the session changes and every few seconds, so a revoked or
/// expired link closes an open screen.
/// </summary>
public sealed class ScreenAccess(IQuerySession query, GroupReaders readers, ScreenLinkTokens tokens, TimeProvider time)
{
    public async Task<ScreenAccessResult> CheckAsync(ClaimsPrincipal user, Guid sessionId, string? link, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (session, group) = await query.LoadSessionWithGroupAsync(sessionId, ct);
        if (session is null || group is null)
        {
            return ScreenAccessResult.Deny(ScreenDenial.NotFound);
        }

        var signedIn = user.Identity?.IsAuthenticated == true;
        if (signedIn && GroupAccess.For(group, await readers.ForAsync(user, ct)).ReadsAll)
        {
            return new ScreenAccessResult(true, null, session, group, false, null);
        }

        if (string.IsNullOrWhiteSpace(link))
        {
            return ScreenAccessResult.Deny(signedIn ? ScreenDenial.Forbidden : ScreenDenial.SignInRequired);
        }

        var claim = tokens.Read(link);
        if (claim is null)
        {
            return ScreenAccessResult.Deny(ScreenDenial.LinkInvalid);
        }

        var stored = await query.LoadAsync<ScreenLink>(claim.LinkId, ct);
        var denial = ScreenLinkRules.Judge(stored, claim.SessionId, claim.ExpiresAt, sessionId, time.GetUtcNow());
        return denial is { } refused
            ? ScreenAccessResult.Deny(refused)
            : new ScreenAccessResult(true, null, session, group, true, stored!.ExpiresAt < claim.ExpiresAt ? stored.ExpiresAt : claim.ExpiresAt);
    }
}
