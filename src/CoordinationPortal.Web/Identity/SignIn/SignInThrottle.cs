using System.Collections.Concurrent;
using CoordinationPortal.Domain.Security;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// Counts each client's consecutive failed sign-ins per account, in this process, and says how long that client must
/// wait (<see cref="SignInBackoff"/>). Keyed by account and client together: an attacker's failures slow the attacker
/// down but never the account's owner on another client, so guessing cannot lock anyone out. A success clears the count.
/// </summary>
public sealed class SignInThrottle(IOptionsMonitor<SignInSettings> settings, TimeProvider time)
{
    // Past this many tracked pairs, entries whose failures are forgotten are swept on the next failure.
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<(string Account, string Client), Entry> _failures = new();

    public TimeSpan RemainingWait(string account, string client)
    {
        if (!_failures.TryGetValue((account, client), out var entry))
        {
            return TimeSpan.Zero;
        }

        var now = time.GetUtcNow();
        if (Forgotten(entry, now))
        {
            _failures.TryRemove(new KeyValuePair<(string, string), Entry>((account, client), entry));
            return TimeSpan.Zero;
        }

        return settings.CurrentValue.Backoff.RemainingWait(entry.Failures, entry.Last, now);
    }

    /// <summary>Records a failure and returns how many in a row this client has now had on the account.</summary>
    public int RecordFailure(string account, string client)
    {
        var now = time.GetUtcNow();
        if (_failures.Count > SweepAbove)
        {
            foreach (var (key, stale) in _failures.Where(e => Forgotten(e.Value, now)))
            {
                _failures.TryRemove(new KeyValuePair<(string, string), Entry>(key, stale));
            }
        }

        return _failures.AddOrUpdate(
            (account, client),
            _ => new Entry(1, now),
            (_, e) => Forgotten(e, now) ? new Entry(1, now) : new Entry(e.Failures + 1, now)).Failures;
    }

    public void RecordSuccess(string account, string client) => _failures.TryRemove((account, client), out _);

    private bool Forgotten(Entry entry, DateTimeOffset now) => now - entry.Last > settings.CurrentValue.ForgetAfter;

    private sealed record Entry(int Failures, DateTimeOffset Last);
}
