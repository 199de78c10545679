namespace CoordinationPortal.Web.Operations;

/// <summary>
/// Hangfire queues, so that one kind of work cannot hold up another: a slow job (a long PDF, a flood of webhook
/// retries) waits behind its own kind while probe rounds keep their minute. Jobs name their queue with
/// <c>[Queue(JobQueues.X)]</c> on the job method; a job without one runs on <see cref="Default"/>.
/// </summary>
public static class JobQueues
{
    public const string Probes = "probes";
    public const string Flags = "flags";
    public const string Notifications = "notifications";

    /// <summary>PDF briefings: worked by a server of their own (see the Briefings feature), never by the one above.</summary>
    public const string Briefings = "briefings";
    public const string Default = "default";

    /// <summary>
    /// The order a server's workers take queues in: a free worker takes probe work first, since a late round shows as
    /// missed samples, then flag evaluations, then notifications, then everything else.
    /// </summary>
    public static string[] ByPriority => [Probes, Flags, Notifications, Default];
}
