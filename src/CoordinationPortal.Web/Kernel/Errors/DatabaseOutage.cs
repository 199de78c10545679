using System.Net.Sockets;
using Npgsql;

namespace CoordinationPortal.Web.Kernel.Errors;

/// <summary>
/// Whether a failure means the database cannot be reached right now (refused or dropped connections, timeouts, a server
/// shutting down or refusing connections) rather than a mistake in a request or a bug. Such failures pass: the pool opens
/// new connections once PostgreSQL answers again, so nothing needs a restart. The exception may be wrapped (Marten, EF
/// Core, Hangfire), so the whole chain is searched.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>How long a client is asked to wait before trying again (the <c>Retry-After</c> header).</summary>
    public const int RetryAfterSeconds = 5;

    public static bool Is(Exception? exception) => Is(exception, depth: 0);

    private static bool Is(Exception? e, int depth)
    {
        if (e is null || depth > 16)
        {
            return false;
        }

        return e switch
        {
            // A server error with a SQL state: only the ones that say "no connection" are an outage. 22021 (a NUL in text)
            // or 23505 (a duplicate) are about the request.
            PostgresException p => IsUnavailableState(p.SqlState),
            NpgsqlException => true, // no SQL state: the connection failed, broke or timed out
            SocketException or TimeoutException => true,
            AggregateException all => all.InnerExceptions.Any(i => Is(i, depth + 1)),
            _ => Is(e.InnerException, depth + 1),
        };
    }

    /// <summary>Class 08 (connection exception), 57P01–57P03 (shutting down, crashed, not accepting connections yet), 53300 (too many connections).</summary>
    private static bool IsUnavailableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03" or "53300";
}
