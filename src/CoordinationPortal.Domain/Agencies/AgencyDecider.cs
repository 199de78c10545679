using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.Agencies;

/// <summary>Decides what a command means for an agency: the events to record, or why it is refused. Pure.</summary>
public static class AgencyDecider
{
    public const int MaxNameLength = 200;
    public const int MaxNoteLength = 4000;
    public const int MaxUrlLength = 2000;

    /// <summary>Indicators marked evidence-required need a linked source from this level upwards.</summary>
    public const int EvidenceLinkRequiredFromLevel = 3;

    /// <summary>
    /// Several commands on one agency as one decision, in order: each is decided on the state the ones before it leave, and
    /// the first refusal refuses them all (nothing of the others is kept). Used where a batch must be written whole or
    /// not at all, such as a spreadsheet import.
    /// </summary>
    public static Decision DecideAll(IEnumerable<AgencyCommand> commands, Agency state, ReadinessFramework framework)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var events = new List<object>();
        Agency? current = state;
        foreach (var command in commands)
        {
            var decision = Decide(command, current, framework);
            if (!decision.IsAccepted)
            {
                return decision;
            }

            events.AddRange(decision.Events);
            current = decision.Events.Aggregate((Agency?)current, Agency.Evolve);
        }

        return new Decision(events, []);
    }

    public static Decision Decide(AgencyCommand command, Agency? state, ReadinessFramework framework) => (command, state) switch
    {
        (RegisterAgency c, null) => Register(c),
        (RegisterAgency, not null) => Decision.Reject(new DomainError("Agency.AlreadyRegistered")),
        (_, null) => Decision.Reject(new DomainError("Agency.NotFound")),
        (UpdateAgencyDetails c, _) => UpdateDetails(c, state),
        (AssignLead c, _) => AssignLead(c, state),
        (RemoveLead c, _) => state.IsLead(c.Lead)
            ? Decision.Accept(new AgencyLeadRemoved(c.AgencyId, Agency.Normalize(c.Lead), c.By, c.At))
            : Decision.Accept(),
        (AssessIndicator c, _) => Assess(c, framework),
        (SubmitForReview c, _) => Submit(c, state),
        (ApproveAssessment c, _) => Approve(c, state),
        (ReturnAssessment c, _) => Return(c, state),
        (MarkStaleIfOverdue c, _) => MarkStale(c, state),
        _ => throw new NotSupportedException($"No decision for {command.GetType().Name}."),
    };

    private static Decision Register(RegisterAgency c)
    {
        var errors = ValidateDetails(c.Name, c.Kind, c.Sector, c.Jurisdiction);
        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new AgencyRegistered(c.AgencyId, c.Name.Trim(), c.Kind, c.Sector.Trim(), c.Jurisdiction.Trim(), c.By, c.At));
    }

    private static Decision UpdateDetails(UpdateAgencyDetails c, Agency state)
    {
        var errors = ValidateDetails(c.Name, c.Kind, c.Sector, c.Jurisdiction);
        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        var unchanged = state.Name == c.Name.Trim() && state.Kind == c.Kind && state.Sector == c.Sector.Trim()
            && state.Jurisdiction == c.Jurisdiction.Trim();
        return unchanged
            ? Decision.Accept()
            : Decision.Accept(new AgencyDetailsUpdated(c.AgencyId, c.Name.Trim(), c.Kind, c.Sector.Trim(), c.Jurisdiction.Trim(), c.By, c.At));
    }

    private static Decision AssignLead(AssignLead c, Agency state)
    {
        if (string.IsNullOrWhiteSpace(c.Lead))
        {
            return Decision.Reject(new DomainError("Lead.Required", nameof(c.Lead)));
        }

        return state.IsLead(c.Lead)
            ? Decision.Accept()
            : Decision.Accept(new AgencyLeadAssigned(c.AgencyId, Agency.Normalize(c.Lead), c.By, c.At));
    }

    private static Decision Assess(AssessIndicator c, ReadinessFramework framework)
    {
        if (!framework.TryFind(c.IndicatorId, out var layer, out var indicator))
        {
            return Decision.Reject(new DomainError("Indicator.Unknown", nameof(c.IndicatorId)));
        }

        var errors = new List<DomainError>();
        if (c.Level is < ReadinessFramework.MinLevel or > ReadinessFramework.MaxLevel)
        {
            errors.Add(new DomainError("Level.OutOfRange", nameof(c.Level)));
        }

        var note = c.EvidenceNote?.Trim() ?? "";
        if (note.Length == 0)
        {
            errors.Add(new DomainError("EvidenceNote.Required", nameof(c.EvidenceNote)));
        }
        else if (note.Length > MaxNoteLength)
        {
            errors.Add(new DomainError("EvidenceNote.TooLong", nameof(c.EvidenceNote)));
        }

        var url = string.IsNullOrWhiteSpace(c.EvidenceUrl) ? null : c.EvidenceUrl.Trim();
        if (url is not null && !IsWebLink(url))
        {
            errors.Add(new DomainError("EvidenceUrl.Invalid", nameof(c.EvidenceUrl)));
        }
        else if (url is null && indicator.EvidenceRequired && c.Level >= EvidenceLinkRequiredFromLevel)
        {
            errors.Add(new DomainError("EvidenceUrl.Required", nameof(c.EvidenceUrl)));
        }

        if (c.TargetLevel is { } target && (target < c.Level || target > ReadinessFramework.MaxLevel))
        {
            errors.Add(new DomainError("TargetLevel.OutOfRange", nameof(c.TargetLevel)));
        }

        if (c.TargetLevel is null != c.TargetDate is null)
        {
            errors.Add(new DomainError("Target.Incomplete", c.TargetLevel is null ? nameof(c.TargetLevel) : nameof(c.TargetDate)));
        }
        else if (c.TargetDate is { } date && date <= CalendarDate(c.At, c.At))
        {
            errors.Add(new DomainError("TargetDate.NotInFuture", nameof(c.TargetDate)));
        }

        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new IndicatorAssessed(
                c.AgencyId, indicator.Id, layer.Layer, c.Level, note, url, c.TargetLevel, c.TargetDate, c.By, c.At));
    }

    private static Decision Submit(SubmitForReview c, Agency state)
    {
        var ready = state.Indicators.Values
            .Where(a => a.Status is ReviewStatus.Draft or ReviewStatus.Returned)
            .Select(a => a.IndicatorId)
            .ToList();
        return ready.Count == 0
            ? Decision.Reject(new DomainError("Review.NothingToSubmit"))
            : Decision.Accept(new AssessmentsSubmittedForReview(c.AgencyId, ready, c.By, c.At));
    }

    private static Decision Approve(ApproveAssessment c, Agency state) =>
        CheckReviewable(c.IndicatorId, c.By, state) is { } error
            ? Decision.Reject(error)
            : Decision.Accept(new AssessmentApproved(c.AgencyId, c.IndicatorId, NullIfBlank(c.Note), c.By, c.At));

    private static Decision Return(ReturnAssessment c, Agency state)
    {
        if (CheckReviewable(c.IndicatorId, c.By, state) is { } error)
        {
            return Decision.Reject(error);
        }

        return string.IsNullOrWhiteSpace(c.Reason)
            ? Decision.Reject(new DomainError("Review.ReasonRequired", nameof(c.Reason)))
            : Decision.Accept(new AssessmentReturned(c.AgencyId, c.IndicatorId, c.Reason.Trim(), c.By, c.At));
    }

    private static DomainError? CheckReviewable(string indicatorId, string reviewer, Agency state)
    {
        if (!state.Indicators.TryGetValue(indicatorId, out var assessment))
        {
            return new DomainError("Indicator.NotAssessed", "IndicatorId");
        }

        if (assessment.Status != ReviewStatus.Submitted)
        {
            return new DomainError("Review.NotSubmitted");
        }

        // Four eyes: whoever assessed an indicator does not approve or return it.
        return Agency.Normalize(assessment.AssessedBy) == Agency.Normalize(reviewer)
            ? new DomainError("Review.OwnAssessment")
            : null;
    }

    private static Decision MarkStale(MarkStaleIfOverdue c, Agency state)
    {
        var today = CalendarDate(c.At, c.At);
        if (today <= c.Cycle.DueDate || state.StaleForCycle == c.Cycle.Id)
        {
            return Decision.Accept();
        }

        var lastAssessed = state.LastAssessedAt is { } at ? CalendarDate(at, c.At) : (DateOnly?)null;
        var assessedInOrAfterCycle = lastAssessed >= c.Cycle.Start;
        var registeredAfterCycle = CalendarDate(state.RegisteredAt, c.At) > c.Cycle.DueDate;
        return assessedInOrAfterCycle || registeredAfterCycle
            ? Decision.Accept()
            : Decision.Accept(new ScorecardMarkedStale(c.AgencyId, c.Cycle.Id, c.Cycle.DueDate, c.By, c.At));
    }

    private static List<DomainError> ValidateDetails(string name, AgencyKind kind, string sector, string jurisdiction)
    {
        var errors = new List<DomainError>();
        if (string.IsNullOrWhiteSpace(name)) errors.Add(new DomainError("Name.Required", "Name"));
        else if (name.Trim().Length > MaxNameLength) errors.Add(new DomainError("Name.TooLong", "Name"));
        if (!Enum.IsDefined(kind)) errors.Add(new DomainError("Kind.Unknown", "Kind"));
        if (string.IsNullOrWhiteSpace(sector)) errors.Add(new DomainError("Sector.Required", "Sector"));
        if (string.IsNullOrWhiteSpace(jurisdiction)) errors.Add(new DomainError("Jurisdiction.Required", "Jurisdiction"));
        return errors;
    }

    private static bool IsWebLink(string url) =>
        url.Length <= MaxUrlLength
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && !string.IsNullOrEmpty(uri.Host);

    /// <summary>
    /// The calendar date of <paramref name="instant"/> as seen by whoever acts now: commands carry their time in the
    /// portal's time zone, so "today", due dates and target dates follow the users' calendar, not UTC's.
    /// </summary>
    private static DateOnly CalendarDate(DateTimeOffset instant, DateTimeOffset now) => DateOnly.FromDateTime(instant.ToOffset(now.Offset).DateTime);

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
