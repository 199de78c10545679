namespace CoordinationPortal.Web.Tokens;

/// <summary>
/// A personal API token as stored: never the token itself, only its SHA-256 (<see cref="Hash"/>) and the first
/// characters after the prefix (<see cref="Hint"/>) so its owner can tell it from the others.
/// </summary>
public sealed record ApiToken
{
    public Guid Id { get; init; }
    public string OwnerId { get; init; } = "";
    public string OwnerName { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>When not empty, the token acts only for these agencies (and only while its owner may).</summary>
    public IReadOnlyList<Guid> AgencyIds { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The last day the token works, in the portal's calendar.</summary>
    public DateOnly ExpiresOn { get; init; }

    /// <summary>The end of <see cref="ExpiresOn"/> in the portal's time zone: the token stops working then.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    public string Hash { get; init; } = "";
    public string Hint { get; init; } = "";
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }

    public bool IsLive(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;
}

/// <summary>
/// When a token was last used, kept apart from the token: recording a use never rewrites the token, so it can never
/// undo a revocation made at the same moment.
/// </summary>
public sealed record ApiTokenUse(Guid Id, DateTimeOffset LastUsedAt);

/// <summary>A token as its list shows it: the stored token and when it was last used.</summary>
public sealed record TokenListing(ApiToken Token, DateTimeOffset? LastUsedAt);
