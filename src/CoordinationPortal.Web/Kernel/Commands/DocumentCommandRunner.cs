using JasperFx;
using Marten;
using Marten.Exceptions;

namespace CoordinationPortal.Web.Kernel.Commands;

/// <summary>What a pure decider over a document answers: the document as it should be now, nothing to change, or why not.</summary>
public sealed record DocumentDecision<T>(T? After, IReadOnlyList<DomainError> Errors)
    where T : class
{
    public bool IsAccepted => Errors.Count == 0;
}

/// <summary>The three answers a document decider gives.</summary>
public static class DocumentDecision
{
    public static DocumentDecision<T> Change<T>(T after)
        where T : class => new(after, []);

    public static DocumentDecision<T> Unchanged<T>()
        where T : class => new(null, []);

    public static DocumentDecision<T> Reject<T>(params DomainError[] errors)
        where T : class => new(null, errors);
}

public enum DocumentResultKind
{
    Changed,
    Unchanged,
    Invalid,
    NotFound,
}

/// <summary>What became of a document command: <see cref="Document"/> is the document after it (before it, when unchanged or refused).</summary>
public sealed record DocumentResult<T>(DocumentResultKind Kind, T? Document, IReadOnlyList<DomainError> Errors)
    where T : class;

/// <summary>
/// The write path for documents that several people and jobs change (e.g. webhook subscriptions): load, decide (pure),
/// update under Marten's optimistic concurrency check, stage what commits with it, save. A save that meets another
/// writer's change — or a deletion — is made again on what is stored now, so no write is lost and a document deleted
/// meanwhile stays deleted (the next try finds it gone). Documents are updated, never upserted.
/// </summary>
public sealed class DocumentCommandRunner(IDocumentStore store)
{
    /// <summary>Tries at one change: each failed try means another writer saved meanwhile, so this bounds simultaneous writers.</summary>
    public const int DefaultAttempts = 10;

    /// <summary>
    /// Whether a save failed only because what was read has changed or gone since: a version conflict, a document missing,
    /// or several of these together (Marten throws an <see cref="AggregateException"/> for more than one).
    /// </summary>
    public static bool IsConflict(Exception e) => e switch
    {
        ConcurrencyException or NonExistentDocumentException => true,
        AggregateException { InnerExceptions.Count: > 0 } all => all.InnerExceptions.All(IsConflict),
        _ => false,
    };

    /// <summary>
    /// Runs <paramref name="decide"/> on document <paramref name="id"/> and saves what it decides, with
    /// <paramref name="stage"/>'s writes in the same commit. After <paramref name="attempts"/> conflicting tries the last
    /// conflict is thrown (<see cref="IsConflict"/> recognises it).
    /// </summary>
    public async Task<DocumentResult<T>> RunAsync<T>(
        Guid id,
        Func<T, DocumentDecision<T>> decide,
        CancellationToken ct,
        Func<IDocumentSession, T, T, CancellationToken, Task>? stage = null,
        int attempts = DefaultAttempts)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var before = await session.LoadAsync<T>(id, ct);
            if (before is null)
            {
                return new DocumentResult<T>(DocumentResultKind.NotFound, null, []);
            }

            var decision = decide(before);
            if (!decision.IsAccepted)
            {
                return new DocumentResult<T>(DocumentResultKind.Invalid, before, decision.Errors);
            }

            if (decision.After is not { } after)
            {
                return new DocumentResult<T>(DocumentResultKind.Unchanged, before, []);
            }

            // Update, not Store: were the document deleted since it was read, an upsert would insert it again.
            session.Update(after);
            if (stage is not null)
            {
                await stage(session, before, after, ct);
            }

            try
            {
                await session.SaveChangesAsync(ct);
                return new DocumentResult<T>(DocumentResultKind.Changed, after, []);
            }
            catch (Exception e) when (attempt < attempts && IsConflict(e))
            {
                // Someone else saved or deleted it between our read and our write: read it again and decide again.
            }
        }
    }
}
