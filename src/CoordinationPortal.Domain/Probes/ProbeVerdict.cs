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

    /// <summary>The server began a stream with HTTP 200, then sent an error inside it.</summary>
    StreamError,
}

/// <summary>
/// The reason for a probe's state, with what a person needs to understand it: the path that answered, the HTTP status,
/// the measured value against its target, and a short detail the portal itself wrote (a content type, the model name,
/// the refused address and why). <paramref name="Excerpt"/> is what the server itself said (an error message or the
/// start of a response body), already sanitised by <see cref="ReasonExcerpt.Sanitize"/>; it is shown only to those who
/// may manage the endpoint (admins and the agency's leads), never to every reader.
/// </summary>
public sealed record ProbeReason(
    ReasonCode Code,
    string? Path = null,
    int? Status = null,
    double? Measured = null,
    double? Target = null,
    string? Detail = null,
    string? Excerpt = null)
{
    public static ProbeReason Healthy { get; } = new(ReasonCode.Healthy);

    /// <summary>
    /// Codes whose <see cref="Detail"/> held the server's own words before excerpts were kept apart (samples and events
    /// recorded earlier): their detail is never shown as the portal's own text.
    /// </summary>
    public static bool DetailIsServerText(ReasonCode code) =>
        code is ReasonCode.HttpStatus or ReasonCode.NotReady or ReasonCode.ModelLoading or ReasonCode.Unauthorized or ReasonCode.StreamError
            or ReasonCode.NetworkError or ReasonCode.TlsFailure;

    /// <summary>The portal's own detail, safe for every reader (none for the codes whose detail was the server's words).</summary>
    public string? PublicDetail => DetailIsServerText(Code) ? null : Detail;

    /// <summary>What the server said, sanitised again on the way out (an older record may hold it in <see cref="Detail"/>).</summary>
    public string? ServerExcerpt => ReasonExcerpt.Sanitize(Excerpt ?? (DetailIsServerText(Code) ? Detail : null));
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
