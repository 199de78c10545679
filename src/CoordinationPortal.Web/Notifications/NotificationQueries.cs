using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using Marten;
using Marten.Patching;

namespace CoordinationPortal.Web.Notifications;

/// <summary>A person's own notifications: nobody reads or marks another's.</summary>
public sealed class NotificationQueries(IDocumentStore store, TimeProvider time)
{
    public const int PageSize = 50;

    /// <summary>The last page anyone can ask for: far beyond any person's notifications, and its offset fits an int.</summary>
    public const int MaxPage = 100_000;

    /// <summary>The signed-in user's name as agencies list leads, or null for nobody.</summary>
    public static string? RecipientOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? Agency.Normalize(name) : null;

    /// <summary>Newest first, <see cref="PageSize"/> to a page (page 1 is the newest).</summary>
    public async Task<IReadOnlyList<Notification>> ListAsync(string recipient, int page, bool unreadOnly, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var query = session.Query<Notification>().Where(n => n.Recipient == recipient);
        if (unreadOnly)
        {
            query = query.Where(n => !n.Read);
        }

        return await query
            .OrderByDescending(n => n.At)
            .ThenBy(n => n.Id)
            .Skip((Math.Clamp(page, 1, MaxPage) - 1) * PageSize)
            .Take(PageSize)
            .ToListAsync(ct);
    }

    public async Task<int> CountAsync(string recipient, bool unreadOnly, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return unreadOnly
            ? await session.Query<Notification>().CountAsync(n => n.Recipient == recipient && !n.Read, ct)
            : await session.Query<Notification>().CountAsync(n => n.Recipient == recipient, ct);
    }

    /// <summary>Marks one of the recipient's notifications read; false when there is none with that id for them.</summary>
    public async Task<bool> MarkReadAsync(string recipient, Guid id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var notification = await session.LoadAsync<Notification>(id, ct);
        if (notification is null || notification.Recipient != recipient)
        {
            return false;
        }

        if (!notification.Read)
        {
            session.Store(notification with { Read = true, ReadAt = time.GetUtcNow() });
            await session.SaveChangesAsync(ct);
        }

        return true;
    }

    public async Task MarkAllReadAsync(string recipient, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var now = time.GetUtcNow();
        session.Patch<Notification>(n => n.Recipient == recipient && !n.Read)
            .Set(n => n.Read, true)
            .Set(n => n.ReadAt, now);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Deletes notifications read more than <paramref name="age"/> ago (the maintenance job's retention).</summary>
    public async Task PurgeReadAsync(TimeSpan age, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var before = time.GetUtcNow() - age;
        session.DeleteWhere<Notification>(n => n.Read && n.ReadAt < before);
        await session.SaveChangesAsync(ct);
    }
}
