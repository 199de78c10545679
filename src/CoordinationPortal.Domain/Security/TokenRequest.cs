namespace CoordinationPortal.Domain.Security;

/// <summary>What a user asks for when creating a personal API token.</summary>
public sealed record TokenRequest(string? Name, IReadOnlyList<string>? Scopes, DateOnly? ExpiresOn, IReadOnlyList<Guid>? AgencyIds);

/// <summary>
/// The rules of a new token, pure: a name, known scopes, an expiry after today and at most a year away, and agencies
/// (when the token is restricted to some) that the owner may act for. What the owner may do otherwise is checked on
/// every request, not here.
/// </summary>
public static class TokenRules
{
    public const int MaxNameLength = 100;
    public const int MaxLifetimeDays = 365;

    /// <summary>Live (unrevoked, unexpired) tokens one account may hold.</summary>
    public const int MaxLiveTokens = 50;

    /// <param name="request">The request.</param>
    /// <param name="today">Today in the portal's calendar.</param>
    /// <param name="mayRestrictTo">Whether the owner may act for this agency (admins: any agency; leads: the ones they lead).</param>
    /// <param name="liveTokens">How many live tokens the owner holds already.</param>
    public static IReadOnlyList<DomainError> Validate(TokenRequest request, DateOnly today, Func<Guid, bool> mayRestrictTo, int liveTokens)
    {
        var errors = new List<DomainError>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new DomainError("Token.NameRequired", "name"));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new DomainError("Token.NameTooLong", "name"));
        }

        var scopes = request.Scopes ?? [];
        if (scopes.Count == 0)
        {
            errors.Add(new DomainError("Token.ScopesRequired", "scopes"));
        }
        else if (scopes.Any(s => !TokenScopes.IsKnown(s)))
        {
            errors.Add(new DomainError("Token.ScopeUnknown", "scopes"));
        }

        if (request.ExpiresOn is not { } expires)
        {
            errors.Add(new DomainError("Token.ExpiryRequired", "expiresOn"));
        }
        else if (expires <= today)
        {
            errors.Add(new DomainError("Token.ExpiryPast", "expiresOn"));
        }
        else if (expires > today.AddDays(MaxLifetimeDays))
        {
            errors.Add(new DomainError("Token.ExpiryTooFar", "expiresOn"));
        }

        if ((request.AgencyIds ?? []).Any(id => !mayRestrictTo(id)))
        {
            errors.Add(new DomainError("Token.AgencyNotYours", "agencyIds"));
        }

        if (liveTokens >= MaxLiveTokens)
        {
            errors.Add(new DomainError("Token.TooMany"));
        }

        return errors;
    }
}
