using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Npgsql;

namespace CoordinationPortal.Web.Kernel.Changes;

/// <summary>
/// The post-commit change feed. Publishing is a PostgreSQL <c>NOTIFY</c>: staged in a Marten session it is sent only if
/// that transaction commits (so nothing is announced for a rolled-back write), and every portal process on the database
/// hears it through <see cref="ChangeFeedListener"/>, this one included. Delivery goes to the features' registered
/// <see cref="IChangeSubscriber"/>s and to live subscriptions (open pages).
/// </summary>
public sealed partial class ChangeFeed(NpgsqlDataSource dataSource, IServiceProvider services, ILogger<ChangeFeed> logger)
{
    /// <summary>The PostgreSQL channel every portal process listens on.</summary>
    public const string Channel = "portal_changes";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ConcurrentDictionary<long, Subscription> _live = new();
    private long _nextId;
    private IChangeSubscriber[]? _subscribers;
    private ICommitObserver[]? _observers;

    /// <summary>This process, as named in the notices it sends.</summary>
    public Guid Origin { get; } = Guid.NewGuid();

    /// <summary>Announces <paramref name="change"/> when <paramref name="session"/>'s transaction commits, and not otherwise.</summary>
    /// <remarks>
    /// A <c>NOTIFY</c> statement, not <c>SELECT pg_notify(...)</c>: Marten reads its batch's result sets in order, and a
    /// statement that returns one would be read in place of the next operation's. NOTIFY takes no parameters; the
    /// payload is the feed's own JSON (kind constants and ids), quoted as a literal.
    /// </remarks>
    public void Stage(IDocumentSession session, PortalChange change)
    {
        session.QueueSqlCommand($"NOTIFY {Channel}, '{Payload(change).Replace("'", "''", StringComparison.Ordinal)}'");
        session.Listeners.Add(new CommittedHere(this, change));
    }

    /// <summary>Announces <paramref name="change"/> inside an Npgsql transaction of the caller's (sent if it commits).</summary>
    public async Task StageAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, PortalChange change, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = Channel });
        command.Parameters.Add(new NpgsqlParameter { Value = Payload(change) });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Announces <paramref name="change"/> now, for a write that is already committed.</summary>
    public async Task PublishAsync(PortalChange change, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await StageAsync(connection, null, change, ct);
        NotifyCommitObservers(change);
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> for every change <paramref name="filter"/> accepts until the returned handle is
    /// disposed. The callback runs on the feed's thread: it must be quick (e.g. signal a page to reload).
    /// </summary>
    public IDisposable Subscribe(Func<PortalChange, bool> filter, Action<PortalChange> onChange)
    {
        var id = Interlocked.Increment(ref _nextId);
        _live[id] = new Subscription(filter, onChange);
        return new Unsubscriber(this, id);
    }

    /// <summary>Delivers one change to every subscriber; one that throws is logged and the rest still hear it.</summary>
    internal async Task DeliverAsync(PortalChange change, CancellationToken ct)
    {
        _subscribers ??= [.. services.GetServices<IChangeSubscriber>()];
        foreach (var subscriber in _subscribers)
        {
            try
            {
                await subscriber.OnChangeAsync(change, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogSubscriberFailed(e, subscriber.GetType().Name, change.Kind, change.SubjectId);
            }
        }

        foreach (var subscription in _live.Values)
        {
            try
            {
                if (subscription.Filter(change))
                {
                    subscription.OnChange(change);
                }
            }
            catch (Exception e)
            {
                LogSubscriberFailed(e, "live page", change.Kind, change.SubjectId);
            }
        }
    }

    /// <summary>
    /// Tells the <see cref="ICommitObserver"/>s of this process, at once and before the writer goes on, that
    /// <paramref name="change"/> was committed here; the notice itself reaches every process a moment later.
    /// </summary>
    private void NotifyCommitObservers(PortalChange change)
    {
        _observers ??= [.. services.GetServices<ICommitObserver>()];
        var local = change with { FromThisProcess = true };
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnCommitted(local);
            }
            catch (Exception e)
            {
                LogSubscriberFailed(e, observer.GetType().Name, change.Kind, change.SubjectId);
            }
        }
    }

    /// <summary>Reads a notice's payload; null when it is not one (another program on the channel), which is ignored.</summary>
    internal PortalChange? Parse(string payload)
    {
        try
        {
            var notice = JsonSerializer.Deserialize<Notice>(payload, Json);
            return notice is { K.Length: > 0 }
                ? new PortalChange(notice.K, notice.S, notice.A) { FromThisProcess = notice.O == Origin }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string Payload(PortalChange change) => JsonSerializer.Serialize(new Notice(change.Kind, change.SubjectId, change.AgencyId, Origin), Json);

    [LoggerMessage(Level = LogLevel.Error, Message = "Change subscriber {Subscriber} failed on {Kind} {SubjectId}")]
    private partial void LogSubscriberFailed(Exception e, string subscriber, string kind, Guid subjectId);

    /// <summary>The wire form: short names keep a notice far below PostgreSQL's 8,000-byte payload limit.</summary>
    private sealed record Notice(string K, Guid S, Guid? A, Guid O);

    /// <summary>Runs after the Marten session that staged a change committed (never after a rollback).</summary>
    private sealed class CommittedHere(ChangeFeed feed, PortalChange change) : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, Marten.Services.IChangeSet commit, CancellationToken token)
        {
            feed.NotifyCommitObservers(change);
            return Task.CompletedTask;
        }
    }

    private sealed record Subscription(Func<PortalChange, bool> Filter, Action<PortalChange> OnChange);

    private sealed class Unsubscriber(ChangeFeed feed, long id) : IDisposable
    {
        public void Dispose() => feed._live.TryRemove(id, out _);
    }
}
