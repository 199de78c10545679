namespace CoordinationPortal.Domain.Probes;

/// <summary>What one probe found.</summary>
public enum ProbeState
{
    Up,
    Degraded,
    Down,
}

/// <summary>Why a probe ended as it did. Each code has a sentence in the portal's strings, filled from the reason's numbers.</summary>
public enum ReasonCode
{
    Healthy,
    TtftAboveTarget,
    ThroughputBelowTarget,
    ModelLoading,
    NotReady,
    HttpStatus,
    ModelNotServed,
    Unauthorized,
    NoToken,
    MalformedStream,
    WrongContentType,
    BodyTooLarge,
    ConnectionRefused,
    ConnectTimeout,
    HeadersTimeout,
    StreamTimeout,
    ConnectionReset,
    DnsFailure,
    TlsFailure,
    AddressRefused,
    NetworkError,
}

/// <summary>
/// The reason for a probe's state, with what a person needs to understand it: the path that answered, the HTTP status,
/// the measured value against its target, and a short detail (a server's message, the refused address and why).
/// </summary>
public sealed record ProbeReason(
    ReasonCode Code,
    string? Path = null,
    int? Status = null,
    double? Measured = null,
    double? Target = null,
    string? Detail = null)
{
    public static ProbeReason Healthy { get; } = new(ReasonCode.Healthy);
}

public sealed record ProbeVerdict(ProbeState State, ProbeReason Reason);

/// <summary>Classifies one probe: a failure is Down; a completed stream is Degraded when it misses a target, else Up. Pure.</summary>
public static class ProbeClassifier
{
    public static ProbeVerdict Classify(ProbeReason? failure, StreamMeasurement? stream, SloTargets targets)
    {
        if (failure is not null)
        {
            return new ProbeVerdict(ProbeState.Down, failure);
        }

        if (stream is null || stream.OutputTokens <= 0)
        {
            return new ProbeVerdict(ProbeState.Down, new ProbeReason(ReasonCode.NoToken));
        }

        if (stream.TtftMs > targets.P95TtftMs)
        {
            return new ProbeVerdict(ProbeState.Degraded,
                new ProbeReason(ReasonCode.TtftAboveTarget, Measured: stream.TtftMs, Target: targets.P95TtftMs));
        }

        // Throughput is judged only where a stream had more than one token: a single token has no rate of its own.
        if (stream.OutputTokens > 1 && stream.OutputTokensPerSecond is { } rate && rate < targets.MinOutputTokensPerSecond)
        {
            return new ProbeVerdict(ProbeState.Degraded,
                new ProbeReason(ReasonCode.ThroughputBelowTarget, Measured: rate, Target: targets.MinOutputTokensPerSecond));
        }

        return new ProbeVerdict(ProbeState.Up, ProbeReason.Healthy);
    }
}
