using System.Security.Claims;
using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Web.Kernel.Changes;
using CoordinationPortal.Web.WorkingGroups;
using Marten;
using JasperFx;

namespace CoordinationPortal.Web.Forum.Operator;

/// <summary>
/// A session, its group, what the reader may do in it, and — only for those who manage the group — the screen state as
/// stored (or <see cref="ScreenState.Default"/> while none is). Readers who may not manage get no screen state.
/// </summary>
public sealed record OperatorView(GroupSession Session, WorkingGroup Group, GroupAccess Access, ScreenState? Screen);

/// <summary>What became of an operator's command, and the screen state after it (before it, when refused).</summary>
/// <remarks>
/// An accepted outcome's <c>Version</c> is not used (the screen state is a document, not a stream); <c>Appended</c> is 1
/// when the state changed and 0 when there was nothing to change.
/// </remarks>
public sealed record ScreenOutcome(CommandOutcome Outcome, ScreenState? Screen);

/// <summary>
/// Every change to a session's room screen. Who may: the group's chair and secretary, and admins
/// (<see cref="GroupAccess.Manages"/>), checked here for pages and the API alike. The pure
/// <see cref="ScreenStateDecider"/> decides on the stored document — or on the default when the session has none yet, in
/// which case the first change inserts it (two first writers race safely: the one whose insert loses decides again on
/// what the other stored). Later changes go through the kernel's <see cref="DocumentCommandRunner"/> under Marten's
/// optimistic concurrency check, so two operators clicking at once both land. Every change announces
/// <see cref="ChangeKinds.ForumScreen"/> for the session in its own commit.
/// </summary>
public sealed partial class ScreenStateHandler(
    IDocumentStore store, DocumentCommandRunner documents, GroupReaders readers, PortalClock clock, ChangeFeed changes, ILogger<ScreenStateHandler> logger)
{
    /// <summary>The session as the operator page and the API see it; null when there is no such session.</summary>
    public async Task<OperatorView?> ViewAsync(ClaimsPrincipal user, Guid sessionId, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        await using var query = store.QuerySession();
        var (session, group) = await query.LoadSessionWithGroupAsync(sessionId, ct);
        if (session is null || group is null)
        {
            return null;
        }

        var access = GroupAccess.For(group, reader);
        var screen = access.Manages ? await query.LoadAsync<ScreenState>(sessionId, ct) ?? ScreenState.Default(sessionId) : null;
        return new OperatorView(session, group, access, screen);
    }

    /// <summary>The screen state for a reader of the group (its people, the leads of its member agencies, admins).</summary>
    public async Task<(CommandOutcome Outcome, ScreenState? Screen)> ReadAsync(ClaimsPrincipal user, Guid sessionId, CancellationToken ct)
    {
        var reader = await readers.ForAsync(user, ct);
        await using var query = store.QuerySession();
        var (session, group) = await query.LoadSessionWithGroupAsync(sessionId, ct);
        if (session is null || group is null)
        {
            return (new CommandOutcome.NotFound(), null);
        }

        if (!GroupAccess.For(group, reader).ReadsAll)
        {
            return (new CommandOutcome.Forbidden(), null);
        }

        return (new CommandOutcome.Accepted(sessionId, 0, 0), await query.LoadAsync<ScreenState>(sessionId, ct) ?? ScreenState.Default(sessionId));
    }

    /// <summary>One command of the operator.</summary>
    public Task<ScreenOutcome> ActAsync(ClaimsPrincipal user, Guid sessionId, ScreenCommand command, CancellationToken ct) =>
        ActAsync(user, sessionId, _ => [command], ct);

    /// <summary>
    /// Several commands as one change (all or none), built from the state they will be decided on: a conflicting save
    /// builds and decides them again on what is stored now. Who asks and when are stamped here.
    /// </summary>
    public async Task<ScreenOutcome> ActAsync(
        ClaimsPrincipal user, Guid sessionId, Func<ScreenState, IReadOnlyList<ScreenCommand>> commands, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var reader = await readers.ForAsync(user, ct);
        if (reader.Name.Length == 0)
        {
            return new ScreenOutcome(new CommandOutcome.Forbidden(), null);
        }

        GroupSession? session;
        WorkingGroup? group;
        await using (var query = store.QuerySession())
        {
            (session, group) = await query.LoadSessionWithGroupAsync(sessionId, ct);
        }

        if (session is null || group is null)
        {
            return new ScreenOutcome(new CommandOutcome.NotFound(), null);
        }

        if (!GroupAccess.For(group, reader).Manages)
        {
            return new ScreenOutcome(new CommandOutcome.Forbidden(), null);
        }

        var now = clock.Now;
        ScreenStateDecision Decide(ScreenState state) =>
            ScreenStateDecider.DecideAll(commands(state).Select(c => c with { By = reader.Name, At = now }), state, session);

        try
        {
            var result = await documents.RunAsync<ScreenState>(sessionId, s => ToDocument(Decide(s)), ct, StageAsync);
            if (result.Kind == DocumentResultKind.NotFound)
            {
                result = await FirstWriteAsync(sessionId, Decide, ct);
            }

            return ToOutcome(sessionId, result);
        }
        catch (Exception e) when (DocumentCommandRunner.IsConflict(e))
        {
            // Every try met another operator's change: so many at once that this one gives up; the page reads again.
            LogGaveUp(sessionId, reader.Name);
            return new ScreenOutcome(new CommandOutcome.Conflict(0), null);
        }
    }

    /// <summary>
    /// No state stored yet: decide on the default and insert the result. If another operator's first change was inserted
    /// meanwhile, the insert fails and the change is made again, through the runner, on what they stored.
    /// </summary>
    private async Task<DocumentResult<ScreenState>> FirstWriteAsync(Guid sessionId, Func<ScreenState, ScreenStateDecision> decide, CancellationToken ct)
    {
        var initial = ScreenState.Default(sessionId);
        var decision = decide(initial);
        if (!decision.IsAccepted)
        {
            return new DocumentResult<ScreenState>(DocumentResultKind.Invalid, initial, decision.Errors);
        }

        if (decision.After is not { } after)
        {
            // Nothing to change on the default: nothing needs storing either (the screen shows the default).
            return new DocumentResult<ScreenState>(DocumentResultKind.Unchanged, initial, []);
        }

        await using (var session = store.LightweightSession())
        {
            session.Insert(after);
            await StageAsync(session, initial, after, ct);
            try
            {
                await session.SaveChangesAsync(ct);
                return new DocumentResult<ScreenState>(DocumentResultKind.Changed, after, []);
            }
            catch (Exception e) when (e is DocumentAlreadyExistsException || DocumentCommandRunner.IsConflict(e) || e.InnerException is DocumentAlreadyExistsException)
            {
                // Another operator's first change got there first: decide again on theirs.
            }
        }

        return await documents.RunAsync<ScreenState>(sessionId, s => ToDocument(decide(s)), ct, StageAsync);
    }

    private Task StageAsync(IDocumentSession session, ScreenState before, ScreenState after, CancellationToken ct)
    {
        changes.Stage(session, new PortalChange(ChangeKinds.ForumScreen, after.Id));
        return Task.CompletedTask;
    }


    private static DocumentDecision<ScreenState> ToDocument(ScreenStateDecision decision) => new(decision.After, decision.Errors);

    private static ScreenOutcome ToOutcome(Guid sessionId, DocumentResult<ScreenState> result) => result.Kind switch
    {
        DocumentResultKind.Changed => new ScreenOutcome(new CommandOutcome.Accepted(sessionId, 0, 1), result.Document),
        DocumentResultKind.Unchanged => new ScreenOutcome(new CommandOutcome.Accepted(sessionId, 0, 0), result.Document),
        DocumentResultKind.Invalid => new ScreenOutcome(new CommandOutcome.Invalid(result.Errors), result.Document),
        _ => new ScreenOutcome(new CommandOutcome.NotFound(), null),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Screen of session {SessionId}: {Operator}'s change met other changes on every try and was not saved")]
    private partial void LogGaveUp(Guid sessionId, string @operator);
}
