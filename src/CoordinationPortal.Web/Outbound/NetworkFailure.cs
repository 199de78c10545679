using System.Net.Sockets;
using System.Security.Authentication;
using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Web.Outbound;

/// <summary>
/// What went wrong on the wire when a request to an outside server failed, for the probe engine's reasons and the
/// webhook delivery log alike. <see cref="Code"/> is one of the network codes of <see cref="ReasonCode"/>: AddressRefused,
/// ConnectTimeout, ConnectionRefused, ConnectionReset, DnsFailure, TlsFailure or NetworkError. <see cref="Detail"/> is
/// <c>address|class</c> for a refused address (<c>address:port|Port</c> when only the port was not allowlisted), the error's own message for a TLS failure or an error not recognised,
/// else null; it is not shortened, each caller shortens it as its record needs.
/// </summary>
public sealed record NetworkFailure(ReasonCode Code, string? Detail = null)
{
    /// <summary>
    /// Classifies an exception from an <see cref="HttpClient"/> request, the SSRF-guarded connect included, looking through
    /// its inner exceptions. A caller's own time limit is not classified here: only the caller knows which limit ran out.
    /// </summary>
    public static NetworkFailure Classify(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case AddressRefusedException { Decision.RefusedPort: { } port } refused:
                    return new(ReasonCode.AddressRefused, $"{refused.Decision.Address}:{port}|Port");
                case AddressRefusedException refused:
                    return new(ReasonCode.AddressRefused, $"{refused.Decision.Address}|{refused.Decision.Class}");
                case ConnectTimeoutException:
                    return new(ReasonCode.ConnectTimeout);
                case AuthenticationException:
                    return new(ReasonCode.TlsFailure, inner.Message);
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return new(ReasonCode.ConnectionRefused);
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return new(ReasonCode.DnsFailure);
                // After a connection was made, "not connected" too means the peer dropped it: a reset that lands while the
                // request is still being written surfaces as ENOTCONN on Linux.
                case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected }:
                    return new(ReasonCode.ConnectionReset);
            }
        }

        return e switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => new(ReasonCode.DnsFailure),
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => new(ReasonCode.TlsFailure),
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => new(ReasonCode.ConnectionReset),
            HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } => new(ReasonCode.ConnectionReset),
            // A socket error other than those above (timed out, host or network unreachable, ...) is not a reset: it is a
            // network error with its own message.
            _ => new(ReasonCode.NetworkError, e.GetBaseException().Message),
        };
    }
}
