namespace CoordinationPortal.Domain.Forum;

/// <summary>
/// A link that opens one session's room screen, read-only, on a device nobody signs in on (a TV in the room). The
/// portal keeps this record; the link itself (a signed token naming the link and the session) is shown once, when it
/// is created, and never stored.
/// </summary>
public sealed record ScreenLink
{
    public Guid Id { get; init; }

    public Guid SessionId { get; init; }

    public Guid GroupId { get; init; }

    /// <summary>Where the link is used, e.g. "Committee room TV", so the operator knows which one to revoke.</summary>
    public string Label { get; init; } = "";

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public string? RevokedBy { get; init; }

    public bool IsLive(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;
}

/// <summary>Why a screen stays closed. The page and the event stream word each one.</summary>
public enum ScreenDenial
{
    /// <summary>No such session.</summary>
    NotFound,

    /// <summary>Nobody is signed in and no link was given.</summary>
    SignInRequired,

    /// <summary>Signed in, but not a reader of the group, and no link.</summary>
    Forbidden,

    /// <summary>The link is not one the portal signed, or it opens another session's screen.</summary>
    LinkInvalid,

    LinkExpired,

    LinkRevoked,
}

/// <summary>The rules of screen links: how long one may live, what its label may be, and whether a presented link opens a screen.</summary>
public static class ScreenLinkRules
{
    public const int DefaultHours = 12;

    /// <summary>A link lives at most a week: long enough for a conference, short enough that a forgotten TV closes.</summary>
    public const int MaxHours = 24 * 7;

    public const int MaxLabelLength = 80;

    /// <summary>The errors of a request for a new link; none when it may be created.</summary>
    public static IReadOnlyList<DomainError> Check(string? label, int hours)
    {
        var errors = new List<DomainError>();
        if (hours is < 1 or > MaxHours)
        {
            errors.Add(new DomainError("ScreenLink.HoursOutOfRange", "expiresInHours"));
        }

        if ((label?.Trim().Length ?? 0) > MaxLabelLength)
        {
            errors.Add(new DomainError("ScreenLink.LabelTooLong", "label"));
        }

        return errors;
    }

    /// <summary>
    /// Whether a presented link opens the screen of <paramref name="sessionId"/> now: the token named this session, the
    /// portal knows the link, it is for this session, not revoked, and not past its expiry (the stored one, and the
    /// one signed into the token, whichever is earlier). Null when it does.
    /// </summary>
    public static ScreenDenial? Judge(ScreenLink? link, Guid tokenSessionId, DateTimeOffset tokenExpiresAt, Guid sessionId, DateTimeOffset now)
    {
        if (link is null || tokenSessionId != sessionId || link.SessionId != sessionId)
        {
            return ScreenDenial.LinkInvalid;
        }

        if (link.RevokedAt is not null)
        {
            return ScreenDenial.LinkRevoked;
        }

        return now >= link.ExpiresAt || now >= tokenExpiresAt ? ScreenDenial.LinkExpired : null;
    }
}
