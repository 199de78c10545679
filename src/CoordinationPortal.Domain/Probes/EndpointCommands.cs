namespace CoordinationPortal.Domain.Probes;

/// <summary>Something an operator asks of an endpoint's stream. Carries the actor and the time, so deciding is pure.</summary>
public abstract record EndpointCommand(Guid EndpointId, string By, DateTimeOffset At);

public sealed record RegisterEndpoint(Guid EndpointId, Guid AgencyId, EndpointSettings Settings, bool WithApiKey, string By, DateTimeOffset At)
    : EndpointCommand(EndpointId, By, At);

public sealed record ChangeEndpointSettings(Guid EndpointId, EndpointSettings Settings, string By, DateTimeOffset At)
    : EndpointCommand(EndpointId, By, At);

public sealed record SetEndpointApiKey(Guid EndpointId, string By, DateTimeOffset At) : EndpointCommand(EndpointId, By, At);

public sealed record RemoveEndpointApiKey(Guid EndpointId, string By, DateTimeOffset At) : EndpointCommand(EndpointId, By, At);

public sealed record PauseEndpoint(Guid EndpointId, string By, DateTimeOffset At) : EndpointCommand(EndpointId, By, At);

public sealed record ResumeEndpoint(Guid EndpointId, string By, DateTimeOffset At) : EndpointCommand(EndpointId, By, At);

public sealed record ScheduleMaintenance(
    Guid EndpointId, Guid WindowId, DateTimeOffset Start, DateTimeOffset End, string Note, string By, DateTimeOffset At)
    : EndpointCommand(EndpointId, By, At);

public sealed record CancelMaintenance(Guid EndpointId, Guid WindowId, string By, DateTimeOffset At) : EndpointCommand(EndpointId, By, At);

public sealed record RetireEndpoint(Guid EndpointId, string By, DateTimeOffset At) : EndpointCommand(EndpointId, By, At);

/// <summary>
/// What a registration needs to know of the agency's other endpoints: how many are registered and not retired, and the
/// most one agency may have (<c>Probes:MaxEndpointsPerAgency</c>).
/// </summary>
public sealed record AgencyEndpointQuota(int Registered, int Max);
