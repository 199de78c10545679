namespace CoordinationPortal.Web.Kernel.Changes;

/// <summary>
/// Something that changed and has been committed: what kind of thing (<see cref="ChangeKinds"/>), which one, and the
/// agency it belongs to when it belongs to one. A notice carries no data: whoever reacts reads the current state.
/// </summary>
public sealed record PortalChange(string Kind, Guid SubjectId, Guid? AgencyId = null)
{
    /// <summary>True when the portal process that made the change is this one (set on delivery).</summary>
    public bool FromThisProcess { get; init; }
}

/// <summary>
/// The kinds of change features publish. A new feature adds its own constants here (a published contract others may
/// subscribe to), and nothing else of its internals.
/// </summary>
public static class ChangeKinds
{
    /// <summary>An agency's assessed levels changed (an assessment was recorded). Subject: the agency.</summary>
    public const string Scorecard = "scorecard";

    /// <summary>Anything else about an agency changed: details, leads, review, staleness. Subject: the agency.</summary>
    public const string Agency = "agency";

    /// <summary>An endpoint's registration changed (registered, settings, paused, retired, maintenance). Subject: the endpoint.</summary>
    public const string Endpoint = "endpoint";

    /// <summary>An endpoint's announced health or SLO state changed. Subject: the endpoint.</summary>
    public const string EndpointHealth = "endpoint-health";

    /// <summary>A probe was recorded (the latest figures moved). Subject: the endpoint.</summary>
    public const string ProbeRecorded = "probe-recorded";

    /// <summary>The probes' rolled-up windows moved (hourly roll-up, purge). No subject (<see cref="Guid.Empty"/>).</summary>
    public const string ProbeWindows = "probe-windows";

    /// <summary>A flag was raised, updated, acknowledged or resolved. Subject: the flag.</summary>
    public const string Flag = "flag";

    /// <summary>A working group changed: members, people, decisions, initiatives. Subject: the group.</summary>
    public const string WorkingGroup = "working-group";

    /// <summary>A session of a working group changed: agenda, state, attendance, minutes. Subject: the session.</summary>
    public const string GroupSession = "group-session";

    /// <summary>An action item was recorded or changed (status, due date, proposal). Subject: the item; agency: its owner.</summary>
    public const string ActionItem = "action-item";

    /// <summary>A forum poll was opened, voted in, closed, revealed or recorded as a decision. Subject: the poll; no agency.</summary>
    public const string Poll = "poll";

    /// <summary>What a session's room screen shows changed (panel, rotation, language, countdown, poll). Subject: the session.</summary>
    public const string ForumScreen = "forum-screen";

    /// <summary>A screen link was created or revoked. Subject: the session it opens.</summary>
    public const string ScreenLink = "screen-link";

    /// <summary>An account changed (signed out, role, password, disabled): its sessions must be checked again. Subject: the account's id.</summary>
    public const string Account = "account";

    /// <summary>
    /// Not published by a feature: the feed itself announces it after its connection to PostgreSQL came back, since
    /// changes made meanwhile were not heard. Live pages reload on it.
    /// </summary>
    public const string Resync = "resync";
}

/// <summary>
/// A reaction to committed changes, registered by a feature (e.g. out-of-step evaluation reacts to scorecards).
/// Called for every change from every process, one at a time: keep it quick (queue any real work) and look at
/// <see cref="PortalChange.FromThisProcess"/> when only one process should act. A subscriber that throws is logged and
/// does not stop the others.
/// </summary>
public interface IChangeSubscriber
{
    Task OnChangeAsync(PortalChange change, CancellationToken ct);
}

/// <summary>
/// Told synchronously, in the process that made a change, right after the transaction that staged it committed (before
/// the writer answers), so that what this process keeps in memory (e.g. cached pages) is never older than a write its
/// own user just made. Every process, this one included, still hears the change through the feed a moment later.
/// Must be quick and must not throw.
/// </summary>
public interface ICommitObserver
{
    void OnCommitted(PortalChange change);
}
