using System.Diagnostics;

namespace CoordinationPortal.Simulator;

/// <summary>The moment a request arrived, taken before routing so TTFT counts from it.</summary>
internal sealed record RequestArrival(long Timestamp);

/// <summary>
/// One request as the surfaces see it: the profile snapshot it is served with (a concurrent change
/// applies from the next request), the profile's counters and the arrival timestamp.
/// </summary>
internal sealed record SimRequest(ProfileRuntime Runtime, SimulatorProfile Profile, long Arrival)
{
    public static SimRequest Of(HttpContext context) =>
        context.Features.Get<SimRequest>()
        ?? throw new InvalidOperationException("The simulator's profile gate did not run for this request.");

    /// <summary>When token <paramref name="index"/> (from 0) is due: arrival + TTFT + index · inter-token.</summary>
    public long TokenDue(int index) =>
        Arrival + Pacing.ToTicks(Profile.TtftMs) + Pacing.ToTicks(Profile.InterTokenMs * index);

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Arrival);

    /// <summary>The wall-clock time of arrival, for timestamps servers put in their answers.</summary>
    public DateTimeOffset ArrivalUtc { get; } = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(Arrival);

    /// <summary>The wall-clock time of a <see cref="Stopwatch"/> timestamp, such as when a token is due.</summary>
    public DateTimeOffset WallClockAt(long timestamp) => ArrivalUtc + Stopwatch.GetElapsedTime(Arrival, timestamp);

    /// <summary>How many tokens to generate for a request limit, and whether the limit cut the answer.</summary>
    public (int Tokens, bool Limited) TokenBudget(int? requestLimit)
    {
        if (requestLimit is not { } limit || limit > Profile.OutputTokens)
        {
            return (Profile.OutputTokens, false);
        }

        return (Math.Max(1, limit), true);
    }
}
