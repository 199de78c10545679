using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.Scoring;

public sealed record TrendPoint(DateOnly Date, LayerScores Scores, ReadinessIndex? Index);

public static class Trend
{
    /// <summary>
    /// Layer scores at the end of each month from the first event up to <paramref name="until"/>, replayed
    /// from the events in one pass (events are applied in business-time order).
    /// </summary>
    public static IReadOnlyList<TrendPoint> Monthly(
        IReadOnlyList<object> events, ReadinessFramework framework, DateOnly until, TimeSpan offset)
    {
        var ordered = events.OrderBy(Agency.AtOf).ToList();
        if (ordered.Count == 0)
        {
            return [];
        }

        var first = DateOnly.FromDateTime(Agency.AtOf(ordered[0]).ToOffset(offset).DateTime);
        var points = new List<TrendPoint>();
        Agency? state = null;
        var next = 0;
        for (var month = new DateOnly(first.Year, first.Month, 1); month <= until; month = month.AddMonths(1))
        {
            var monthEnd = month.AddMonths(1).AddDays(-1);
            var date = monthEnd < until ? monthEnd : until;
            var cutoff = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), offset);
            while (next < ordered.Count && Agency.AtOf(ordered[next]) < cutoff)
            {
                state = Agency.Evolve(state, ordered[next++]);
            }

            if (state is null)
            {
                continue;
            }

            var scores = Scores.Layers(framework, state.Levels);
            points.Add(new TrendPoint(date, scores, Scores.Index(scores)));
        }

        return points;
    }
}
