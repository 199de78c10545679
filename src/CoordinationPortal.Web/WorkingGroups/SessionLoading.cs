using CoordinationPortal.Domain.WorkingGroups;
using Marten;

namespace CoordinationPortal.Web.WorkingGroups;

/// <summary>A session and the group it belongs to, read together: what every check of "who may see or run this session" starts from.</summary>
public static class SessionLoading
{
    /// <summary>The session and its group; both null when either does not exist.</summary>
    public static async Task<(GroupSession? Session, WorkingGroup? Group)> LoadSessionWithGroupAsync(
        this IQuerySession query, Guid sessionId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var session = await query.LoadAsync<GroupSession>(sessionId, ct);
        var group = session is null ? null : await query.LoadAsync<WorkingGroup>(session.GroupId, ct);
        return session is null || group is null ? (null, null) : (session, group);
    }
}
