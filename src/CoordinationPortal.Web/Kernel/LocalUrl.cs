namespace CoordinationPortal.Web.Kernel;

/// <summary>
/// The one rule for a "return to" address taken from a request: a path on this site, as <c>LocalRedirect</c> accepts one
/// (starting with one slash, not two, nor a slash and a backslash, and with no control characters: a tab or line break
/// inside would make it a redirect elsewhere, and <c>LocalRedirect</c> would throw on it).
/// </summary>
public static class LocalUrl
{
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl);

    /// <summary>The address when it is local, else the home page.</summary>
    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";

    /// <summary>
    /// <paramref name="path"/> with <c>?{name}=</c> the address when it is local and not the home page (where a missing
    /// one leads anyway); nothing added otherwise.
    /// </summary>
    public static string WithReturn(string path, string name, string? url) =>
        IsLocal(url) && url != "/" ? $"{path}?{name}={Uri.EscapeDataString(url!)}" : path;
}
