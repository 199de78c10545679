using System.Collections.Concurrent;
using System.Threading.Channels;
using CoordinationPortal.Web.Kernel.Changes;

namespace CoordinationPortal.Web.Forum.Screen;

/// <summary>
/// The open room screens of every session, and the one render per session that every one of them is pushed. It hears
/// the change feed (changes made on any portal process) and decides per session whether a change is something its
/// screen shows: a member agency's scorecard, details or flag, an action item of a member agency, the session, the
/// group, the screen state, the poll it shows, or a resync. Per session the first change renders at once; changes
/// that come during a render or within <see cref="FoldWindow"/> after it are folded into one more render. So fifty
/// screens of one session cost one read and one render per burst of changes, not fifty.
/// </summary>
public sealed partial class ScreenBroadcaster : IDisposable
{
    /// <summary>After a render, changes are gathered this long before the next one.</summary>
    public static readonly TimeSpan FoldWindow = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<Guid, SessionScreens> _sessions = new();
    private readonly Lock _gate = new();
    private readonly IServiceScopeFactory _scopes;
    private readonly ScreenRenderer _renderer;
    private readonly ILogger<ScreenBroadcaster> _logger;
    private readonly IDisposable _subscription;
    private readonly CancellationTokenSource _stopping = new();

    public ScreenBroadcaster(ChangeFeed feed, IServiceScopeFactory scopes, ScreenRenderer renderer, ILogger<ScreenBroadcaster> logger)
    {
        ArgumentNullException.ThrowIfNull(feed);
        (_scopes, _renderer, _logger) = (scopes, renderer, logger);
        _subscription = feed.Subscribe(_ => !_sessions.IsEmpty, OnChange);
    }

    /// <summary>How many renders have been made (all sessions): the tests and the benchmark read it.</summary>
    public long Renders => Interlocked.Read(ref _renders);

    private long _renders;

    /// <summary>How many screens are open on this process.</summary>
    public int OpenScreens => _sessions.Values.Sum(s => s.Count);

    /// <summary>Registers an open screen of <paramref name="sessionId"/> and asks for a render, which it is pushed first.</summary>
    public ScreenConnection Connect(Guid sessionId, string? origin = null)
    {
        SessionScreens screens;
        ScreenConnection connection;
        lock (_gate)
        {
            screens = _sessions.GetOrAdd(sessionId, id => new SessionScreens(this, id));
            connection = new ScreenConnection(this, screens);
            screens.Add(connection);
            screens.Origin ??= origin;
        }

        screens.Request();
        return connection;
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void Disconnect(ScreenConnection connection)
    {
        lock (_gate)
        {
            var screens = connection.Screens;
            if (screens.Remove(connection) == 0)
            {
                _sessions.TryRemove(new KeyValuePair<Guid, SessionScreens>(screens.SessionId, screens));
            }
        }
    }

    private void OnChange(PortalChange change)
    {
        foreach (var screens in _sessions.Values)
        {
            if (change.Kind == ChangeKinds.ScreenLink)
            {
                if (change.SubjectId == screens.SessionId)
                {
                    screens.Recheck();
                }
            }
            else if (screens.Concerns(change))
            {
                screens.Request();
            }
        }
    }

    private async Task<string?> RenderAsync(Guid sessionId, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<ForumScreenQueries>().LoadAsync(sessionId, ct);
        if (view is null)
        {
            return null;
        }

        _sessions.TryGetValue(sessionId, out var screens);
        var html = await _renderer.RenderAsync(view with { Origin = screens?.Origin }, ct);
        Interlocked.Increment(ref _renders);
        screens?.Remember(view);
        return html;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The room screen of session {SessionId} could not be rendered; its screens keep the last render")]
    private partial void LogRenderFailed(Exception e, Guid sessionId);

    /// <summary>The open screens of one session, what they show (to judge changes by), and its render loop.</summary>
    internal sealed class SessionScreens(ScreenBroadcaster owner, Guid sessionId)
    {
        private readonly Lock _gate = new();
        private readonly List<ScreenConnection> _connections = [];
        private HashSet<Guid>? _members;
        private Guid _groupId;
        private Guid? _pollId;
        private bool _running;
        private bool _pending;

        public Guid SessionId => sessionId;

        /// <summary>The portal's address as the first screen of the session reached it: where the poll's QR code sends voters.</summary>
        public string? Origin { get; set; }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _connections.Count;
                }
            }
        }

        public void Add(ScreenConnection connection)
        {
            lock (_gate)
            {
                _connections.Add(connection);
            }
        }

        public int Remove(ScreenConnection connection)
        {
            lock (_gate)
            {
                _connections.Remove(connection);
                return _connections.Count;
            }
        }

        public void Remember(ScreenView view)
        {
            lock (_gate)
            {
                (_members, _groupId, _pollId) = ([.. view.MemberAgencies], view.GroupId, view.State.PollId);
            }
        }

        /// <summary>Whether the screen shows something <paramref name="change"/> is about. Before the first render, anything may be.</summary>
        public bool Concerns(PortalChange change)
        {
            lock (_gate)
            {
                if (_members is null)
                {
                    return true;
                }

                return change.Kind switch
                {
                    ChangeKinds.Scorecard or ChangeKinds.Agency or ChangeKinds.Flag or ChangeKinds.ActionItem =>
                        change.AgencyId is { } agency && _members.Contains(agency),
                    ChangeKinds.GroupSession or ChangeKinds.ForumScreen => change.SubjectId == sessionId,
                    ChangeKinds.WorkingGroup => change.SubjectId == _groupId,
                    ChangeKinds.Poll => change.SubjectId == _pollId,
                    ChangeKinds.Resync => true,
                    _ => false,
                };
            }
        }

        public void Recheck()
        {
            foreach (var connection in Snapshot())
            {
                connection.AskRecheck();
            }
        }

        /// <summary>Renders now if idle; otherwise marks one more render, made after the current one and the fold window.</summary>
        public void Request()
        {
            lock (_gate)
            {
                if (_running)
                {
                    _pending = true;
                    return;
                }

                _running = true;
            }

            _ = Task.Run(RunAsync);
        }

        private ScreenConnection[] Snapshot()
        {
            lock (_gate)
            {
                return [.. _connections];
            }
        }

        private async Task RunAsync()
        {
            var ct = owner._stopping.Token;
            while (true)
            {
                lock (_gate)
                {
                    _pending = false;
                }

                try
                {
                    if (await owner.RenderAsync(sessionId, ct) is { } html)
                    {
                        foreach (var connection in Snapshot())
                        {
                            connection.Push(html);
                        }
                    }

                    await Task.Delay(FoldWindow, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    owner.LogRenderFailed(e, sessionId);
                }

                lock (_gate)
                {
                    if (!_pending)
                    {
                        _running = false;
                        return;
                    }
                }
            }
        }
    }

    /// <summary>
    /// One open screen: the latest render not yet sent (older ones are dropped, only the newest matters), whether its
    /// access is to be checked again, and a signal that wakes its event stream.
    /// </summary>
    public sealed class ScreenConnection : IDisposable
    {
        private readonly ScreenBroadcaster _owner;
        private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        private string? _latest;
        private int _recheck;
        private int _disposed;

        internal ScreenConnection(ScreenBroadcaster owner, SessionScreens screens) => (_owner, Screens) = (owner, screens);

        internal SessionScreens Screens { get; }

        /// <summary>The newest render not yet taken, or null.</summary>
        public string? TakeRender() => Interlocked.Exchange(ref _latest, null);

        /// <summary>Whether a screen-link change asked for the access to be checked again (and clears the ask).</summary>
        public bool TakeRecheck() => Interlocked.Exchange(ref _recheck, 0) == 1;

        /// <summary>Waits until something is to be sent or checked, or <paramref name="timeout"/> passes; false on timeout.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(timeout);
            try
            {
                await _signal.Reader.ReadAsync(wait.Token);
                return true;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Disconnect(this);
            }
        }

        internal void Push(string html)
        {
            Volatile.Write(ref _latest, html);
            _signal.Writer.TryWrite(true);
        }

        internal void AskRecheck()
        {
            Volatile.Write(ref _recheck, 1);
            _signal.Writer.TryWrite(true);
        }
    }
}
