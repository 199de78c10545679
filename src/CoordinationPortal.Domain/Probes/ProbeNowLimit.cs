namespace CoordinationPortal.Domain.Probes;

/// <summary>
/// How often *Probe now* may run: at most <c>limit</c> times in any sliding minute, counted per endpoint and per person.
/// Pure: given the times it ran before (any order, older ones ignored) and now, it says whether it may run now and, if
/// not, how long until it may (at least one second, rounded up to whole seconds for a Retry-After header).
/// </summary>
public static class ProbeNowLimit
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Null: it may run now. Otherwise the wait before it may. A limit below 1 never allows it.</summary>
    public static TimeSpan? RetryAfter(IEnumerable<DateTimeOffset> earlier, DateTimeOffset now, int limit)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var inWindow = earlier.Where(t => t > now - Window && t <= now).Order().ToList();
        if (inWindow.Count < Math.Max(limit, 1))
        {
            return limit < 1 ? Window : null;
        }

        // The run that frees a slot is the one `limit` places before the newest.
        var frees = inWindow[inWindow.Count - Math.Max(limit, 1)] + Window;
        var wait = frees - now;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return TimeSpan.FromSeconds(seconds);
    }
}
