namespace CoordinationPortal.Domain.Forum;

/// <summary>Decides what a command means for a poll: the events to record, or why it is refused (coded, naming the field). Pure.</summary>
public static class PollDecider
{
    public const int MaxQuestionLength = 300;
    public const int MaxOptionLength = 120;
    public const int MinOptions = 2;
    public const int MaxOptions = 8;

    /// <summary>The fixed options of each kind but single choice: stable keys, English labels (pages word them per language).</summary>
    public static IReadOnlyList<PollOption> FixedOptions(PollKind kind) => kind switch
    {
        PollKind.YesNoAbstain => [new("yes", "Yes"), new("no", "No"), new("abstain", "Abstain")],
        PollKind.Consent => [new("no-objection", "No objection"), new("objection", "Objection")],
        PollKind.FlagReal =>
        [
            new("1", "1 – not real"), new("2", "2 – probably not real"), new("3", "3 – unsure"), new("4", "4 – probably real"),
            new("5", "5 – certainly real"),
        ],
        _ => [],
    };

    /// <summary>The key of the <paramref name="index"/>-th (from 0) typed option of a single-choice poll.</summary>
    public static string OptionKey(int index) => "option-" + (index + 1);

    public static Decision Decide(PollCommand command, Poll? state) => (command, state) switch
    {
        (OpenPoll c, null) => Open(c),
        (OpenPoll, not null) => Decision.Reject(new DomainError("Poll.AlreadyOpened")),
        (_, null) => Decision.Reject(new DomainError("Poll.NotFound")),
        (CastVote c, _) => Vote(c, state),
        (ClosePoll c, _) => state.IsOpen ? Decision.Accept(new PollClosed(c.PollId, c.By, c.At)) : Decision.Accept(),
        (RevealResults c, _) => Reveal(c, state),
        (RecordPollAsDecision c, _) => Record(c, state),
        _ => throw new NotSupportedException($"No decision for {command.GetType().Name}."),
    };

    /// <summary>Why a poll cannot be recorded as a decision now (none when it can): it must be closed, and recorded once.</summary>
    public static IReadOnlyList<DomainError> RecordableErrors(Poll poll)
    {
        ArgumentNullException.ThrowIfNull(poll);
        if (poll.DecisionNumber is not null)
        {
            return [new DomainError("Poll.AlreadyRecorded")];
        }

        return poll.IsOpen ? [new DomainError("Poll.NotClosed")] : [];
    }

    private static Decision Open(OpenPoll c)
    {
        var errors = new List<DomainError>();
        var question = c.Question?.Trim() ?? "";
        if (question.Length == 0)
        {
            errors.Add(new DomainError("Poll.QuestionRequired", "question"));
        }
        else if (question.Length > MaxQuestionLength)
        {
            errors.Add(new DomainError("Poll.QuestionTooLong", "question"));
        }

        if (!c.SessionOpen)
        {
            errors.Add(new DomainError("Poll.SessionClosed", "sessionId"));
        }

        if (!Enum.IsDefined(c.Basis))
        {
            errors.Add(new DomainError("Poll.BasisUnknown", "basis"));
        }

        IReadOnlyList<PollOption> options = [];
        if (!Enum.IsDefined(c.Kind))
        {
            errors.Add(new DomainError("Poll.KindUnknown", "kind"));
        }
        else if (c.Kind == PollKind.SingleChoice)
        {
            options = TypedOptions(c.Options, errors);
        }
        else if (c.Options?.Any(o => !string.IsNullOrWhiteSpace(o)) == true)
        {
            errors.Add(new DomainError("Poll.OptionsFixed", "options"));
        }
        else
        {
            options = FixedOptions(c.Kind);
        }

        if (c.FlagId is null && c.Kind == PollKind.FlagReal)
        {
            errors.Add(new DomainError("Poll.FlagRequired", "flagId"));
        }
        else if (c.FlagId is not null && !c.FlagKnown)
        {
            errors.Add(new DomainError("Poll.UnknownFlag", "flagId"));
        }

        if (!PollCode.IsWellFormed(c.ShortCode))
        {
            errors.Add(new DomainError("Poll.CodeInvalid"));
        }

        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new PollOpened(c.PollId, c.GroupId, c.SessionId, question, c.Kind, options, c.Basis, c.FlagId, c.ShortCode, c.By, c.At));
    }

    private static List<PollOption> TypedOptions(IReadOnlyList<string>? typed, List<DomainError> errors)
    {
        var texts = (typed ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim()).ToList();
        if (texts.Count is < MinOptions or > MaxOptions)
        {
            errors.Add(new DomainError("Poll.OptionsCount", "options"));
        }
        else if (texts.Any(o => o.Length > MaxOptionLength))
        {
            errors.Add(new DomainError("Poll.OptionTooLong", "options"));
        }
        else if (texts.Select(o => o.ToUpperInvariant()).Distinct().Count() != texts.Count)
        {
            errors.Add(new DomainError("Poll.OptionsDuplicate", "options"));
        }

        return [.. texts.Select((o, i) => new PollOption(OptionKey(i), o))];
    }

    private static Decision Vote(CastVote c, Poll poll)
    {
        if (!c.Voter.Eligible)
        {
            return Decision.Reject(new DomainError("Poll.NotEligible"));
        }

        if (!poll.IsOpen)
        {
            return Decision.Reject(new DomainError("Poll.NotOpen"));
        }

        var choice = c.Choice?.Trim();
        var errors = new List<DomainError>();
        if (poll.Options.All(o => o.Key != choice))
        {
            errors.Add(new DomainError("Poll.UnknownChoice", "choice"));
        }

        Guid? agency = null;
        if (poll.Basis == VoteBasis.Agency)
        {
            if (c.AgencyId is { } named)
            {
                if (c.Voter.Agencies.Contains(named))
                {
                    agency = named;
                }
                else
                {
                    errors.Add(new DomainError("Poll.NotRepresentative", "agencyId"));
                }
            }
            else if (c.Voter.Agencies.Count == 1)
            {
                agency = c.Voter.Agencies[0];
            }
            else
            {
                errors.Add(new DomainError(c.Voter.Agencies.Count == 0 ? "Poll.NoAgency" : "Poll.AgencyRequired", "agencyId"));
            }
        }

        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        // The same choice again by the same person changes nothing; another representative's vote is recorded as theirs.
        return poll.VoteOf(c.By, agency) is { } current && current.Choice == choice && string.Equals(current.By, c.By, StringComparison.OrdinalIgnoreCase)
            ? Decision.Accept()
            : Decision.Accept(new PollVoteCast(c.PollId, agency, choice!, c.By, c.At));
    }

    private static Decision Reveal(RevealResults c, Poll poll)
    {
        if (poll.IsOpen)
        {
            return Decision.Reject(new DomainError("Poll.NotClosed"));
        }

        return poll.Revealed ? Decision.Accept() : Decision.Accept(new PollResultsRevealed(c.PollId, c.By, c.At));
    }

    private static Decision Record(RecordPollAsDecision c, Poll poll)
    {
        var errors = RecordableErrors(poll);
        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        return c.DecisionNumber < 1
            ? Decision.Reject(new DomainError("Poll.DecisionNumberInvalid"))
            : Decision.Accept(new PollRecordedAsDecision(c.PollId, poll.GroupId, c.DecisionNumber, c.By, c.At));
    }
}
