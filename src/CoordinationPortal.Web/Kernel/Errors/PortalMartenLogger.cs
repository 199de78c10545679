using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;

namespace CoordinationPortal.Web.Kernel.Errors;

/// <summary>
/// Marten's log, said at the right level. A save that meets another writer's change (a version conflict, a stream
/// started twice, a document deleted meanwhile) is an expected outcome that the command runners turn into a 409 or a
/// retry and log themselves, once, at Information with the stream and versions: here it is Debug. A database that cannot
/// be reached is one Warning line without the SQL (the request's own answer says 503). Anything else is an Error with the
/// SQL that failed, never its parameter values (they may hold secrets or personal data).
/// </summary>
public sealed partial class PortalMartenLogger(ILogger<PortalMartenLogger> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => LogSchemaChange(sql);

    public void LogSuccess(NpgsqlCommand command)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var sql = command.CommandText;
            LogExecuted(sql);
        }
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var sql = Sql(batch);
            LogExecuted(sql);
        }
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failure(ex, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failure(ex, Sql(batch));

    public void LogFailure(Exception ex, string message) => Failure(ex, message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    /// <summary>Whether a failed save only lost a race with another writer.</summary>
    public static bool IsConflict(Exception e) => e switch
    {
        ConcurrencyException or ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException => true,
        // Marten's quick append: "stream version mismatch" (raised by mt_quick_append_events), and the unique key on a
        // stream's versions, hit by two appends at the same version.
        PostgresException { SqlState: "MT003" } => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "mt_events" or "mt_streams" } => true,
        AggregateException { InnerExceptions.Count: > 0 } all => all.InnerExceptions.All(IsConflict),
        _ => DocumentCommandRunner.IsConflict(e) || (e.InnerException is { } inner && IsConflict(inner)),
    };

    private static string Sql(NpgsqlBatch batch) => string.Join(";\n", batch.BatchCommands.Select((NpgsqlBatchCommand c) => c.CommandText));

    private void Failure(Exception e, string sql)
    {
        if (IsConflict(e))
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var kind = e.GetType().Name;
                var reason = e.Message;
                LogConflict(kind, reason);
            }
        }
        else if (DatabaseOutage.Is(e))
        {
            if (logger.IsEnabled(LogLevel.Warning))
            {
                var reason = e.GetBaseException().Message;
                LogUnreachable(reason);
            }
        }
        else
        {
            LogFailed(e, sql);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Marten changed the schema: {Sql}")]
    private partial void LogSchemaChange(string sql);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Marten executed: {Sql}")]
    private partial void LogExecuted(string sql);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A save met another writer's change ({Kind}: {Reason}); the caller decides again or answers a conflict")]
    private partial void LogConflict(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database cannot be reached: {Reason}")]
    private partial void LogUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Marten failed executing: {Sql}")]
    private partial void LogFailed(Exception e, string sql);
}
