using System.Security.Claims;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Kernel;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.Kernel.Commands;
using CoordinationPortal.Web.WorkingGroups;
using Marten;

namespace CoordinationPortal.Web.Forum.Links;

/// <summary>A link just created: its record, and the token that opens it, shown this once.</summary>
public sealed record IssuedScreenLink(ScreenLink Link, string Token)
{
    /// <summary>The screen's address with the token, relative to the portal's base.</summary>
    public string RelativeUrl => $"forum/{Link.SessionId}/screen?link={Uri.EscapeDataString(Token)}";
}

/// <summary>
/// Creates, lists and revokes a session's screen links. Only those who manage the group (its chair and secretary, and
/// admins) may; the check is here, not only on the pages. A revocation is published on the change feed, so every open
/// screen that used the link re-checks and closes within moments.
/// </summary>
public sealed class ScreenLinkHandler(IDocumentSession session, GroupReaders readers, ScreenLinkTokens tokens, ChangeFeed feed, PortalClock clock)
{
    public async Task<(CommandOutcome Outcome, IssuedScreenLink? Issued)> CreateAsync(
        ClaimsPrincipal user, Guid sessionId, string? label, int hours, CancellationToken ct)
    {
        var (denied, groupSession, by) = await ManagerAsync(user, sessionId, ct);
        if (denied is not null)
        {
            return (denied, null);
        }

        var errors = ScreenLinkRules.Check(label, hours).ToList();
        if (groupSession!.State == SessionState.Cancelled)
        {
            errors.Add(new DomainError("ScreenLink.SessionCancelled"));
        }

        if (errors.Count > 0)
        {
            return (new CommandOutcome.Invalid(errors), null);
        }

        var now = clock.Now;
        var link = new ScreenLink
        {
            Id = Guid.NewGuid(),
            SessionId = sessionId,
            GroupId = groupSession.GroupId,
            Label = label?.Trim() ?? "",
            CreatedBy = by,
            CreatedAt = now,
            ExpiresAt = now.AddHours(hours),
        };
        session.Insert(link);
        feed.Stage(session, new PortalChange(ChangeKinds.ScreenLink, sessionId));
        await session.SaveChangesAsync(ct);
        return (new CommandOutcome.Accepted(link.Id, 1, 1), new IssuedScreenLink(link, tokens.Issue(link.Id, sessionId, link.ExpiresAt)));
    }

    /// <summary>Revokes a link of the session; revoking one already revoked changes nothing and is not an error.</summary>
    public async Task<CommandOutcome> RevokeAsync(ClaimsPrincipal user, Guid sessionId, Guid linkId, CancellationToken ct)
    {
        var (denied, _, by) = await ManagerAsync(user, sessionId, ct);
        if (denied is not null)
        {
            return denied;
        }

        var link = await session.LoadAsync<ScreenLink>(linkId, ct);
        if (link is null || link.SessionId != sessionId)
        {
            return new CommandOutcome.NotFound();
        }

        if (link.RevokedAt is null)
        {
            session.Store(link with { RevokedAt = clock.Now, RevokedBy = by });
            feed.Stage(session, new PortalChange(ChangeKinds.ScreenLink, sessionId));
            await session.SaveChangesAsync(ct);
            return new CommandOutcome.Accepted(linkId, 2, 1);
        }

        return new CommandOutcome.Accepted(linkId, 2, 0);
    }

    /// <summary>The session's links, newest first, or the refusal.</summary>
    public async Task<(CommandOutcome? Denied, IReadOnlyList<ScreenLink> Links)> ListAsync(ClaimsPrincipal user, Guid sessionId, CancellationToken ct)
    {
        var (denied, _, _) = await ManagerAsync(user, sessionId, ct);
        if (denied is not null)
        {
            return (denied, []);
        }

        var links = await session.Query<ScreenLink>().Where(l => l.SessionId == sessionId).OrderByDescending(l => l.CreatedAt).Take(200).ToListAsync(ct);
        return (null, links);
    }

    private async Task<(CommandOutcome? Denied, GroupSession? Session, string By)> ManagerAsync(ClaimsPrincipal user, Guid sessionId, CancellationToken ct)
    {
        var (groupSession, group) = await session.LoadSessionWithGroupAsync(sessionId, ct);
        if (groupSession is null || group is null)
        {
            return (new CommandOutcome.NotFound(), null, "");
        }

        var reader = await readers.ForAsync(user, ct);
        return GroupAccess.For(group, reader).Manages ? (null, groupSession, reader.Name) : (new CommandOutcome.Forbidden(), groupSession, reader.Name);
    }
}
