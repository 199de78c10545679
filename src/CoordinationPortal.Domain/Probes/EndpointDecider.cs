using CoordinationPortal.Domain.Agencies;

namespace CoordinationPortal.Domain.Probes;

/// <summary>Decides what an operator's command means for an endpoint: the events to record, or why it is refused. Pure.</summary>
public static class EndpointDecider
{
    public const int MinIntervalSeconds = 15;
    public const int MaxIntervalSeconds = 3600;
    public const int MaxNameLength = 200;
    public const int MaxUrlLength = 2000;
    public const int MaxModelLength = 200;
    public const int MaxNoteLength = 500;
    public const int MaxApiKeyLength = 4096;
    public const int DefaultMaxEndpointsPerAgency = 20;
    public static readonly TimeSpan MaxMaintenance = TimeSpan.FromDays(31);

    public static Decision Decide(EndpointCommand command, InferenceEndpoint? state) => (command, state) switch
    {
        (RegisterEndpoint c, null) => Register(c),
        (RegisterEndpoint, not null) => Decision.Reject(new DomainError("Endpoint.AlreadyRegistered")),
        (_, null) => Decision.Reject(new DomainError("Endpoint.NotFound")),
        (_, { Retired: true }) => Decision.Reject(new DomainError("Endpoint.Retired")),
        (ChangeEndpointSettings c, _) => ChangeSettings(c, state),
        (SetEndpointApiKey c, _) => Decision.Accept(new EndpointApiKeySet(c.EndpointId, c.By, c.At)),
        (RemoveEndpointApiKey c, _) => state.HasApiKey ? Decision.Accept(new EndpointApiKeyRemoved(c.EndpointId, c.By, c.At)) : Decision.Accept(),
        (PauseEndpoint c, _) => state.Paused ? Decision.Accept() : Decision.Accept(new EndpointPaused(c.EndpointId, c.By, c.At)),
        (ResumeEndpoint c, _) => state.Paused ? Decision.Accept(new EndpointResumed(c.EndpointId, c.By, c.At)) : Decision.Accept(),
        (ScheduleMaintenance c, _) => Schedule(c, state),
        (CancelMaintenance c, _) => state.Maintenance.Any(w => w.Id == c.WindowId)
            ? Decision.Accept(new MaintenanceWindowCancelled(c.EndpointId, c.WindowId, c.By, c.At))
            : Decision.Reject(new DomainError("Maintenance.NotFound")),
        (RetireEndpoint c, _) => Decision.Accept(new EndpointRetired(c.EndpointId, c.By, c.At)),
        _ => throw new NotSupportedException($"No decision for {command.GetType().Name}."),
    };

    /// <summary>
    /// A registration within the agency's quota: refused with <c>Endpoint.Quota.Reached</c> (on the agency field) when the
    /// agency already has <see cref="AgencyEndpointQuota.Max"/> endpoints that are not retired, else decided as
    /// <see cref="Decide"/> decides it. Paused endpoints count; retired ones do not.
    /// </summary>
    public static Decision DecideRegistration(RegisterEndpoint command, InferenceEndpoint? state, AgencyEndpointQuota quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return state is null && quota.Registered >= quota.Max
            ? Decision.Reject(new DomainError("Endpoint.Quota.Reached", "AgencyId"))
            : Decide(command, state);
    }

    /// <summary>
    /// What is wrong with an API key typed for an endpoint: empty or longer than <see cref="MaxApiKeyLength"/>
    /// (<c>Endpoint.ApiKey.Invalid</c>), or, once the surrounding whitespace is trimmed, anything but visible ASCII —
    /// a line break, tab, control character, space or non-ASCII letter (<c>Endpoint.ApiKey.Characters</c>). Such a
    /// key cannot travel in an HTTP header, so every probe with it would fail; it is refused where it is typed.
    /// </summary>
    public static IReadOnlyList<DomainError> ValidateApiKey(string? key)
    {
        var trimmed = key?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > MaxApiKeyLength)
        {
            return [new DomainError("Endpoint.ApiKey.Invalid", "ApiKey")];
        }

        return trimmed.All(c => c is >= '!' and <= '~') ? [] : [new DomainError("Endpoint.ApiKey.Characters", "ApiKey")];
    }

    /// <summary>
    /// Several commands as one change (e.g. new settings and a new API key from one form): each is decided against the
    /// state the previous ones leave, and the first refusal refuses them all.
    /// </summary>
    public static Decision DecideAll(IEnumerable<EndpointCommand> commands, InferenceEndpoint? state)
    {
        var events = new List<object>();
        foreach (var command in commands)
        {
            var decision = Decide(command, state);
            if (!decision.IsAccepted)
            {
                return decision;
            }

            events.AddRange(decision.Events);
            state = decision.Events.Aggregate(state, InferenceEndpoint.Evolve);
        }

        return new Decision(events, []);
    }

    /// <summary>Every problem with a set of endpoint settings, each naming the field at fault.</summary>
    public static IReadOnlyList<DomainError> Validate(EndpointSettings s)
    {
        var errors = new List<DomainError>();
        if (string.IsNullOrWhiteSpace(s.Name))
        {
            errors.Add(new DomainError("Endpoint.Name.Required", nameof(s.Name)));
        }
        else if (s.Name.Trim().Length > MaxNameLength)
        {
            errors.Add(new DomainError("Endpoint.Name.TooLong", nameof(s.Name)));
        }

        if (!IsProbeableUrl(s.BaseUrl))
        {
            errors.Add(new DomainError("Endpoint.Url.Invalid", nameof(s.BaseUrl)));
        }

        if (!Enum.IsDefined(s.Kind))
        {
            errors.Add(new DomainError("Endpoint.Kind.Unknown", nameof(s.Kind)));
        }

        if (string.IsNullOrWhiteSpace(s.Model))
        {
            errors.Add(new DomainError("Endpoint.Model.Required", nameof(s.Model)));
        }
        else if (s.Model.Trim().Length > MaxModelLength || !s.Model.Trim().All(IsModelCharacter))
        {
            errors.Add(new DomainError("Endpoint.Model.Invalid", nameof(s.Model)));
        }

        if (s.IntervalSeconds is < MinIntervalSeconds or > MaxIntervalSeconds)
        {
            errors.Add(new DomainError("Endpoint.Interval.OutOfRange", nameof(s.IntervalSeconds)));
        }

        if (s.Slo is null)
        {
            errors.Add(new DomainError("Endpoint.Availability.OutOfRange", "AvailabilityPercent"));
        }
        else
        {
            if (!(s.Slo.AvailabilityPercent is >= 50 and <= 99.999))
            {
                errors.Add(new DomainError("Endpoint.Availability.OutOfRange", nameof(s.Slo.AvailabilityPercent)));
            }

            if (s.Slo.P95TtftMs is < 10 or > 600_000)
            {
                errors.Add(new DomainError("Endpoint.Ttft.OutOfRange", nameof(s.Slo.P95TtftMs)));
            }

            if (!(s.Slo.MinOutputTokensPerSecond is >= 0 and <= 100_000))
            {
                errors.Add(new DomainError("Endpoint.Throughput.OutOfRange", nameof(s.Slo.MinOutputTokensPerSecond)));
            }
        }

        if (!string.IsNullOrWhiteSpace(s.MetricsUrl) && !IsProbeableUrl(s.MetricsUrl))
        {
            errors.Add(new DomainError("Endpoint.MetricsUrl.Invalid", nameof(s.MetricsUrl)));
        }

        return errors;
    }

    /// <summary>An absolute http(s) URL with a host and no credentials, query or fragment (see <see cref="OutboundUrl"/>).</summary>
    public static bool IsProbeableUrl(string? text) => OutboundUrl.IsAcceptable(text, MaxUrlLength, allowQuery: false);

    /// <summary>The settings as stored: trimmed, the base URL without a trailing slash, an empty metrics URL as none.</summary>
    public static EndpointSettings Normalize(EndpointSettings s) => s with
    {
        Name = s.Name.Trim(),
        BaseUrl = s.BaseUrl.Trim().TrimEnd('/'),
        Model = s.Model.Trim(),
        MetricsUrl = string.IsNullOrWhiteSpace(s.MetricsUrl) ? null : s.MetricsUrl.Trim(),
    };

    private static bool IsModelCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '/' or '@' or '+';

    private static Decision Register(RegisterEndpoint c)
    {
        var errors = Validate(c.Settings);
        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new EndpointRegistered(c.EndpointId, c.AgencyId, Normalize(c.Settings), c.WithApiKey, c.By, c.At));
    }

    private static Decision ChangeSettings(ChangeEndpointSettings c, InferenceEndpoint state)
    {
        var errors = Validate(c.Settings);
        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        var settings = Normalize(c.Settings);
        return settings == state.Settings ? Decision.Accept() : Decision.Accept(new EndpointSettingsChanged(c.EndpointId, settings, c.By, c.At));
    }

    private static Decision Schedule(ScheduleMaintenance c, InferenceEndpoint state)
    {
        var errors = new List<DomainError>();
        if (c.End <= c.Start)
        {
            errors.Add(new DomainError("Maintenance.EndBeforeStart", nameof(c.End)));
        }
        else if (c.End - c.Start > MaxMaintenance)
        {
            errors.Add(new DomainError("Maintenance.TooLong", nameof(c.End)));
        }

        if (c.End <= c.At)
        {
            errors.Add(new DomainError("Maintenance.InPast", nameof(c.End)));
        }

        if ((c.Note ?? "").Trim().Length > MaxNoteLength)
        {
            errors.Add(new DomainError("Maintenance.NoteTooLong", nameof(c.Note)));
        }

        if (state.Maintenance.Any(w => w.Id == c.WindowId))
        {
            return Decision.Accept();
        }

        return errors.Count > 0
            ? Decision.Reject(errors)
            : Decision.Accept(new MaintenanceWindowScheduled(
                c.EndpointId, new MaintenanceWindow(c.WindowId, c.Start, c.End, (c.Note ?? "").Trim()), c.By, c.At));
    }
}
