using System.Collections.Concurrent;
using CoordinationPortal.Web.Kernel.Changes;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// The accounts' security stamps and lockout as last read, so that a signed-in request does not cost a database read
/// (every request checks its session). An entry is forgotten when its account changes: at once in this process
/// (<see cref="ICommitObserver"/>, and <see cref="PortalUserManager"/> directly), through the change feed in the others,
/// and after <see cref="SessionSettings.StampCacheDuration"/> in any case; a feed that lost its connection forgets all.
/// </summary>
public sealed class SessionStampCache(TimeProvider time, IOptions<SessionSettings> settings) : IChangeSubscriber, ICommitObserver
{
    /// <summary>What the check needs of an account, and when it was read.</summary>
    public sealed record Entry(string? SecurityStamp, bool LockoutEnabled, DateTimeOffset? LockoutEnd, DateTimeOffset ReadAt);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Moves on with every forgetting: a read that began before one must not store what it read.</summary>
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string userId, out Entry entry)
    {
        var duration = settings.Value.StampCacheDuration;
        if (duration > TimeSpan.Zero && _entries.TryGetValue(userId, out var found) && time.GetUtcNow() - found.ReadAt < duration)
        {
            entry = found;
            return true;
        }

        entry = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="entry"/> unless an account changed since <paramref name="generation"/> was taken (before the read).</summary>
    public void Store(string userId, Entry entry, long generation)
    {
        if (settings.Value.StampCacheDuration <= TimeSpan.Zero)
        {
            return;
        }

        _entries[userId] = entry;
        if (Generation != generation)
        {
            // Something was forgotten while this was read: what was read may be older than the change.
            _entries.TryRemove(userId, out _);
        }
    }

    public void Forget(string userId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(userId, out _);
    }

    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    public void OnCommitted(PortalChange change) => Handle(change);

    public Task OnChangeAsync(PortalChange change, CancellationToken ct)
    {
        Handle(change);
        return Task.CompletedTask;
    }

    private void Handle(PortalChange change)
    {
        if (change.Kind == ChangeKinds.Account)
        {
            Forget(change.SubjectId.ToString());
        }
        else if (change.Kind == ChangeKinds.Resync)
        {
            ForgetAll();
        }
    }
}
