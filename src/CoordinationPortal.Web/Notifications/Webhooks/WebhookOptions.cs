namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>The <c>Webhooks</c> settings.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>30 s, 2 min, 10 min, 1 h, 6 h: six attempts over about seven hours.</summary>
    public static readonly IReadOnlyList<int> DefaultRetryDelaysSeconds = [30, 120, 600, 3600, 21600];

    /// <summary>
    /// The wait before each retry (<c>Webhooks:RetryDelaysSeconds:0</c>, <c>:1</c>, …); a delivery gets one attempt more
    /// than there are delays. Null (not set) means <see cref="DefaultRetryDelaysSeconds"/>: the configuration binder would
    /// append configured entries to a default array rather than replace it.
    /// </summary>
    public int[]? RetryDelaysSeconds { get; set; }

    /// <summary>One attempt, from connecting to the response's headers.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>Finished deliveries (and their logs) are kept this long.</summary>
    public int DeliveryRetentionDays { get; set; } = 30;

    /// <summary>
    /// How overdue a pending delivery must be before the maintenance job takes its job for lost and enqueues another
    /// (5 minutes unless set; between 1 minute and 1 day). Shorter, a backlog in Hangfire's queue gets deliveries enqueued
    /// twice (the second run sends nothing, but costs a run); longer, a lost job's delivery waits longer.
    /// </summary>
    public int OverdueGraceSeconds { get; set; } = 300;

    public TimeSpan OverdueGrace => TimeSpan.FromSeconds(Math.Clamp(OverdueGraceSeconds, 60, 24 * 3600));

    /// <summary>Notifications a person has read are kept this long.</summary>
    public int ReadNotificationRetentionDays { get; set; } = 180;

    /// <summary>
    /// After a secret is rotated, deliveries are signed with the previous secret too for this long (24 h unless set),
    /// so a receiver can switch without rejecting any; then the previous secret is deleted. 0 drops it at once.
    /// </summary>
    public int SecretOverlapSeconds { get; set; } = 24 * 3600;

    /// <summary>Between none and 30 days.</summary>
    public TimeSpan SecretOverlap => TimeSpan.FromSeconds(Math.Clamp(SecretOverlapSeconds, 0, 30 * 24 * 3600));

    /// <summary>At most 20 retries, each between 1 s and 7 days, so a delivery log stays small.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays =>
        (RetryDelaysSeconds is { Length: > 0 } configured ? configured : DefaultRetryDelaysSeconds)
            .Take(20)
            .Select(s => TimeSpan.FromSeconds(Math.Clamp(s, 1, 7 * 24 * 3600)))
            .ToList();

    public int MaxAttempts => RetryDelays.Count + 1;

    public TimeSpan Timeout => TimeSpan.FromSeconds(Math.Clamp(TimeoutSeconds, 1, 60));

    public TimeSpan ConnectTimeout => TimeSpan.FromSeconds(Math.Clamp(ConnectTimeoutSeconds, 1, 60));
}
