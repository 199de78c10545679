namespace CoordinationPortal.Domain.Forum;

/// <summary>A vote as it stands: the person who cast it, the agency it counts for (agency basis), the option chosen.</summary>
public sealed record PollVote(string By, Guid? AgencyId, string Choice, DateTimeOffset At);

/// <summary>A quick poll: the state folded from its stream (also the document pages and the API read).</summary>
public sealed record Poll
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public Guid GroupId { get; init; }
    public Guid SessionId { get; init; }
    public string Question { get; init; } = "";
    public PollKind Kind { get; init; }
    public IReadOnlyList<PollOption> Options { get; init; } = [];
    public VoteBasis Basis { get; init; }
    public Guid? FlagId { get; init; }
    public string ShortCode { get; init; } = "";
    public string OpenedBy { get; init; } = "";
    public DateTimeOffset OpenedAt { get; init; }

    /// <summary>Open for votes until closed; a closed poll never opens again.</summary>
    public bool IsOpen { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }
    public bool Revealed { get; init; }
    public DateTimeOffset? RevealedAt { get; init; }

    /// <summary>The group's decision number once the poll was recorded as a decision.</summary>
    public int? DecisionNumber { get; init; }

    /// <summary>The votes that count: one per person, or one per agency.</summary>
    public IReadOnlyList<PollVote> Votes { get; init; } = [];

    public bool IsClosed => !IsOpen;

    /// <summary>The vote that <paramref name="person"/> (person basis) or <paramref name="agencyId"/> (agency basis) has now, if any.</summary>
    public PollVote? VoteOf(string person, Guid? agencyId) =>
        Basis == VoteBasis.Agency
            ? Votes.FirstOrDefault(v => v.AgencyId == agencyId)
            : Votes.FirstOrDefault(v => string.Equals(v.By, person, StringComparison.OrdinalIgnoreCase));

    public static Poll Opened(PollOpened e) => new()
    {
        Id = e.PollId,
        Version = 1,
        GroupId = e.GroupId,
        SessionId = e.SessionId,
        Question = e.Question,
        Kind = e.Kind,
        Options = e.Options,
        Basis = e.Basis,
        FlagId = e.FlagId,
        ShortCode = e.ShortCode,
        OpenedBy = e.By,
        OpenedAt = e.At,
        IsOpen = true,
    };

    public Poll When(PollVoteCast e)
    {
        var others = Basis == VoteBasis.Agency
            ? Votes.Where(v => v.AgencyId != e.AgencyId)
            : Votes.Where(v => !string.Equals(v.By, e.By, StringComparison.OrdinalIgnoreCase));
        return this with { Votes = [.. others, new PollVote(e.By, e.AgencyId, e.Choice, e.At)] };
    }

    public static Poll? Evolve(Poll? state, object @event)
    {
        if (state is null)
        {
            return @event is PollOpened opened ? Opened(opened) : null;
        }

        var next = @event switch
        {
            PollVoteCast e => state.When(e),
            PollClosed e => state with { IsOpen = false, ClosedAt = e.At },
            PollResultsRevealed e => state with { Revealed = true, RevealedAt = e.At },
            PollRecordedAsDecision e => state with { DecisionNumber = e.DecisionNumber },
            _ => state,
        };
        return next with { Version = state.Version + 1 };
    }

    public static Poll? Fold(IEnumerable<object> events) => events.Aggregate((Poll?)null, Evolve);
}
