namespace CoordinationPortal.Domain.Forum;

/// <summary>How many chose one option.</summary>
public sealed record PollOptionCount(string Key, string Label, int Count)
{
    /// <summary>Share of all votes, 0–100, rounded to whole percent (0 when nobody voted).</summary>
    public int Percent(int total) => total == 0 ? 0 : (int)Math.Round(100.0 * Count / total, MidpointRounding.AwayFromZero);
}

/// <summary>A poll's counts, option by option in the poll's order, and the number of votes that count.</summary>
public sealed record PollTally(IReadOnlyList<PollOptionCount> Counts, int Total)
{
    /// <summary>Counts the poll's votes: one per person, or one per agency (the latest vote of each voter counts).</summary>
    public static PollTally Of(Poll poll)
    {
        ArgumentNullException.ThrowIfNull(poll);
        var latest = poll.Votes
            .GroupBy(v => poll.Basis == VoteBasis.Agency ? (v.AgencyId?.ToString() ?? "") : v.By.ToUpperInvariant())
            .Select(g => g.Last())
            .Where(v => poll.Options.Any(o => o.Key == v.Choice))
            .ToList();
        var counts = poll.Options.Select(o => new PollOptionCount(o.Key, o.Label, latest.Count(v => v.Choice == o.Key))).ToList();
        return new PollTally(counts, latest.Count);
    }
}
