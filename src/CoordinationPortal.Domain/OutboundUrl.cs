namespace CoordinationPortal.Domain;

/// <summary>
/// The shape every URL the portal will call must have (an inference endpoint, its metrics, a webhook receiver): absolute
/// http(s), a host, no credentials or fragment. Whether its address may be reached is not decided here: that is checked
/// when connecting, every time, because names can resolve differently later.
/// </summary>
public static class OutboundUrl
{
    /// <param name="allowQuery">A webhook receiver may carry a query (a routing token); a probed base URL may not, since paths are appended to it.</param>
    public static bool IsAcceptable(string? text, int maxLength, bool allowQuery) =>
        !string.IsNullOrWhiteSpace(text)
        && text.Trim().Length <= maxLength
        && Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host)
        && string.IsNullOrEmpty(uri.UserInfo)
        && (allowQuery || string.IsNullOrEmpty(uri.Query))
        && string.IsNullOrEmpty(uri.Fragment);
}
