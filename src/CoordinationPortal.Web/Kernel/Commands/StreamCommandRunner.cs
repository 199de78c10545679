using JasperFx;
using JasperFx.Events;
using Marten;

namespace CoordinationPortal.Web.Kernel.Commands;

/// <summary>
/// A command against one existing event stream, as the runner needs it: how the stream's state folds (the domain's
/// <c>Evolve</c>), how to decide, and what the feature adds around the decision. Only those two are required.
/// </summary>
public sealed record StreamCommand<TState>(
    Guid StreamId, string Name, string By, long? ExpectedVersion, Func<TState?, object, TState?> Evolve, Func<TState, Decision> Decide)
    where TState : class
{
    /// <summary>Who may act, once the state is known. The default lets through whoever reached the handler.</summary>
    public Func<TState, CancellationToken, ValueTask<bool>> MayAct { get; init; } = static (_, _) => ValueTask.FromResult(true);

    /// <summary>
    /// The version users see and send back as the expected version, from the state and the stream version. The default
    /// is the stream version; a stream that also records machine events (an endpoint's health) counts only people's.
    /// </summary>
    public Func<TState, long, long> VersionOf { get; init; } = static (_, streamVersion) => streamVersion;

    /// <summary>Writes that must commit with the events, or not at all (documents, change-feed notices).</summary>
    public Action<IDocumentSession, TState, IReadOnlyList<object>>? Stage { get; init; }

    /// <summary>What follows a commit (scheduling, logs), given the state after the events. Runs only when events were appended.</summary>
    public Func<TState, CancellationToken, Task>? Committed { get; init; }
}

/// <summary>
/// The one way an event-sourced write happens: fetch the stream for writing, ask who may act, compare the version the
/// user saw, decide (pure), append with what the feature stages, save, turn a concurrent save into a conflict, then run
/// the feature's after-commit step. Handlers keep only what is theirs: who may act, and side effects.
/// </summary>
public sealed partial class StreamCommandRunner(IDocumentSession session, ILogger<StreamCommandRunner> logger)
{
    /// <summary>The session the runner writes through; handlers stage their own documents on it.</summary>
    public IDocumentSession Session => session;

    public async Task<CommandOutcome> RunAsync<TState>(StreamCommand<TState> command, CancellationToken ct)
        where TState : class
    {
        var stream = await session.Events.FetchForWriting<TState>(command.StreamId, ct);
        if (stream.Aggregate is not { } state)
        {
            return new CommandOutcome.NotFound();
        }

        if (!await command.MayAct(state, ct))
        {
            return new CommandOutcome.Forbidden();
        }

        var streamVersion = stream.CurrentVersion ?? 0;
        var current = command.VersionOf(state, streamVersion);
        if (command.ExpectedVersion is { } expected && expected != current)
        {
            LogConflict(typeof(TState).Name, command.StreamId, command.Name, command.By, expected, current);
            return new CommandOutcome.Conflict(current);
        }

        var decision = command.Decide(state);
        if (!decision.IsAccepted)
        {
            return new CommandOutcome.Invalid(decision.Errors);
        }

        var events = decision.Events;
        if (events.Count == 0)
        {
            return new CommandOutcome.Accepted(command.StreamId, current, 0);
        }

        stream.AppendMany(events);
        command.Stage?.Invoke(session, state, events);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            // Another write reached the stream between reading and saving: the caller learns what the version is now.
            // An expected outcome, so one Information line (Marten's own log of it is Debug: PortalMartenLogger).
            var now = await CurrentVersionAsync(command, current, ct);
            LogConflict(typeof(TState).Name, command.StreamId, command.Name, command.By, current, now);
            return new CommandOutcome.Conflict(now);
        }

        LogAppended(command.Name, typeof(TState).Name, command.StreamId, command.By, events.Count);
        var after = events.Aggregate((TState?)state, command.Evolve) ?? state;
        if (command.Committed is { } committed)
        {
            await committed(after, ct);
        }

        return new CommandOutcome.Accepted(command.StreamId, command.VersionOf(after, streamVersion + events.Count), events.Count);
    }

    /// <summary>
    /// Starts a stream with what <paramref name="decision"/> decided. A stream of that id already there is refused as
    /// <paramref name="duplicateCode"/>. <paramref name="stage"/> adds writes that commit with it.
    /// </summary>
    public async Task<CommandOutcome> StartAsync<TState>(
        Guid streamId, string name, string by, Decision decision, string duplicateCode, CancellationToken ct,
        Action<IDocumentSession>? stage = null)
        where TState : class
    {
        if (!decision.IsAccepted)
        {
            return new CommandOutcome.Invalid(decision.Errors);
        }

        session.Events.StartStream<TState>(streamId, decision.Events);
        stage?.Invoke(session);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException or ConcurrencyException)
        {
            return new CommandOutcome.Invalid([new DomainError(duplicateCode)]);
        }

        LogAppended(name, typeof(TState).Name, streamId, by, decision.Events.Count);
        return new CommandOutcome.Accepted(streamId, decision.Events.Count, decision.Events.Count);
    }

    private async Task<long> CurrentVersionAsync<TState>(StreamCommand<TState> command, long fallback, CancellationToken ct)
        where TState : class
    {
        await using var fresh = session.DocumentStore.LightweightSession();
        var now = await fresh.Events.FetchForWriting<TState>(command.StreamId, ct);
        return now.Aggregate is { } latest ? command.VersionOf(latest, now.CurrentVersion ?? fallback) : fallback;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Version conflict on {Stream} {StreamId} for {Command} by {User}: based on version {ExpectedVersion}, now {CurrentVersion}")]
    private partial void LogConflict(string stream, Guid streamId, string command, string user, long expectedVersion, long currentVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} on {Stream} {StreamId} by {User}: {Events} event(s)")]
    private partial void LogAppended(string command, string stream, Guid streamId, string user, int events);
}
