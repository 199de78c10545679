using JasperFx;
using Marten.Exceptions;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// How a write to a subscription read a moment before can meet another's. Subscriptions are changed with
/// <c>session.Update</c> (never <c>Store</c>, an upsert that would insert a subscription deleted meanwhile again) under
/// Marten's optimistic concurrency check, so a save fails when another writer changed the subscription since it was read,
/// or deleted it: the writer reads it again, and finds it changed or gone.
/// </summary>
internal static class WebhookWrites
{
    /// <summary>
    /// Whether the save failed only because what was read has changed or gone since: a version conflict, a document
    /// missing, or several of these together (Marten throws an <see cref="AggregateException"/> for more than one).
    /// </summary>
    public static bool IsConflict(Exception e) => e switch
    {
        ConcurrencyException or NonExistentDocumentException => true,
        AggregateException { InnerExceptions.Count: > 0 } all => all.InnerExceptions.All(IsConflict),
        _ => false,
    };
}
